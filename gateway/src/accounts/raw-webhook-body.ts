import type { IncomingMessage } from 'node:http';
import { ROUTES } from '../routes/route-table';

const RAW_BODY = Symbol('prescriptchain:raw-body');
type WithRawBody = IncomingMessage & { [RAW_BODY]?: Buffer };

const normalise = (path: string) => path.toLowerCase().replace(/\/+$/, '');
const WEBHOOK_PATH = normalise(ROUTES.paymentWebhook.path);

/**
 * The JSON body parser's `verify` hook: keeps the bytes of a payment-webhook request exactly as they
 * arrived, because the provider's signature covers those bytes and not any re-serialisation of the
 * parsed JSON. Every other request's buffer is left to the garbage collector.
 */
export function keepRawWebhookBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  if (normalise((req.url ?? '').split('?')[0]) === WEBHOOK_PATH) (req as WithRawBody)[RAW_BODY] = buffer;
}

/** The raw bytes kept for this request, if it was a webhook delivery with a JSON body. */
export const rawBodyOf = (req: IncomingMessage): Buffer | undefined => (req as WithRawBody)[RAW_BODY];
