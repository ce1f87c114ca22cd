import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import { requestContext, type Logger, type RequestContext } from '@prescriptchain/messaging';
import type { GatewayMetrics } from '../operations/gateway-metrics';
import type { HttpDrain } from './http-drain';

const CONTEXT = Symbol('prescriptchain:request-context');

/** What Express adds to the request that we read. */
export interface GatewayRequest extends IncomingMessage {
  route?: { path: string };
  path?: string;
  body?: unknown;
  params?: Record<string, string>;
  query?: unknown;
  [CONTEXT]?: RequestContext;
}

/** Ids clients or proxies may hand us; anything else is replaced, never echoed. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The active OpenTelemetry trace id, or a fresh 32-hex id when no SDK is recording. */
function traceIdOfActiveSpan(): string {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? span.traceId : randomBytes(16).toString('hex');
}

export function contextOf(req: IncomingMessage): RequestContext {
  const r = req as GatewayRequest;
  return (r[CONTEXT] ??= {
    requestId: requestIdFrom(req.headers['x-request-id']),
    traceId: traceIdOfActiveSpan(),
  });
}

/** Unmatched requests share one label, so scanners cannot blow up the metric's cardinality. */
export const routeLabel = (req: GatewayRequest) => req.route?.path ?? 'unmatched';

/**
 * First middleware of the chain: request id and trace id (kept for the logger in
 * AsyncLocalStorage), `X-Request-Id` on every response, duration/in-flight metrics, one log line
 * per request, and connection draining during shutdown.
 */
export function requestContextMiddleware(deps: {
  metrics: GatewayMetrics;
  logger: Logger;
  drain: HttpDrain;
}) {
  const { metrics, logger, drain } = deps;
  return (req: GatewayRequest, res: ServerResponse, next: (err?: unknown) => void) => {
    const ctx = contextOf(req);
    res.setHeader('X-Request-Id', ctx.requestId);
    drain.track(res);
    metrics.httpInFlight.inc();
    const startedAt = process.hrtime.bigint();
    requestContext.run(ctx, () => {
      // Bound to this request's async context, so the log line carries its ids.
      const done = AsyncResource.bind(() => {
        metrics.httpInFlight.dec();
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        const route = routeLabel(req);
        metrics.httpDuration.observe(
          { method: req.method ?? 'GET', route, status: String(res.statusCode) },
          seconds,
        );
        const fields = {
          method: req.method,
          // The route template only, never the path: paths carry signed file-URL tokens and ids, and
          // query strings search terms about people.
          route,
          status: res.statusCode,
          duration_ms: Math.round(seconds * 1e4) / 10,
          aborted: !res.writableFinished || undefined,
        };
        // The cause of a 5xx is logged where it is mapped (the filter); this line only counts it.
        if (res.statusCode >= 500) logger.warn(fields, 'request failed');
        else logger.info(fields, 'request completed');
      });
      res.once('close', done);
      next();
    });
  };
}
