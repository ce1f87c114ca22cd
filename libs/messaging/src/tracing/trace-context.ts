import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  ROOT_CONTEXT,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { HEADERS } from '@prescriptchain/contracts';

/**
 * W3C trace context across the broker, with @opentelemetry/api only: without a registered SDK every
 * call here is a no-op, so the kit never depends on how (or whether) a service sets up telemetry.
 */
const TRACER = '@prescriptchain/messaging';

type Carrier = Record<string, unknown>;

const headerGetter = {
  keys: (carrier: Carrier) => Object.keys(carrier),
  get: (carrier: Carrier, key: string) => {
    const v = carrier[key];
    if (typeof v === 'string') return v;
    if (Buffer.isBuffer(v)) return v.toString('utf8');
    return undefined;
  },
};

/** `traceparent` (and `tracestate`) of the given context, as message headers. */
export function traceHeaders(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const out: { traceparent?: string; tracestate?: string } = {};
  if (carrier[HEADERS.traceparent]) out.traceparent = carrier[HEADERS.traceparent];
  if (carrier[HEADERS.tracestate]) out.tracestate = carrier[HEADERS.tracestate];
  return out;
}

/** The remote parent carried by message headers, falling back to a stored traceparent. */
export function contextFromHeaders(headers: Carrier | undefined, fallbackTraceparent?: string | null): Context {
  const carrier: Carrier = { ...(headers ?? {}) };
  if (headerGetter.get(carrier, HEADERS.traceparent) === undefined && fallbackTraceparent) {
    carrier[HEADERS.traceparent] = fallbackTraceparent;
  }
  return propagation.extract(ROOT_CONTEXT, carrier, headerGetter);
}

/** Runs `fn` in a new span (child of `parent`), ending it and recording a failure. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Attributes,
  fn: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const span = trace.getTracer(TRACER).startSpan(name, { kind, attributes }, parent);
  const ctx = trace.setSpan(parent, span);
  try {
    return await context.with(ctx, () => fn(span, ctx));
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

export { SpanKind };
