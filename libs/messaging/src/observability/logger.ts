import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { requestContext } from './request-context';

export type { Logger } from 'pino';

/**
 * Field names whose values never reach a log line, at any depth, in any spelling
 * (`apiKey`, `api_key`, `X-Api-Key` all match `apikey`): personal data and secrets.
 */
export const REDACTED_FIELDS = [
  'password',
  'passwordHash',
  'newPassword',
  'currentPassword',
  'token',
  'tokens',
  'accessToken',
  'refreshToken',
  'idToken',
  'authorization',
  'proxyAuthorization',
  'cookie',
  'setCookie',
  'apiKey',
  'xApiKey',
  'secret',
  'clientSecret',
  'stripeSignature',
  'phone',
  'phoneNumber',
  'email',
  'licenseNumber',
  'patientInfo',
  'dateOfBirth',
  'address',
  'verificationCode',
  'qrCodeData',
] as const;

export const REDACTED = '[REDACTED]';

const normalize = (key: string) => key.replace(/[-_]/g, '').toLowerCase();
const SENSITIVE = new Set(REDACTED_FIELDS.map(normalize));
const MAX_DEPTH = 12;

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Copies only the branches that hold a sensitive field; everything else is shared. Not pino's
 * `redact`: its `*` wildcard matches exactly one level, so "any depth" needs one path per field
 * and depth (~130 paths for 6 levels), measured at ~240 µs per line against ~3 µs for this walk
 * (~1.8 µs with no redaction at all).
 */
export function redactDeep<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactDeep(item, depth + 1);
      if (redacted !== item) (copy ??= value.slice())[i] = redacted;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const redacted = SENSITIVE.has(normalize(key)) ? REDACTED : redactDeep(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return (copy ?? value) as T;
}

export interface CreateLoggerOptions {
  /** Defaults to LOG_LEVEL, else `info`. */
  level?: string;
  /** Defaults to stdout. */
  destination?: DestinationStream;
  /**
   * Which process of the service this is, on every line as `instance` (replicas share `service`):
   * defaults to SERVICE_INSTANCE_ID (the launchers set it: `orders`, `orders-2`, …); none when unset.
   */
  instance?: string;
}

/**
 * JSON logger for one process. Every line carries `service` (and `instance` when known), the active `trace_id`/`span_id` and,
 * inside a gateway request, its `request_id` (and the request's trace id when no span is active).
 */
export function createLogger(service: string, options: CreateLoggerOptions = {}): Logger {
  const instance = options.instance ?? process.env.SERVICE_INSTANCE_ID?.trim();
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service, ...(instance ? { instance } : {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactDeep(obj),
    },
    mixin() {
      const fields: Record<string, string> = {};
      const span = trace.getActiveSpan()?.spanContext();
      const req = requestContext.getStore();
      if (span && trace.isSpanContextValid(span)) {
        fields.trace_id = span.traceId;
        fields.span_id = span.spanId;
      } else if (req) {
        fields.trace_id = req.traceId;
      }
      if (req) fields.request_id = req.requestId;
      return fields;
    },
  };
  const logger = options.destination ? pino(config, options.destination) : pino(config);
  // pino skips the formatters for child bindings (`logger.child({ user })`); children inherit this.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactDeep(bindings), childOptions);
  } as typeof child;
  return logger;
}

/** Nest's LoggerService shape over a pino logger (structural: no Nest import here). */
export function nestLoggerFor(logger: Logger) {
  const write =
    (level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...rest: unknown[]) => {
      // Nest passes the context (class name) last; an error's stack comes before it.
      const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
      const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
      if (message instanceof Error) logger[level]({ err: message, context }, message.message);
      else if (typeof message === 'object' && message !== null) logger[level]({ ...message, context });
      else logger[level]({ context, ...(stack && { stack }) }, String(message));
    };
  return {
    log: write('info'),
    error: write('error'),
    warn: write('warn'),
    debug: write('debug'),
    verbose: write('trace'),
    fatal: write('fatal'),
  };
}
