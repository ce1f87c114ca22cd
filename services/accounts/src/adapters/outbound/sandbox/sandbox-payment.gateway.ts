import { createHash, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { centsToDecimal, CodedError, decimalToCents } from '@prescriptchain/contracts';
import { isProductionEnv } from '@prescriptchain/messaging';
import Stripe from 'stripe';
import {
  type CreatePaymentRequest,
  PaymentGateway,
  type PaymentHandle,
  type RawNotice,
  type VerifiedPaymentEvent,
} from '../../../application/ports/payment-gateway';
import type { AccountsPrismaService } from '../prisma/accounts-prisma.service';
import { StripeWebhookVerifier } from '../stripe/stripe-webhook.verifier';
import { DelayedDeliveries } from './delayed-deliveries';

/** Hands a signed webhook delivery (raw body + `Stripe-Signature` value) to the webhook endpoint. */
export type WebhookDelivery = (rawBody: string, signature: string) => Promise<void>;

/** Delivery over HTTP, e.g. to the gateway's `/api/v1/payments/webhook` (PAYMENTS_WEBHOOK_URL). */
export function httpWebhookDelivery(url: string, timeoutMs = 10_000): WebhookDelivery {
  return async (rawBody, signature) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: rawBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`webhook endpoint ${url} answered ${res.status}`);
  };
}

export interface SandboxPaymentGatewayOptions {
  prisma: AccountsPrismaService;
  webhookSecret: string;
  deliver: WebhookDelivery;
  /** Settle each new intent this long after it was created (as if the client paid at once); null = only `settle()`. */
  settleAfterMs: number | null;
  /** Back-off between failed deliveries (Stripe retries for days; the sandbox a few times). */
  retryDelaysMs?: readonly number[];
  /** Where NODE_ENV is read (default process.env): the sandbox refuses to exist in production. */
  env?: NodeJS.ProcessEnv;
}

interface IntentRow {
  id: string;
  request_hash: string;
  amount: string;
  currency: string;
  metadata: Record<string, string>;
  client_secret: string;
  status: string;
  event_id: string;
  created_at: Date;
}

const INTENT_COLUMNS =
  'id, request_hash, amount::text AS amount, currency, metadata, client_secret, status, event_id, created_at';

/**
 * A payment provider that needs no network: it keeps its PaymentIntents in accounts' database (ids
 * `pi_sandbox_…`, with a client secret), and "the client pays" by `settle()`, which delivers a
 * `payment_intent.succeeded` event in Stripe's format, signed with the webhook secret the way Stripe
 * signs, to the same webhook path the real provider reaches. Idempotency keys behave as Stripe's do.
 */
export class SandboxPaymentGateway extends PaymentGateway {
  readonly method = 'card' as const;
  readonly provider = 'sandbox';
  /** As Stripe's adapter: card top-ups settle by webhook alone. */
  readonly followUp = null;
  private readonly log = new Logger(SandboxPaymentGateway.name);
  private readonly verifier: StripeWebhookVerifier;
  private readonly deliveries: DelayedDeliveries;

  constructor(private readonly options: SandboxPaymentGatewayOptions) {
    super();
    // It credits accounts without charging anyone: never outside development and test.
    if (isProductionEnv(options.env ?? process.env))
      throw new Error('the sandbox payment provider refuses to run outside development and test');
    this.verifier = new StripeWebhookVerifier(options.webhookSecret);
    this.deliveries = new DelayedDeliveries((id) => this.settle(id), {
      log: this.log,
      retryingMsg: 'sandbox webhook delivery failed; retrying',
      givingUpMsg: 'sandbox webhook delivery failed; giving up until restart',
      fields: (id) => ({ paymentIntentId: id }),
      retryDelaysMs: options.retryDelaysMs,
    });
  }

