import createClient from 'openapi-fetch';
import type { paths } from '../generated/api';
import { Session, sessionStorageStore } from './session';

/** Fired when the session could not be refreshed: the app shows the login page. */
export const SESSION_EXPIRED = 'prescriptchain:session-expired';
/** Fired after POST /auth/password: the API revoked the session, the login page says why. */
export const PASSWORD_CHANGED = 'prescriptchain:password-changed';

export const session = new Session({
  store: sessionStorageStore(),
  fetch: (r) => globalThis.fetch(r),
  onExpired: () => window.dispatchEvent(new Event(SESSION_EXPIRED)),
});

/** The typed API client: paths, bodies and answers from the gateway's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', fetch: session.fetch });

/** The API's error envelope (gateway/docs/api.md). */
export interface ApiErrorBody {
  success: false;
  error: { code: string; message: string; details?: unknown; traceId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * `data` of a success envelope, or throws ApiError with the envelope's code and message (safe to
 * show). For `const r = await api.GET(...)`.
 */
export function unwrap<T>(r: { data?: { data: T }; error?: unknown; response: Response }): T {
  if (r.data !== undefined && r.response.ok) return r.data.data;
  throw toApiError(r.response, r.error);
}

export function toApiError(response: Response, error: unknown): ApiError {
  const e = (error as ApiErrorBody | undefined)?.error;
  return new ApiError(response.status, e?.code ?? String(response.status), e?.message ?? response.statusText, e?.details);
}

/** A protected binary (the QR PNG, the PDF) as an object URL, fetched with the session's token. */
export async function fetchBlobUrl(path: string): Promise<string> {
  const res = await session.fetch(new Request(path));
  if (!res.ok) throw new ApiError(res.status, String(res.status), res.statusText);
  return URL.createObjectURL(await res.blob());
}

export const newIdempotencyKey = () => crypto.randomUUID();

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasNext: boolean;
  hasPrev: boolean;
}

/** A paginated answer: the items and `meta.pagination`. */
export function unwrapPage<T>(r: {
  data?: { data: T[]; meta: { pagination: Pagination } };
  error?: unknown;
  response: Response;
}): { items: T[]; pagination: Pagination } {
  if (r.data !== undefined && r.response.ok) return { items: r.data.data, pagination: r.data.meta.pagination };
  throw toApiError(r.response, r.error);
}

/** For answers without a body (204): throws the envelope's error when not ok. */
export function expectOk(r: { error?: unknown; response: Response }): void {
  if (!r.response.ok) throw toApiError(r.response, r.error);
}
