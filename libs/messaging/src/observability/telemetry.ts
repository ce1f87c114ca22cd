import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { PrismaInstrumentation } from '@prisma/instrumentation';

// Kept on globalThis so a second copy of this module (e.g. src and dist both loaded) finds the
// running SDK instead of starting another one.
const SDK_KEY = Symbol.for('prescriptchain.telemetry.sdk');
type Holder = { [SDK_KEY]?: NodeSDK };
const holder = globalThis as Holder;

/** Liveness and scrape endpoints would drown real traces. */
const NOISY_PATHS = /^\/(health|metrics)(\/|\?|$)/;

export interface TelemetryOptions {
  /** Defaults to OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** Defaults to OTEL_EXPORTER_OTLP_ENDPOINT; without one, spans are made (ids, propagation) but not exported. */
  otlpEndpoint?: string;
}

/**
 * Starts the OpenTelemetry NodeSDK once per process: HTTP, amqplib and Prisma instrumentations,
 * W3C trace-context + baggage propagation. Must run before http/amqplib/prisma are first required,
 * hence `node --require .../observability/register.js`.
 */
export function startTelemetry(options: TelemetryOptions = {}): void {
  if (holder[SDK_KEY]) return;
  const endpoint = options.otlpEndpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // A recording tracer provider even without an exporter: trace ids then exist for every request
  // and travel in message headers, so logs of all processes correlate.
  const spanProcessor: SpanProcessor = endpoint
    ? new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(
          options.otlpEndpoint ? { url: `${endpoint.replace(/\/$/, '')}/v1/traces` } : {},
        ),
      })
    : new NoopSpanProcessor();
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? process.env.OTEL_SERVICE_NAME,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    spanProcessors: [spanProcessor],
    // Traces only: metrics are Prometheus (/metrics), logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    // Without an exporter nobody sees a span: only the HTTP server's stays (it gives a request the
    // trace id its logs and error envelope carry; the messaging kit makes and propagates its own).
    // Prisma's and amqplib's spans cost every query and every message CPU for nothing then — in the
    // orders bench, a tenth of the saga's CPU per order.
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => NOISY_PATHS.test(req.url ?? '') }),
      ...(endpoint ? [new AmqplibInstrumentation(), new PrismaInstrumentation()] : []),
    ],
  });
  sdk.start();
  holder[SDK_KEY] = sdk;
}

/** Flushes pending spans and stops the SDK (call on SIGTERM). A no-op when telemetry never started. */
export async function shutdownTelemetry(): Promise<void> {
  const sdk = holder[SDK_KEY];
  if (!sdk) return;
  delete holder[SDK_KEY];
  await sdk.shutdown();
}