  async createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          request.amountCents,
          request.currency,
          request.metadata.clinicId,
          request.metadata.topUpId,
        ]),
      )
      .digest('hex');
    const id = `pi_sandbox_${randomBytes(12).toString('hex')}`;
    const { prisma } = this.options;
    const inserted = await prisma.$executeRaw`
      INSERT INTO sandbox_payment_intent (id, idempotency_key, request_hash, amount, currency, metadata, client_secret, status, event_id)
      VALUES (${id}, ${request.idempotencyKey}, ${hash}, ${centsToDecimal(request.amountCents)}::numeric, ${request.currency},
              ${JSON.stringify(request.metadata)}::jsonb, ${`${id}_secret_${randomBytes(16).toString('hex')}`},
              'requires_payment_method', ${`evt_sandbox_${randomBytes(12).toString('hex')}`})
      ON CONFLICT (idempotency_key) DO NOTHING`;
    const [row] = await prisma.$queryRawUnsafe<IntentRow[]>(
      `SELECT ${INTENT_COLUMNS} FROM sandbox_payment_intent WHERE idempotency_key = $1`,
      request.idempotencyKey,
    );
    if (row.request_hash !== hash) {
      // What Stripe answers (an idempotency_error) when a key is reused with other parameters.
      throw new CodedError(
        'PAYMENT_FAILED',
        'The payment provider refused a reused idempotency key with different parameters.',
        {
          provider: 'sandbox',
          code: 'idempotency_error',
        },
      );
    }
    if (inserted === 1 && this.options.settleAfterMs !== null)
      this.schedule(row.id, this.options.settleAfterMs);
    return {
      paymentId: row.id,
      providerTradeNo: row.id,
      amountCents: decimalToCents(row.amount),
      currency: 'NZD',
      action: { type: 'client_secret', clientSecret: row.client_secret },
    };
  }

  async verifyNotice(notice: RawNotice): Promise<VerifiedPaymentEvent> {
    return this.verifier.verify(notice);
  }

  /**
   * The client paid: delivers the intent's signed `payment_intent.succeeded` (always the same event id,
   * so a redelivery is recognised as one) and marks the intent succeeded once delivered.
   */
  async settle(paymentIntentId: string): Promise<void> {
    const [row] = await this.options.prisma.$queryRawUnsafe<IntentRow[]>(
      `SELECT ${INTENT_COLUMNS} FROM sandbox_payment_intent WHERE id = $1`,
      paymentIntentId,
    );
    if (!row) throw new CodedError('NOT_FOUND', `No sandbox PaymentIntent ${paymentIntentId}.`);
    const { rawBody, signature } = this.signedSucceededEvent(row);
    await this.options.deliver(rawBody, signature);
    await this.options.prisma.$executeRaw`
      UPDATE sandbox_payment_intent SET status = 'succeeded', settled_at = now() WHERE id = ${row.id} AND settled_at IS NULL`;
  }

  /** The event exactly as it is delivered (exposed for tests and for replaying by hand). */
  signedSucceededEvent(
    row: Pick<IntentRow, 'id' | 'amount' | 'currency' | 'metadata' | 'event_id' | 'created_at'>,
  ): {
    rawBody: string;
    signature: string;
  } {
    const amount = decimalToCents(row.amount);
    const rawBody = JSON.stringify(
      {
        id: row.event_id,
        object: 'event',
        api_version: Stripe.API_VERSION,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'payment_intent.succeeded',
        data: {
          object: {
            id: row.id,
            object: 'payment_intent',
            amount,
            amount_received: amount,
            currency: row.currency.toLowerCase(),
            status: 'succeeded',
            metadata: row.metadata,
            created: Math.floor(row.created_at.getTime() / 1000),
            livemode: false,
          },
        },
      },
      null,
      2,
    );
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: rawBody,
      secret: this.options.webhookSecret,
    });
    return { rawBody, signature };
  }

  /** Settles intents a restart left unsettled (auto-settle mode only). */
  async start(): Promise<void> {
    if (this.options.settleAfterMs === null) return;
    const rows = await this.options.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM sandbox_payment_intent WHERE settled_at IS NULL ORDER BY created_at LIMIT 1000`,
    );
    for (const { id } of rows) this.schedule(id, this.options.settleAfterMs);
  }

  /** Cancels scheduled settlements and waits (bounded) for deliveries under way. */
  stop(timeoutMs = 5_000): Promise<void> {
    return this.deliveries.stop(timeoutMs);
  }

  /** Resolves when every scheduled or running settlement has finished (tests). */
  idle(): Promise<void> {
    return this.deliveries.idle();
  }

  private schedule(id: string, delayMs: number): void {
    this.deliveries.schedule(id, delayMs);
  }
}
