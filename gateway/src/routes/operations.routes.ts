import { SERVICES } from '@prescriptchain/contracts';
import { z } from 'zod';
import { defineRoute, type RouteDef } from './route';

const UpDown = z.enum(['up', 'down']);
export const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    broker: UpDown,
    services: z.object(
      Object.fromEntries(SERVICES.map((s) => [s, UpDown])) as Record<
        (typeof SERVICES)[number],
        typeof UpDown
      >,
    ),
  })
  .meta({ id: 'Readiness' });

/** The operations endpoints: outside `/api/v1`, all public. */
export const OPERATIONS_ROUTES = {
  health: defineRoute({
    id: 'getHealth',
    method: 'get',
    path: '/health',
    access: 'public',
    summary: 'Liveness of the gateway',
    tags: ['operations'],
    response: { status: 200, data: z.object({ status: z.literal('ok') }) },
  }),
  readiness: defineRoute({
    id: 'getReadiness',
    method: 'get',
    path: '/health/ready',
    access: 'public',
    summary:
      'Readiness: the broker and every service answer (503 with the same shape in `error.details` otherwise)',
    tags: ['operations'],
    response: { status: 200, data: ReadinessSchema },
    errors: ['SERVICE_UNAVAILABLE'],
  }),
  metrics: defineRoute({
    id: 'getMetrics',
    method: 'get',
    path: '/metrics',
    access: 'public',
    summary:
      'Prometheus metrics; with METRICS_TOKEN set (required in production) only for `Authorization: Bearer <METRICS_TOKEN>`',
    tags: ['operations'],
    response: { status: 200, raw: { contentType: 'text/plain; version=0.0.4', schema: z.string() } },
    errors: ['UNAUTHENTICATED'],
  }),
  docsUi: defineRoute({
    id: 'getDocsUi',
    method: 'get',
    path: '/docs',
    access: 'public',
    summary: 'Swagger UI for this API',
    tags: ['operations'],
    response: { status: 200, raw: { contentType: 'text/html', schema: z.string() } },
  }),
  openApiDocument: defineRoute({
    id: 'getOpenApiDocument',
    method: 'get',
    path: '/docs/openapi.json',
    access: 'public',
    summary: 'This OpenAPI 3.1 document',
    tags: ['operations'],
    response: {
      status: 200,
      raw: { contentType: 'application/json', schema: z.record(z.string(), z.unknown()) },
    },
  }),
} satisfies Record<string, RouteDef>;
