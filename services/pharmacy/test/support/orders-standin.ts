/**
 * An orders-like service for pharmacy's integration suites, on the suite's vhost and database:
 * it mints paid orders with real EdDSA credentials (publishing orders.credential_key.published and
 * orders.order.paid as orders does, the verification code as the same keyed digest orders' issuer
 * writes: VerificationCodeHmac with the development key both services use in tests), and answers
 * orders.orders.claim / releaseClaim / submitForReview / review, orders.medicines.prices and
 * orders.credentials.jwks over RPC. The claim is the same atomic compare-and-set orders makes
 * (UPDATE … WHERE status = 'PAID'), capped at the order's total; only the holder's proof moves it
 * on. The real orders producer with the real pharmacy consumer runs in test/e2e/redemption.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Controller, Inject, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CREDENTIAL_TOKEN_TYPE,
  CodedError,
  CredentialKeyPublishedV1,
  type CredentialJwk,
  ORDERS_RPC,
  OrderDispensingV1,
  OrderFulfilledV1,
  OrderPaidV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
  OrderReleasedV1,
  ORDERS_CATALOGUE_RPC,
  generatePlatformOrderId,
} from '@prescriptchain/contracts';
import { createServiceMicroservice, VerificationCodeHmac } from '@prescriptchain/messaging';
import { type CryptoKey, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Pool } from 'pg';
import type { EventPublisher } from './event-publisher';

export const STANDIN_DDL = `
  CREATE TABLE IF NOT EXISTS standin_order (
    order_id uuid PRIMARY KEY, platform_order_id text, status text NOT NULL, pharmacy_id uuid, payout_cents int,
    total_cents int NOT NULL DEFAULT 10000, claimed_at timestamptz, hold_expires_at timestamptz,
    claims int NOT NULL DEFAULT 0
  )`;

/** The stand-in's hold, as DISPENSING_HOLD_HOURS' default. */
const HOLD_MS = 72 * 3_600_000;

export interface MintedOrder {
  orderId: string;
  platformOrderId: string;
  qrCodeData: string;
  verificationCode: string;
  expiresAt: Date;
}

export interface OrderLineInput {
  medicineId: string;
  quantity: string;
  packs?: number;
}

export class OrdersStandIn {
  /** Makes the next submitForReview calls take this long before answering (a slow or lost reply). */
  claimDelayMs = 0;
  /** The catalogue's price per unit (cents) of medicines a test prices itself... */
  readonly cataloguePrices = new Map<string, number>();
  /** ...and of every other medicine (null: unknown to the catalogue). */
  defaultCataloguePriceCents: number | null = 1_000_000;
  private readonly codes = VerificationCodeHmac.developmentKey();
  private key!: { kid: string; jwk: CredentialJwk; privateKey: CryptoKey };
  private app?: INestMicroservice;

  constructor(
    readonly pool: Pool,
    private readonly events: EventPublisher,
  ) {}

  get kid(): string {
    return this.key.kid;
  }

  get jwks(): CredentialJwk[] {
    return [this.key.jwk];
  }

  async start(vhostUrl: string, { publishKey = true } = {}): Promise<void> {
    await this.pool.query(STANDIN_DDL);
    this.key = await newCredentialKey();
    if (publishKey)
      await this.events.publish(CredentialKeyPublishedV1, { kid: this.key.kid, jwk: this.key.jwk });

    @Controller()
    class OrdersRpc {
      constructor(@Inject(OrdersStandIn) private readonly s: OrdersStandIn) {}

      @MessagePattern(ORDERS_RPC.claim)
      claim(@Payload() d: { orderId: string; pharmacyId: string; declaredPayoutCents: number }) {
        return this.s.claim(d);
      }

      @MessagePattern(ORDERS_RPC.releaseClaim)
      release(
        @Payload() d: { orderId: string; pharmacyId: string | null; releasedBy: string; reason: string },
      ) {
        return this.s.release(d);
      }

      @MessagePattern(ORDERS_RPC.submitForReview)
      submitForReview(@Payload() d: { orderId: string; pharmacyId: string }) {
        return this.s.submitForReview(d);
      }

      @MessagePattern(ORDERS_CATALOGUE_RPC.medicinePrices)
      prices(@Payload() d: { medicineIds: string[] }) {
        const priceOf = (id: string) => this.s.cataloguePrices.get(id) ?? this.s.defaultCataloguePriceCents;
        return {
          prices: d.medicineIds
            .filter((id) => priceOf(id) !== null)
            .map((id) => ({ medicineId: id, priceCents: priceOf(id)!, status: 'active' })),
        };
      }

      @MessagePattern(ORDERS_RPC.review)
      review(
        @Payload()
        d: {
          orderId: string;
          decision: 'approve' | 'reject';
          reviewerId: string;
          comments: string | null;
        },
      ) {
        return this.s.review(d);
      }

      @MessagePattern(ORDERS_RPC.jwks)
      jwks() {
        return { keys: this.s.jwks };
      }
    }
    @Module({ controllers: [OrdersRpc], providers: [{ provide: OrdersStandIn, useValue: this }] })
    class OrdersStandInModule {}

    this.app = await createServiceMicroservice(OrdersStandInModule, {
      service: 'orders',
      url: vhostUrl,
      nest: { logger: false },
      shutdownHooks: false,
    });
    await this.app.listen();
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }

