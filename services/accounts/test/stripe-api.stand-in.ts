/**
 * A local HTTP stand-in for the part of Stripe's API the accounts service calls
 * (`POST /v1/payment_intents`, with Stripe's idempotency-key semantics and error shapes), and for
 * what Stripe sends back: a signed `payment_intent.succeeded` webhook once the customer paid. The
 * real stripe-node client talks to it over HTTP, so the adapter's requests and response handling
 * are exercised for real.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

interface StoredIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  client_secret: string;
  status: string;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  livemode: false;
}

export class StripeApiStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly intents = new Map<string, StoredIntent>();
  private readonly idempotency = new Map<string, { body: string; status: number; response: unknown }>();
  private readonly failures: { status: number; error: Record<string, unknown> }[] = [];
  private server?: Server;

  constructor(
    readonly secretKey: string,
    readonly webhookSecret: string,
  ) {}

  async start(): Promise<{ host: string; port: number; protocol: 'http' }> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return { host: '127.0.0.1', port: (this.server.address() as AddressInfo).port, protocol: 'http' };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next create answers this error (Stripe's shape: `{ error: { type, code, message } }`). */
  failNext(status: number, error: Record<string, unknown>): void {
    this.failures.push({ status, error });
  }

  /** The customer paid: the intent succeeds and Stripe would POST this signed event to the endpoint. */
  succeed(
    paymentIntentId: string,
    options: { eventId?: string; amountReceived?: number } = {},
  ): { rawBody: string; signature: string } {
    const intent = this.intents.get(paymentIntentId);
    if (!intent) throw new Error(`stand-in: no PaymentIntent ${paymentIntentId}`);
    intent.status = 'succeeded';
    intent.amount_received = options.amountReceived ?? intent.amount;
    const rawBody = JSON.stringify(
      {
        id: options.eventId ?? `evt_${randomBytes(12).toString('hex')}`,
        object: 'event',
        api_version: Stripe.API_VERSION,
        created: Math.floor(Date.now() / 1000),
        data: { object: intent },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'payment_intent.succeeded',
      },
      null,
      2,
    );
    return {
      rawBody,
      signature: Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: this.webhookSecret }),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({
      method: req.method ?? '',
      path,
      headers: req.headers,
      form: new URLSearchParams(body),
    });

    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      return send(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
      });
    }
    if (req.method === 'POST' && path === '/v1/payment_intents') return this.createIntent(req, res, body);
    const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && retrieve) {
      const intent = this.intents.get(decodeURIComponent(retrieve[1]));
      return intent
        ? send(res, 200, intent)
        : send(res, 404, {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              message: 'No such payment_intent',
            },
          });
    }
    return send(res, 404, {
      error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` },
    });
  }

  private createIntent(req: IncomingMessage, res: ServerResponse, body: string): void {
    const key = req.headers['idempotency-key'] as string | undefined;
    if (key) {
      const seen = this.idempotency.get(key);
      if (seen && seen.body !== body) {
        return send(res, 400, {
          error: {
            type: 'idempotency_error',
            message:
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          },
        });
      }
      if (seen) return send(res, seen.status, seen.response, { 'idempotent-replayed': 'true' });
    }
    const failure = this.failures.shift();
    if (failure) return send(res, failure.status, { error: failure.error });

    const form = new URLSearchParams(body);
    const amount = Number(form.get('amount'));
    const currency = form.get('currency') ?? '';
    if (!Number.isInteger(amount) || amount < 50 || !currency) {
      return send(res, 400, {
        error: {
          type: 'invalid_request_error',
          code: 'parameter_invalid_integer',
          message: 'Invalid amount',
        },
      });
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of form) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]] = v;
    }
    const id = `pi_${randomBytes(12).toString('hex')}`;
    const intent: StoredIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency,
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      status: 'requires_payment_method',
      metadata,
      description: form.get('description'),
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    this.intents.set(id, intent);
    if (key) this.idempotency.set(key, { body, status: 200, response: intent });
    send(res, 200, intent);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_${randomBytes(8).toString('hex')}`,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** A Stripe-format delivery as the gateway forwards it: the raw body and its `Stripe-Signature` header. */
export const stripeNotice = (delivery: { rawBody: string; signature: string }) => ({
  body: delivery.rawBody,
  headers: { 'content-type': 'application/json', 'stripe-signature': delivery.signature },
});

/** The contract's forgeries of a Stripe-format delivery, for an endpoint signing with `webhookSecret`. */
export function stripeForgeries(webhookSecret: string) {
  const resign = (body: string, secret: string, timestamp?: number) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
    },
  });
  return {
    alter: (n: { body: string; headers: Record<string, string> }) => ({
      ...n,
      body: n.body.replace(/"amount_received": ?(\d+)/, (_m, cents) => `"amount_received": ${Number(cents) * 10}`),
    }),
    signedByAnotherKey: async (_id: string, paid: { body: string }) => resign(paid.body, 'whsec_someone_else'),
    unsigned: (n: { body: string }) => ({ body: n.body, headers: { 'content-type': 'application/json' } }),
    stale: async (_id: string, paid: { body: string }) =>
      resign(paid.body, webhookSecret, Math.floor(Date.now() / 1000) - 3600),
  };
}
