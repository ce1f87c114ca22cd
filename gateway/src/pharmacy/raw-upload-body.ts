import { MAX_UPLOAD_BYTES } from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { API_PREFIX } from '../routes/route';

/** `PUT /api/v1/files/upload/:token` (ROUTES.uploadFile), matched as Express routes it: case-insensitively. */
const UPLOAD_PREFIX = `${API_PREFIX}/files/upload/`.toLowerCase();

/** Whether a request is a file upload to a signed URL: only its body is read as raw bytes. */
export function isFileUpload(req: IncomingMessage): boolean {
  if (req.method !== 'PUT') return false;
  const path = (req.url ?? '').split('?')[0].toLowerCase();
  return path.startsWith(UPLOAD_PREFIX) && path.length > UPLOAD_PREFIX.length;
}

/**
 * Options of the raw body parser for file uploads (`app.useBodyParser('raw', …)`, registered before
 * the JSON parser so it owns these requests whatever their Content-Type): the bytes as a Buffer in
 * `req.body`, at most MAX_UPLOAD_BYTES (a larger body is 413 PAYLOAD_TOO_LARGE before anyone is
 * asked), stored exactly as sent (no Content-Encoding inflation). Every other request is left to
 * the JSON parser and its BODY_LIMIT.
 */
export const RAW_UPLOAD_BODY = { type: isFileUpload, limit: MAX_UPLOAD_BYTES, inflate: false } as const;

/** The bytes of a file upload the raw parser read, if any. */
export function uploadedBytesOf(req: IncomingMessage): Buffer | undefined {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  return Buffer.isBuffer(body) ? body : undefined;
}
