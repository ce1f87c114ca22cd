import { Controller, Req } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  CodedError,
  ERRORS,
  type HandleWebhookRequest,
  WebhookReceiptSchema,
} from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { rawBodyOf } from './raw-webhook-body';

/** Longer than accounts accepts: no Stripe-Signature header is this long. */
const MAX_SIGNATURE = 4096;
/** What accounts accepts as a webhook body (characters; a UTF-8 byte count bounds it). Stripe's events are far smaller. */
const MAX_BODY_BYTES = 1_000_000;

const unverifiable = (message: string, reason: 'signature_missing' | 'signature_invalid' | 'body_missing') =>
  new CodedError('MALFORMED_REQUEST', message, { reason });

/**
 * Stripe's webhook (and the sandbox provider's, which signs the same way). The gateway verifies
 * nothing itself: it forwards the bytes as received and the Stripe-Signature header to accounts,
 * which checks the signature with the endpoint secret and credits a top-up exactly once. Stripe
 * retries anything but a 2xx, so a bad signature is a 400 (retrying will not fix it) and a replay is
 * a 200 saying `duplicate: true`.
 */
@Controller()
export class PaymentWebhookController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.paymentWebhook)
  async receive(@Req() req: IncomingMessage) {
    const raw = rawBodyOf(req);
    if (!raw?.length) throw unverifiable('The webhook must carry the event as a JSON body.', 'body_missing');
    if (raw.length > MAX_BODY_BYTES) throw new CodedError('PAYLOAD_TOO_LARGE');
    const header = req.headers['stripe-signature'];
    const signature = (Array.isArray(header) ? header[0] : header)?.trim();
    if (!signature) throw unverifiable('The Stripe-Signature header is missing.', 'signature_missing');
    if (signature.length > MAX_SIGNATURE)
      throw unverifiable('The webhook signature could not be verified.', 'signature_invalid');

    const request: HandleWebhookRequest = { rawBody: raw.toString('utf8'), signature };
    try {
      const reply = await this.rpc.call(ACCOUNTS_RPC.handleWebhook, request);
      return parseReply(WebhookReceiptSchema, ACCOUNTS_RPC.handleWebhook, reply);
    } catch (err) {
      // Accounts answers a wrong or stale signature as UNAUTHENTICATED; for the provider it is a bad request.
      if ((err as { code?: unknown }).code === ERRORS.UNAUTHENTICATED.code)
        throw unverifiable('The webhook signature could not be verified.', 'signature_invalid');
      throw err;
    }
  }
}
