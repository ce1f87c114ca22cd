import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@prescriptchain/messaging';
import helmet from 'helmet';
import type { ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { RAW_NOTICE_BODY } from '../accounts/raw-notice-body';
import { keepRawWebhookBody } from '../accounts/raw-webhook-body';
import { GatewayConfig } from '../gateway.config';
import { LOGGER } from '../logger.token';
import { DOCS_ASSETS, SWAGGER_INITIALIZER } from '../operations/docs.controller';
import { GatewayMetrics } from '../operations/gateway-metrics';
import { servePortal } from '../portal/portal-static';
import { isJsonBody } from '../pharmacy/raw-upload-body';
import { HttpDrain } from './http-drain';
import { requestContextMiddleware } from './request-context.middleware';

/** Nest's own body parsers stay off: ours (with BODY_LIMIT) must come after the request-context middleware. */
export const GATEWAY_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/**
 * The HTTP pipeline in front of Nest's router, in order: `trust proxy` → request context → helmet →
 * CORS → raw payment-notice body → JSON body (limited; never a file upload) → Swagger UI assets → the web portal. (Then Nest: access guard → rate-limit guard →
 * validation → handler → envelope.) Used by main.ts and by the tests, so both run the same app.
 * Call before `app.init()` / `app.listen()`.
 */
export function setupHttpApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(GatewayConfig);
  const logger = app.get<Logger>(LOGGER);
  // Whose X-Forwarded-For names the client (req.ip): nobody's unless TRUST_PROXY says so.
  app.set('trust proxy', config.trustProxy);
  app.use(requestContextMiddleware({ metrics: app.get(GatewayMetrics), logger, drain: app.get(HttpDrain) }));
  app.use(helmet());
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false });
  // File uploads are read by their handler, and only once their signed URL checked out: no parser
  // here reads one, whatever Content-Type it claims (a forged URL costs no memory).
  // Payment notices are kept raw: their signatures cover the bytes (or values) exactly as sent.
  app.useBodyParser('raw', RAW_NOTICE_BODY);
  app.useBodyParser('json', { limit: config.bodyLimit, verify: keepRawWebhookBody, type: isJsonBody });
  app.getHttpAdapter().get(`${DOCS_ASSETS}/swagger-initializer.js`, (_req: unknown, res: ServerResponse) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.end(SWAGGER_INITIALIZER);
  });
  app.useStaticAssets(dirname(require.resolve('swagger-ui-dist/package.json')), {
    prefix: DOCS_ASSETS,
    index: false,
  });
  // The web portal at `/` (and its history fallback); the API, /docs, /health and /metrics are not its.
  app.use(servePortal(config.portalDir, logger));
  return app;
}
