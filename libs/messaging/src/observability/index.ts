export { startTelemetry, shutdownTelemetry, type TelemetryOptions } from './telemetry';
export {
  createLogger,
  nestLoggerFor,
  redactDeep,
  REDACTED,
  REDACTED_FIELDS,
  type CreateLoggerOptions,
  type Logger,
} from './logger';
export { requestContext, type RequestContext } from './request-context';