  /** A PAID order with a signed QR token and a verification code, announced as orders would. */
  async paidOrder(
    items: OrderLineInput[],
    options: { patientName?: string; expiresAt?: Date; tokenExpiresAt?: Date; totalCents?: number } = {},
  ): Promise<MintedOrder> {
    const orderId = randomUUID();
    const platformOrderId = generatePlatformOrderId(() => randomInt(32));
    const verificationCode = String(randomInt(1_000_000)).padStart(6, '0');
    const expiresAt = options.expiresAt ?? new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const totalCents = options.totalCents ?? 10_000;
    await this.pool.query(
      `INSERT INTO standin_order (order_id, platform_order_id, status, total_cents) VALUES ($1, $2, 'PAID', $3)`,
      [orderId, platformOrderId, totalCents],
    );
    await this.events.publish(OrderPaidV1, {
      orderId,
      platformOrderId,
      clinicId: randomUUID(),
      practitionerId: randomUUID(),
      totalCents,
      expiresAt: expiresAt.toISOString(),
      patientName: options.patientName ?? 'Mere Tane',
      items: items.map((i) => ({
        medicineId: i.medicineId,
        name: '当归',
        pinyin: 'dāng guī',
        englishName: 'Chinese Angelica Root',
        unit: 'g',
        quantity: i.quantity,
        ...(i.packs ? { packs: i.packs } : {}),
      })),
      credentialKid: this.key.kid,
      verificationCodeHash: this.codes.digest(orderId, verificationCode),
    });
    const qrCodeData = await this.sign(
      { oid: orderId, pid: platformOrderId },
      options.tokenExpiresAt ?? expiresAt,
    );
    return { orderId, platformOrderId, qrCodeData, verificationCode, expiresAt };
  }

