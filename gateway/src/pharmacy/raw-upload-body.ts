import { CodedError } from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { API_PREFIX } from '../routes/route';

/** `PUT /api/v1/files/upload/:token` (ROUTES.uploadFile), matched as Express routes it: case-insensitively. */
const UPLOAD_PREFIX = `${API_PREFIX}/files/upload/`.toLowerCase();

/** Whether a request is a file upload to a signed URL: no body parser reads it (the handler does). */
export function isFileUpload(req: IncomingMessage): boolean {
  if (req.method !== 'PUT') return false;
  const path = (req.url ?? '').split('?')[0].toLowerCase();
  return path.startsWith(UPLOAD_PREFIX) && path.length > UPLOAD_PREFIX.length;
}

/** `image/png; charset=x` → `image/png`. */
export const mediaTypeOf = (header: string | undefined) =>
  header?.split(';')[0].trim().toLowerCase() || undefined;

/**
 * The JSON body parser's `type`: `application/json`, as its default, but never a file upload —
 * whatever Content-Type an upload claims, its bytes are read only after its URL checked out.
 */
export const isJsonBody = (req: IncomingMessage) =>
  !isFileUpload(req) && mediaTypeOf(req.headers['content-type']) === 'application/json';

const tooLarge = (maxBytes: number) =>
  new CodedError('PAYLOAD_TOO_LARGE', `The file is larger than the ${maxBytes} bytes declared.`);

/**
 * Reads an upload's body once its URL has been checked, at most `maxBytes` (the declared size): a
 * Content-Length above it is refused before a byte is read, a body that grows past it as soon as it
 * does. Never more than `maxBytes` is held in memory per request.
 */
export function readUploadBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity')
    return Promise.reject(
      new CodedError('MALFORMED_REQUEST', 'Send the file’s bytes as they are, without Content-Encoding.'),
    );
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAborted = () => {
      cleanup();
      reject(new CodedError('MALFORMED_REQUEST', 'The upload was interrupted.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
