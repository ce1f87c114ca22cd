'use strict';
// The peer a user would pick instead of the saga ("the seed's design"): ONE NestJS HTTP process
// with ONE database doing POST /api/v1/orders — authentication, validation, pricing, the debit and
// the order insert in ONE transaction — answering the gateway's envelope with 201. Run by the
// orders bench as its own child process (`startHttpMonolith`), so its CPU is measured per process
// like the services' (tools/bench/lib/cpu-meter.js calls it `monolith`).
//
// The same work as the platform, from the compiled code of the services and the gateway:
//  - HTTP: Nest on Express (the gateway's platform, @nestjs/platform-express) behind helmet, the
//    JSON body parser, an envelope interceptor and an error filter of the same shapes as the
//    gateway's; started with the same telemetry bootstrap as every process of ours (nodeArgs).
//  - authentication, the way a monolith does it: the bearer token is verified in process with
//    `jose` (EdDSA, issuer, audience, expiry) against the public key set it holds — identity's JWKS,
//    handed over at start, so the bench sends the very token identity issued for the saga — then the
//    caller is loaded from its own database as identity's authenticate does on every request (the
//    user's role, status and token epoch, and the clinics it belongs to: one query), so a suspension
//    takes effect at once here too. A practitioner only (the route's access).
//  - the order: tools/bench/lib/monolith-orders.js (zod parse, Idempotency-Key look-up, catalogue +
//    safety + pricing, credential, then one transaction: key, account debit, ledger, order insert),
//    answered as orders' orderView → the gateway's presentOrder → the route's response schema.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const config = require('../../lib/config');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 200;
const READY_LINE = 'monolith listening';

/**
 * Starts the HTTP monolith as a child process on `databaseUrl` (see createMonolithDatabase with
 * `identity`) trusting the keys of `jwks`; resolves once it listens.
 * → `{ baseUrl, pid, logs, stop() }`.
 */
