import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CodedError, type ScanResultView, parsePlatformOrderId } from '@prescriptchain/contracts';
import { orderLockedUntil, pharmacyLimitedUntil } from '../../../domain/code-attempt-policy';
import {
  type ScannableOrder,
  estimatePayout,
  isExpired,
  isRedeemableBy,
} from '../../../domain/order-redemption';
import type { Caller } from '../../caller';
import { Clock } from '../../clock';
import { operatorPharmacy } from '../../operator-access';
import { PharmacyConfig } from '../../pharmacy-config';
import { type OrderViewRecord, type PharmacyRecord, PharmacyStore } from '../../ports/pharmacy-store';
import { CredentialVerifier } from '../credential-verifier';

export type ScanInput = { qrCodeData: string } | { platformOrderId: string; verificationCode: string };

const invalid = () => new CodedError('INVALID_CREDENTIAL');

/** sha256 hex of `${orderId}:${code}`, as orders puts it in orders.order.paid. */
export const verificationCodeHash = (orderId: string, code: string) =>
  createHash('sha256').update(`${orderId}:${code}`).digest('hex');

function codeMatches(order: OrderViewRecord, code: string): boolean {
  if (!order.verificationCodeHash) return false;
  const expected = Buffer.from(order.verificationCodeHash, 'hex');
  const given = Buffer.from(verificationCodeHash(order.orderId, code), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A read-model row that names a paid order (a stub from a status event alone cannot be redeemed). */
function scannable(order: OrderViewRecord | null): ScannableOrder | null {
  if (!order?.platformOrderId || !order.expiresAt || order.patientName === null) return null;
  return {
    id: order.orderId,
    platformOrderId: order.platformOrderId,
    status: order.status,
    patientName: order.patientName,
    items: order.items,
    expiresAt: order.expiresAt,
    assignedPharmacyId: order.assignedPharmacyId,
  };
}

function rateLimited(message: string, until: Date, now: Date): CodedError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new CodedError('RATE_LIMIT_EXCEEDED', message, { retryAfterSeconds });
}

/**
 * A pharmacy operator checks a prescription credential: the QR token (signature, key, expiry) or
 * the typed platformOrderId (check character) + 6-digit code, against the read model of orders.
 * Typed codes are limited per order (a lock after repeated wrong codes) and per pharmacy. Every
 * scan is recorded in the scan log, whatever its outcome.
 */
@Injectable()
export class ScanCredentialHandler {
  constructor(
    private readonly store: PharmacyStore,
    private readonly verifier: CredentialVerifier,
    private readonly clock: Clock,
    private readonly config: PharmacyConfig,
  ) {}

  async execute(caller: Caller, input: ScanInput): Promise<ScanResultView> {
    const pharmacy = await operatorPharmacy(this.store.read, caller);
    const now = this.clock.now();
    const order =
      'qrCodeData' in input
        ? await this.byToken(caller, pharmacy, input.qrCodeData, now)
        : await this.byCode(caller, pharmacy, input, now);
    return this.answer(pharmacy, order, now);
  }

  private async byToken(
    caller: Caller,
    pharmacy: PharmacyRecord,
    token: string,
    now: Date,
  ): Promise<ScannableOrder> {
    const claims = await this.verifier.verify(token, now);
    const row = claims ? await this.store.read.orders.findById(claims.oid) : null;
    const order = scannable(row);
    const valid =
      !!claims &&
      !!order &&
      order.platformOrderId === parsePlatformOrderId(claims.pid) &&
      !isExpired(order, now);
    await this.store.read.scans.record({
      pharmacyId: pharmacy.id,
      operatorId: caller.userId,
      orderId: row?.orderId ?? null,
      method: 'qr',
      outcome: valid ? 'verified' : 'invalid_credential',
      at: now,
    });
    if (!valid) throw invalid();
    return order!;
  }

  private async byCode(
    caller: Caller,
    pharmacy: PharmacyRecord,
    input: { platformOrderId: string; verificationCode: string },
    now: Date,
  ): Promise<ScannableOrder> {
    const policy = this.config.codeAttempts;
    const platformOrderId = parsePlatformOrderId(input.platformOrderId);
    // The outcome is logged in the transaction and the refusal thrown after it commits: a refusal
    // must still count as an attempt.
    const outcome = await this.store.transaction(async (tx) => {
      const log = (
        orderId: string | null,
        result: 'verified' | 'invalid_credential' | 'locked' | 'rate_limited',
      ) =>
        tx.scans.record({
          pharmacyId: pharmacy.id,
          operatorId: caller.userId,
          orderId,
          method: 'code',
          outcome: result,
          at: now,
        });

      const limitedUntil = pharmacyLimitedUntil(
        await tx.scans.codeFailuresForPharmacy(pharmacy.id, new Date(now.getTime() - policy.windowMs)),
        now,
        policy,
      );
      if (limitedUntil) {
        await log(null, 'rate_limited');
        return {
          error: rateLimited('Too many wrong verification codes; try again later.', limitedUntil, now),
        };
      }
      // The row lock serialises attempts on one order, so parallel guesses cannot overrun the lock.
      const row = platformOrderId
        ? await tx.orders.findByPlatformOrderId(platformOrderId, { forUpdate: true })
        : null;
      if (row) {
        const failures = await tx.scans.codeFailuresForOrder(
          row.orderId,
          new Date(now.getTime() - 2 * policy.windowMs),
        );
        const lockedUntil = orderLockedUntil(failures, now, policy);
        if (lockedUntil) {
          await log(row.orderId, 'locked');
          return {
            error: rateLimited(
              'Too many wrong codes for this prescription; try again later.',
              lockedUntil,
              now,
            ),
          };
        }
      }
      const order = scannable(row);
      const valid = !!row && !!order && codeMatches(row, input.verificationCode) && !isExpired(order, now);
      await log(row?.orderId ?? null, valid ? 'verified' : 'invalid_credential');
      return valid ? { order: order! } : { error: invalid() };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.order;
  }

  private async answer(pharmacy: PharmacyRecord, order: ScannableOrder, now: Date): Promise<ScanResultView> {
    const declared = await this.store.read.inventory.declared(
      pharmacy.id,
      order.items.map((i) => i.medicineId),
    );
    const estimate = estimatePayout(order.items, declared, { requireAvailable: true });
    return {
      order: {
        id: order.id,
        platformOrderId: order.platformOrderId,
        status: order.status,
        items: order.items.map((i) => ({ ...i })),
        patientName: order.patientName,
        expiresAt: order.expiresAt.toISOString(),
      },
      estimatedPayoutCents: estimate.payoutCents,
      currency: 'NZD',
      redeemable: !isExpired(order, now) && isRedeemableBy(order, pharmacy.id, estimate),
      undeclaredMedicineIds: estimate.undeclaredMedicineIds,
    };
  }
}
