import { randomUUID } from 'node:crypto';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { INestMicroservice } from '@nestjs/common';
import { ClinicCreatedV1 } from '@prescriptchain/contracts';
import { type TestVhost, createTestVhost, eventually } from '../../../../test/support/infra';
import { AmqpConnection } from '../amqp/amqp.connection';
import { Outbox } from '../outbox/outbox';
import { ConsumerProbe, EFFECT_DDL, startClinicConsumer } from '../testing/clinic-consumer.app';
import { type MessagingDb, createMessagingDb, recordingLogger } from '../testing/messaging-test-kit';

describe('trace context across the broker', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let vhost: TestVhost;
  let db: MessagingDb;
  let connection: AmqpConnection;
  let outbox: Outbox;
  let app: INestMicroservice;
  const probe = new ConsumerProbe();
  const traceIdsSeenByHandler: string[] = [];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    [vhost, db] = await Promise.all([createTestVhost('tracing'), createMessagingDb('tracing', EFFECT_DDL)]);
    connection = new AmqpConnection({ url: vhost.url, name: 'identity-outbox', logger: recordingLogger() });
    outbox = new Outbox({ db: db.sql, connection, service: 'identity', logger: recordingLogger() });
    probe.before = () => {
      traceIdsSeenByHandler.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
    };
    ({ app } = await startClinicConsumer({ db: db.sql, probe, transport: { url: vhost.url, logger: recordingLogger() } }));
  });

  afterAll(async () => {
    await app?.close();
    await outbox?.stop();
    await connection?.close();
    await vhost?.drop();
    await db?.drop();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('makes the relay publish and the consumer descendants of the request span that wrote the outbox row', async () => {
    const tracer = trace.getTracer('test');
    const request = tracer.startSpan('POST /clinics', { kind: SpanKind.SERVER });
    const envelope = await context.with(trace.setSpan(context.active(), request), () =>
      outbox.transaction((tx) =>
        outbox.enqueue(tx, { definition: ClinicCreatedV1, payload: { clinicId: randomUUID(), name: 'Traced', ownerId: null } }),
      ),
    );
    request.end();
    const requestCtx = request.spanContext();
    expect(envelope.traceparent).toBe(`00-${requestCtx.traceId}-${requestCtx.spanId}-01`);

    const spans = await eventually(() => {
      const all = exporter.getFinishedSpans();
      const publish = all.find((s) => s.name === 'identity.clinic.created publish');
      const consume = all.find((s) => s.name === 'identity.clinic.created process');
      return publish && consume ? { all, publish, consume } : undefined;
    }).then((found) => found!);

    const parentOf = (s: ReadableSpan) => spans.all.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId);
    const ancestors = (s: ReadableSpan) => {
      const ids: string[] = [];
      for (let p = parentOf(s); p; p = parentOf(p)) ids.push(p.spanContext().spanId);
      return ids;
    };
    expect(spans.publish.kind).toBe(SpanKind.PRODUCER);
    expect(spans.consume.kind).toBe(SpanKind.CONSUMER);
    expect(spans.publish.spanContext().traceId).toBe(requestCtx.traceId);
    expect(spans.consume.spanContext().traceId).toBe(requestCtx.traceId);
    expect(spans.publish.parentSpanContext?.spanId).toBe(requestCtx.spanId);
    expect(ancestors(spans.consume)).toEqual([spans.publish.spanContext().spanId, requestCtx.spanId]);
    expect(spans.consume.attributes['messaging.message.id']).toBe(envelope.messageId);
    // The handler itself runs inside the consumer span.
    expect(traceIdsSeenByHandler).toEqual([requestCtx.traceId]);
  });
});