async function startHttpMonolith({ databaseUrl, jwks, issuer, audience, port }) {
  const { nodeArgs } = require('../../lib/supervisor');
  const child = spawn(process.execPath, nodeArgs(__filename), {
    cwd: config.ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      OTEL_SERVICE_NAME: 'monolith',
      MONOLITH_PORT: String(port),
      MONOLITH_DATABASE_URL: databaseUrl,
      MONOLITH_JWKS: JSON.stringify(jwks),
      ...(issuer ? { JWT_ISSUER: issuer } : {}),
      ...(audience ? { JWT_AUDIENCE: audience } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  let ready;
  const listening = new Promise((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code, signal) =>
      reject(new Error(`the HTTP monolith exited (${code ?? signal}) before listening:\n${logs.join('\n')}`)),
    );
    setTimeout(
      () => reject(new Error(`the HTTP monolith did not listen within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    ).unref();
  });
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      if (line === READY_LINE) ready();
      else logs.push(line);
    }
    if (logs.length > LOG_LINES_KEPT) logs.splice(0, logs.length - LOG_LINES_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    await listening;
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid, logs, stop };
}

// ---------------------------------------------------------------------------------------------
// The child: the monolith itself.

async function serve() {
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const {
    Module,
    Controller,
    Post,
    HttpCode,
    Req,
    Body,
    Inject,
    Catch,
    HttpException,
  } = require('@nestjs/common');
  const { map } = require('rxjs');
  const helmet = require('helmet').default ?? require('helmet');
  const { createLocalJWKSet, jwtVerify } = require('jose');
  const { CodedError, ERRORS } = require('@prescriptchain/contracts');
  const gatewayDist = (...p) => require(path.join(config.ROOT, 'gateway', 'dist', ...p));
  const { presentOrder } = gatewayDist('orders', 'orders.presenter.js');
  const { ORDERS_ROUTES } = gatewayDist('routes', 'orders.routes.js');
  const { orderView } = require(
    path.join(config.ROOT, 'services', 'orders', 'dist', 'application', 'orders', 'order-views.js'),
  );
  const { monolithOrders } = require('./monolith-orders');

  const env = process.env;
  const monolith = await monolithOrders(env.MONOLITH_DATABASE_URL);
  const keys = createLocalJWKSet(JSON.parse(env.MONOLITH_JWKS));
  const verifyOptions = {
    issuer: env.JWT_ISSUER ?? 'prescriptchain-identity',
    audience: env.JWT_AUDIENCE ?? 'prescriptchain',
    algorithms: ['EdDSA'],
  };
  const responseSchema = ORDERS_ROUTES.createOrder.response.data;

  /** The caller of a request as the database sees it now (identity's authenticate, in process). */
  async function authenticate(headers) {
    const authorization = headers.authorization?.trim();
    if (!authorization) throw new CodedError('UNAUTHENTICATED');
    const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    if (!token || token.length > 8192)
      throw new CodedError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <accessToken>".');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, verifyOptions));
    } catch (err) {
      if (err.code === 'ERR_JWT_EXPIRED') throw new CodedError('TOKEN_EXPIRED');
      throw new CodedError('INVALID_CREDENTIALS');
    }
    const tep = payload.tep ?? 0;
    if (typeof payload.sub !== 'string' || !Number.isSafeInteger(tep))
      throw new CodedError('INVALID_CREDENTIALS');
    const [user] = await monolith.prisma.$queryRaw`
      SELECT u.id::text AS id, u.role, u.status, u.token_epoch,
             coalesce(array_agg(m.clinic_id::text) FILTER (WHERE m.clinic_id IS NOT NULL), '{}') AS clinic_ids
        FROM user_account u LEFT JOIN clinic_member m ON m.user_id = u.id
       WHERE u.id = ${payload.sub}::uuid
       GROUP BY u.id`;
    if (!user || user.token_epoch !== tep) throw new CodedError('INVALID_CREDENTIALS');
    if (user.status !== 'approved') throw new CodedError('ACCOUNT_NOT_APPROVED');
    if (user.role !== 'practitioner') throw new CodedError('INSUFFICIENT_PERMISSIONS');
    return { userId: user.id, role: user.role, clinicIds: user.clinic_ids };
  }

  /** The gateway's rule for the header (idempotency-key.ts): required, ≤ 255 printable ASCII. */
  function idempotencyKeyOf(headers) {
    const value = headers['idempotency-key']?.trim();
    if (!value || value.length > 255 || !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value))
      throw new CodedError('VALIDATION_FAILED', undefined, [
        {
          in: 'header',
          path: 'Idempotency-Key',
          message: 'Idempotency-Key is required (≤ 255 printable ASCII)',
        },
      ]);
    return value;
  }

  const MONOLITH = Symbol('monolith');

  class OrdersController {
    constructor(service) {
      this.service = service;
    }

    async create(req, body) {
      const caller = await this.service.authenticate(req.headers);
      const order = await this.service.placeOrder(caller, body, idempotencyKeyOf(req.headers));
      const parsed = responseSchema.safeParse(presentOrder(orderView(order, caller)));
      if (!parsed.success) throw new Error(`response violates its contract: ${parsed.error.message}`);
      return parsed.data;
    }
  }
  Inject(MONOLITH)(OrdersController, undefined, 0);
  const create = Object.getOwnPropertyDescriptor(OrdersController.prototype, 'create');
  Post('orders')(OrdersController.prototype, 'create', create);
  HttpCode(201)(OrdersController.prototype, 'create', create);
  Req()(OrdersController.prototype, 'create', 0);
  Body()(OrdersController.prototype, 'create', 1);
  Controller('api/v1')(OrdersController);

  class AppModule {}
  Module({
    controllers: [OrdersController],
    providers: [
      { provide: MONOLITH, useValue: { authenticate, placeOrder: monolith.placeOrder.bind(monolith) } },
    ],
  })(AppModule);

  /** The success envelope (the gateway's EnvelopeInterceptor). */
  class EnvelopeInterceptor {
    intercept(_context, next) {
      return next
        .handle()
        .pipe(map((data) => ({ success: true, data, meta: { timestamp: new Date().toISOString() } })));
    }
  }

  const KEY_BY_STATUS = {
    400: 'MALFORMED_REQUEST',
    404: 'NOT_FOUND',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'MALFORMED_REQUEST',
  };
  /** The error envelope (the gateway's ErrorEnvelopeFilter): coded errors keep their code, anything else is a 500. */
  class ErrorEnvelopeFilter {
    catch(exception, host) {
      const res = host.switchToHttp().getResponse();
      let key = 'INTERNAL_ERROR';
      let message = ERRORS.INTERNAL_ERROR.message;
      let details;
      if (exception instanceof CodedError && exception.key !== 'INTERNAL_ERROR') {
        ({ key, message, details } = exception);
      } else if (exception instanceof HttpException) {
        key =
          KEY_BY_STATUS[exception.getStatus()] ?? (exception.getStatus() < 500 ? 'MALFORMED_REQUEST' : key);
        message = ERRORS[key].message;
      } else {
        process.stderr.write(`unexpected error: ${exception?.stack ?? exception}\n`);
      }
      if (res.headersSent) return void res.destroy();
      res.status(ERRORS[key].status).json({
        success: false,
        error: {
          code: ERRORS[key].code,
          message,
          ...(details !== undefined && { details }),
          timestamp: new Date().toISOString(),
          traceId: randomBytes(16).toString('hex'),
        },
      });
    }
  }
  Catch()(ErrorEnvelopeFilter);

  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.use(helmet());
  app.useGlobalInterceptors(new EnvelopeInterceptor());
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      app
        .close()
        .then(() => monolith.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
  await app.listen(Number(env.MONOLITH_PORT), '127.0.0.1');
  process.stdout.write(`${READY_LINE}\n`);
}

module.exports = { startHttpMonolith };

if (require.main === module) {
  serve().catch((err) => {
    process.stderr.write(`the HTTP monolith failed to start: ${err.stack || err.message}\n`);
    process.exit(1);
  });
}
