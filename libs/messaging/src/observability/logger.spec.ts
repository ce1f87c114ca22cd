import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Writable } from 'node:stream';
import { createLogger, REDACTED } from './logger';
import { requestContext } from './request-context';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger('orders', { destination, level: 'debug' }) };
}

const SECRETS = {
  password: 'hunter2-pw',
  token: 'tok-123',
  tokens: { accessToken: 'acc-456', refreshToken: 'ref-789' },
  authorization: 'Bearer jwt-abc',
  cookie: 'sid=cookie-xyz',
  'X-Api-Key': 'pk_live_key1',
  api_key: 'key-under',
  phone: '+64210000001',
  email: 'jane@example.nz',
  licenseNumber: 'LIC-99812',
  patientInfo: { name: 'Wiremu Patient', pregnant: true },
  dateOfBirth: '1990-02-03',
  address: { street: '1 Secret St', city: 'Auckland' },
  verificationCode: '482913',
};
const VALUES = [
  'hunter2-pw',
  'tok-123',
  'acc-456',
  'ref-789',
  'jwt-abc',
  'cookie-xyz',
  'pk_live_key1',
  'key-under',
  '+64210000001',
  'jane@example.nz',
  'LIC-99812',
  'Wiremu Patient',
  '1990-02-03',
  '1 Secret St',
  '482913',
];

describe(createLogger.name, () => {
  it('writes JSON lines with the service name, level label and message', () => {
    const { lines, logger } = capture();
    logger.info({ orderId: 'o-1' }, 'order paid');
    expect(JSON.parse(lines[0])).toMatchObject({
      service: 'orders',
      level: 'info',
      msg: 'order paid',
      orderId: 'o-1',
    });
  });

  it('names the process among its replicas as `instance` (SERVICE_INSTANCE_ID, or the option), none when unknown', () => {
    const lineOf = (options: { instance?: string }) => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      });
      createLogger('orders', { destination, ...options }).info('hello');
      return JSON.parse(lines[0]);
    };
    const saved = process.env.SERVICE_INSTANCE_ID;
    try {
      delete process.env.SERVICE_INSTANCE_ID;
      expect(lineOf({})).not.toHaveProperty('instance');
      process.env.SERVICE_INSTANCE_ID = 'orders-2';
      expect(lineOf({})).toMatchObject({ service: 'orders', instance: 'orders-2' });
      expect(lineOf({ instance: 'orders-3' })).toMatchObject({ service: 'orders', instance: 'orders-3' });
    } finally {
      if (saved === undefined) delete process.env.SERVICE_INSTANCE_ID;
      else process.env.SERVICE_INSTANCE_ID = saved;
    }
  });

  it('never writes personal data or secrets, at any depth, in arrays, in child bindings', () => {
    const { lines, logger } = capture();
    logger.info(SECRETS, 'top level');
    logger.warn({ req: { headers: { ...SECRETS } } }, 'two deep');
    logger.error({ a: { b: { c: { d: { e: { f: { g: SECRETS } } } } } } }, 'seven deep');
    logger.info({ batch: [{ order: { ...SECRETS } }, 'plain'] }, 'in an array');
    logger.child({ user: { email: 'jane@example.nz' } }).info('child');
    expect(lines).toHaveLength(5);
    for (const line of lines) for (const value of VALUES) expect(line).not.toContain(value);
    expect(JSON.parse(lines[1]).req.headers).toMatchObject({
      authorization: REDACTED,
      'X-Api-Key': REDACTED,
      cookie: REDACTED,
    });
  });

  it('keeps everything else, and does not alter the object it was given', () => {
    const { lines, logger } = capture();
    const payload = { order: { id: 'o-1', email: 'jane@example.nz', items: [{ sku: 'H-1' }] } };
    logger.info(payload, 'keeps');
    expect(JSON.parse(lines[0]).order).toEqual({ id: 'o-1', email: REDACTED, items: [{ sku: 'H-1' }] });
    expect(payload.order.email).toBe('jane@example.nz');
  });

  it('adds request_id, and the request trace id, inside a gateway request context', () => {
    const { lines, logger } = capture();
    requestContext.run({ requestId: 'req-1', traceId: 'a'.repeat(32) }, () => logger.info('inside'));
    logger.info('outside');
    expect(JSON.parse(lines[0])).toMatchObject({ request_id: 'req-1', trace_id: 'a'.repeat(32) });
    expect(JSON.parse(lines[1])).not.toHaveProperty('request_id');
  });

  describe('with an active OpenTelemetry span', () => {
    const manager = new AsyncLocalStorageContextManager();
    beforeAll(() => context.setGlobalContextManager(manager.enable()));
    afterAll(() => {
      manager.disable();
      context.disable();
    });

    it('adds its trace_id and span_id', async () => {
      const { lines, logger } = capture();
      const span = trace.wrapSpanContext({
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: 1,
      });
      await context.with(trace.setSpan(context.active(), span), async () => {
        await Promise.resolve();
        logger.info('traced');
      });
      expect(JSON.parse(lines[0])).toMatchObject({
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
      });
    });
  });
});
