import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** The `X-Request-Id` of the HTTP request being served. */
  requestId: string;
  /** The trace id reported to the client; equals the active OpenTelemetry trace id when there is one. */
  traceId: string;
}

/** Set by the gateway for the duration of each request; read by the logger. */
export const requestContext = new AsyncLocalStorage<RequestContext>();