  /** A token signed with the real key (tests alter or expire it). */
  sign(claims: { oid: string; pid: string }, expiresAt: Date, key = this.key): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: CREDENTIAL_TOKEN_TYPE })
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key.privateKey);
  }

  async status(
    orderId: string,
  ): Promise<{ status: string; pharmacy_id: string | null; claims: number; payout_cents: number | null }> {
    return (
      await this.pool.query(
        'SELECT status, pharmacy_id, claims, payout_cents FROM standin_order WHERE order_id = $1',
        [orderId],
      )
    ).rows[0];
  }

  async claim(d: { orderId: string; pharmacyId: string; declaredPayoutCents: number }) {
    const now = new Date();
    const { rows } = await this.pool.query(
      `UPDATE standin_order SET status = 'DISPENSING', pharmacy_id = $2, payout_cents = LEAST($3, total_cents),
              claimed_at = $4, hold_expires_at = $5, claims = claims + 1
        WHERE order_id = $1 AND status = 'PAID' RETURNING *`,
      [d.orderId, d.pharmacyId, d.declaredPayoutCents, now, new Date(now.getTime() + HOLD_MS)],
    );
    const row = rows[0] ?? (await this.row(d.orderId));
    if (!row) throw new CodedError('ORDER_NOT_FOUND');
    const held = ['DISPENSING', 'PENDING_REVIEW', 'REJECTED'].includes(row.status);
    if (!rows[0] && held && row.pharmacy_id !== d.pharmacyId) throw new CodedError('ORDER_ALREADY_CLAIMED');
    if (!rows[0] && !held) throw new CodedError('INVALID_ORDER_STATUS');
    if (rows[0]) {
      await this.events.publish(OrderDispensingV1, {
        orderId: d.orderId,
        platformOrderId: row.platform_order_id,
        clinicId: randomUUID(),
        practitionerId: randomUUID(),
        pharmacyId: d.pharmacyId,
        payoutCents: row.payout_cents,
        claimedAt: row.claimed_at.toISOString(),
        holdExpiresAt: row.hold_expires_at.toISOString(),
      });
    }
    return this.claimView(row, !rows[0]);
  }

  async release(d: { orderId: string; pharmacyId: string | null; releasedBy: string; reason: string }) {
    const before = await this.row(d.orderId);
    if (!before) throw new CodedError('ORDER_NOT_FOUND');
    if (d.pharmacyId && before.pharmacy_id !== d.pharmacyId) throw new CodedError('ORDER_ALREADY_CLAIMED');
    const { rows } = await this.pool.query(
      `UPDATE standin_order SET status = 'PAID', pharmacy_id = NULL, payout_cents = NULL, claimed_at = NULL,
              hold_expires_at = NULL WHERE order_id = $1 AND status = 'DISPENSING' RETURNING *`,
      [d.orderId],
    );
    if (!rows[0]) throw new CodedError('INVALID_ORDER_STATUS');
    await this.events.publish(OrderReleasedV1, {
      orderId: d.orderId,
      platformOrderId: before.platform_order_id,
      clinicId: randomUUID(),
      practitionerId: randomUUID(),
      pharmacyId: before.pharmacy_id,
      releasedBy: d.releasedBy,
      reason: d.reason,
      releasedAt: new Date().toISOString(),
    });
    return { ...this.claimView({ ...before, status: 'PAID', hold_expires_at: null }, false) };
  }

  async submitForReview(d: { orderId: string; pharmacyId: string }): Promise<{ payoutCents: number }> {
    if (this.claimDelayMs > 0) await new Promise((r) => setTimeout(r, this.claimDelayMs));
    const { rows } = await this.pool.query(
      `UPDATE standin_order SET status = 'PENDING_REVIEW', hold_expires_at = NULL, claims = claims + 1
        WHERE order_id = $1 AND pharmacy_id = $2 AND status IN ('DISPENSING', 'REJECTED') RETURNING payout_cents`,
      [d.orderId, d.pharmacyId],
    );
    if (rows.length !== 1) {
      const row = await this.row(d.orderId);
      if (!row) throw new CodedError('ORDER_NOT_FOUND');
      if (row.status === 'PENDING_REVIEW' && row.pharmacy_id === d.pharmacyId)
        return { payoutCents: row.payout_cents };
      // As orders' Order.submitForReview: whoever does not hold the order now is refused.
      throw new CodedError('ORDER_ALREADY_CLAIMED');
    }
    await this.events.publish(OrderPendingReviewV1, {
      orderId: d.orderId,
      pharmacyId: d.pharmacyId,
      payoutCents: rows[0].payout_cents,
    });
    return { payoutCents: rows[0].payout_cents };
  }

  private async row(orderId: string): Promise<Record<string, any> | undefined> {
    return (await this.pool.query('SELECT * FROM standin_order WHERE order_id = $1', [orderId])).rows[0];
  }

  private claimView(row: Record<string, any>, alreadyHeld: boolean) {
    return {
      orderId: row.order_id,
      platformOrderId: row.platform_order_id,
      pharmacyId: row.pharmacy_id,
      status: row.status,
      payoutCents: row.payout_cents ?? 0,
      holdExpiresAt: row.hold_expires_at ? new Date(row.hold_expires_at).toISOString() : null,
      claimedAt: new Date(row.claimed_at ?? Date.now()).toISOString(),
      movedAt: new Date().toISOString(),
      alreadyHeld,
    };
  }

  async review(d: {
    orderId: string;
    decision: 'approve' | 'reject';
    reviewerId: string;
    comments: string | null;
  }) {
    const to = d.decision === 'approve' ? 'FULFILLED' : 'REJECTED';
    const { rows } = await this.pool.query(
      `UPDATE standin_order SET status = $2, hold_expires_at = CASE WHEN $2 = 'REJECTED' THEN $3::timestamptz END
        WHERE order_id = $1 AND status = 'PENDING_REVIEW' RETURNING pharmacy_id, payout_cents, hold_expires_at`,
      [d.orderId, to, new Date(Date.now() + HOLD_MS)],
    );
    if (rows.length !== 1) throw new CodedError('INVALID_ORDER_STATUS');
    if (to === 'FULFILLED') {
      await this.events.publish(OrderFulfilledV1, {
        orderId: d.orderId,
        clinicId: randomUUID(),
        pharmacyId: rows[0].pharmacy_id,
        payoutCents: rows[0].payout_cents,
        fulfilledAt: new Date().toISOString(),
      });
    } else {
      await this.events.publish(OrderRejectedV1, {
        orderId: d.orderId,
        pharmacyId: rows[0].pharmacy_id,
        reviewerId: d.reviewerId,
        comments: d.comments,
        holdExpiresAt: new Date(rows[0].hold_expires_at).toISOString(),
      });
    }
    return { orderId: d.orderId, status: to };
  }
}

export async function newCredentialKey(): Promise<{
  kid: string;
  jwk: CredentialJwk;
  privateKey: CryptoKey;
}> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return {
    kid,
    privateKey: privateKey as CryptoKey,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: exported.x!, kid, alg: 'EdDSA', use: 'sig' },
  };
}
