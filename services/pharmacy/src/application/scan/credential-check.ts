import { Injectable } from '@nestjs/common';
import { CodedError, parsePlatformOrderId } from '@prescriptchain/contracts';
import { VerificationCodeHmac } from '@prescriptchain/messaging';
import { orderLockedUntil, pharmacyLimitedUntil } from '../../domain/code-attempt-policy';
import { type ScannableOrder, isExpired } from '../../domain/order-redemption';
import type { Caller } from '../caller';
import { PharmacyConfig } from '../pharmacy-config';
import { type OrderViewRecord, type PharmacyRecord, PharmacyStore } from '../ports/pharmacy-store';
import { CredentialVerifier } from './credential-verifier';

export type CredentialInput = { qrCodeData: string } | { platformOrderId: string; verificationCode: string };

const invalid = () => new CodedError('INVALID_CREDENTIAL');

/** A read-model row that names a paid order (a stub from a status event alone cannot be redeemed). */
export function scannable(order: OrderViewRecord | null): ScannableOrder | null {
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
 * Which order a credential names, for a scan or a claim: the QR token (signature, key, expiry) or
 * the typed platformOrderId (check character) + 6-digit code, checked against the keyed digest
 * orders published (VERIFICATION_CODE_HMAC_KEY), against the read model of orders. Typed codes are
 * limited per order (a lock after repeated wrong codes) and per pharmacy; both counts are taken
 * under row locks (the pharmacy's, then the order's), so parallel requests cannot race past them.
 * Every attempt is recorded in the scan log, whatever its outcome. Forged, expired, unknown or a
 * wrong code → INVALID_CREDENTIAL.
 */
@Injectable()
export class CredentialCheck {
  constructor(
    private readonly store: PharmacyStore,
    private readonly verifier: CredentialVerifier,
    private readonly codes: VerificationCodeHmac,
    private readonly config: PharmacyConfig,
  ) {}

  resolve(
    caller: Caller,
    pharmacy: PharmacyRecord,
    input: CredentialInput,
    now: Date,
  ): Promise<ScannableOrder> {
    return 'qrCodeData' in input
      ? this.byToken(caller, pharmacy, input.qrCodeData, now)
      : this.byCode(caller, pharmacy, input, now);
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

      // The pharmacy's row lock serialises its typed codes, whatever the orders: the count below
      // sees every attempt committed before it, so N parallel wrong codes cannot all pass the limit.
      await tx.pharmacies.findById(pharmacy.id, { forUpdate: true });
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
      // The order's row lock serialises attempts on one order (from any pharmacy).
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
      const valid =
        !!row &&
        !!order &&
        this.codes.matches(row.orderId, input.verificationCode, row.verificationCodeHash) &&
        !isExpired(order, now);
      await log(row?.orderId ?? null, valid ? 'verified' : 'invalid_credential');
      return valid ? { order: order! } : { error: invalid() };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.order;
  }
}
