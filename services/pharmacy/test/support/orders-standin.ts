/**
 * An orders-like service for pharmacy's integration suites, on the suite's vhost and database:
 * it mints paid orders with real EdDSA credentials (publishing orders.credential_key.published and
 * orders.order.paid as orders does), and answers orders.orders.claimForReview / review and
 * orders.credentials.jwks over RPC. claimForReview is the same atomic compare-and-set orders makes
 * (UPDATE … WHERE status = 'PAID' OR (status = 'REJECTED' AND pharmacy_id = caller)).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Controller, Inject, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CREDENTIAL_TOKEN_TYPE,
  CodedError,
  CredentialKeyPublishedV1,
  type CredentialJwk,
  ORDERS_RPC,
  OrderFulfilledV1,
  OrderPaidV1,
  OrderPendingReviewV1,
  OrderRejectedV1,
  generatePlatformOrderId,
} from '@prescriptchain/contracts';
import { createServiceMicroservice } from '@prescriptchain/messaging';
import { type CryptoKey, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Pool } from 'pg';
import type { EventPublisher } from './event-publisher';

export const STANDIN_DDL = `
  CREATE TABLE IF NOT EXISTS standin_order (
    order_id uuid PRIMARY KEY, status text NOT NULL, pharmacy_id uuid, payout_cents int, claims int NOT NULL DEFAULT 0
  )`;

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
  /** Makes the next claimForReview calls take this long before answering (a slow or lost reply). */
  claimDelayMs = 0;
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

      @MessagePattern(ORDERS_RPC.claimForReview)
      claim(@Payload() d: { orderId: string; pharmacyId: string; payoutCents: number }) {
        return this.s.claimForReview(d);
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
    options: { patientName?: string; expiresAt?: Date; tokenExpiresAt?: Date } = {},
  ): Promise<MintedOrder> {
    const orderId = randomUUID();
    const platformOrderId = generatePlatformOrderId(() => randomInt(32));
    const verificationCode = String(randomInt(1_000_000)).padStart(6, '0');
    const expiresAt = options.expiresAt ?? new Date(Date.now() + 30 * 24 * 3600 * 1000);
    await this.pool.query(`INSERT INTO standin_order (order_id, status) VALUES ($1, 'PAID')`, [orderId]);
    await this.events.publish(OrderPaidV1, {
      orderId,
      platformOrderId,
      clinicId: randomUUID(),
      practitionerId: randomUUID(),
      totalCents: 10_000,
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
      verificationCodeHash: createHash('sha256').update(`${orderId}:${verificationCode}`).digest('hex'),
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

  async claimForReview(d: {
    orderId: string;
    pharmacyId: string;
    payoutCents: number;
  }): Promise<{ orderId: string }> {
    if (this.claimDelayMs > 0) await new Promise((r) => setTimeout(r, this.claimDelayMs));
    const { rowCount } = await this.pool.query(
      `UPDATE standin_order SET status = 'PENDING_REVIEW', pharmacy_id = $2, payout_cents = $3, claims = claims + 1
        WHERE order_id = $1 AND (status = 'PAID' OR (status = 'REJECTED' AND pharmacy_id = $2))`,
      [d.orderId, d.pharmacyId, d.payoutCents],
    );
    if (rowCount !== 1) {
      const exists = (await this.pool.query('SELECT 1 FROM standin_order WHERE order_id = $1', [d.orderId]))
        .rowCount;
      throw new CodedError(exists ? 'INVALID_ORDER_STATUS' : 'ORDER_NOT_FOUND');
    }
    await this.events.publish(OrderPendingReviewV1, d);
    return { orderId: d.orderId };
  }

  async review(d: {
    orderId: string;
    decision: 'approve' | 'reject';
    reviewerId: string;
    comments: string | null;
  }) {
    const to = d.decision === 'approve' ? 'FULFILLED' : 'REJECTED';
    const { rows } = await this.pool.query(
      `UPDATE standin_order SET status = $2 WHERE order_id = $1 AND status = 'PENDING_REVIEW' RETURNING pharmacy_id, payout_cents`,
      [d.orderId, to],
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
