/**
 * Preloaded by every process before anything else:
 *   node --require ./libs/messaging/dist/observability/register.js <service>/dist/main.js
 * Instrumentations patch modules as they are first required, so this must come first.
 */
import { startTelemetry } from './telemetry';

startTelemetry();

export { shutdownTelemetry } from './telemetry';
