import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { ERRORS, type ErrorKey } from '@prescriptchain/contracts';
import { ErrorEnvelopeSchema, successEnvelope } from '../http/envelope';
import { isRaw, type RouteDef } from './route';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** `/orders/:id` → `/orders/{id}` */
export const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The errors a route can answer with: the ones every route has, the ones its shape implies, its own. */
export function errorKeysOf(route: RouteDef): ErrorKey[] {
  const keys = new Set<ErrorKey>(['INTERNAL_ERROR']);
  if (route.params || route.query || route.body || route.rawBody) keys.add('VALIDATION_FAILED');
  if (route.body || route.rawBody)
    ['MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE'].forEach((k) => keys.add(k as ErrorKey));
  if (route.access !== 'public') {
    // The access guard's answers, and those of the identity request it makes.
    (
      [
        'UNAUTHENTICATED',
        'INVALID_CREDENTIALS',
        'TOKEN_EXPIRED',
        'INSUFFICIENT_PERMISSIONS',
        'ACCOUNT_NOT_APPROVED',
        'SERVICE_UNAVAILABLE',
        'GATEWAY_TIMEOUT',
      ] as const
    ).forEach((k) => keys.add(k));
  }
  if (route.rateLimit) keys.add('RATE_LIMIT_EXCEEDED');
  route.errors?.forEach((k) => keys.add(k));
  return [...keys];
}

function errorResponses(route: RouteDef): Record<number, ResponseConfig> {
  const byStatus = new Map<number, string[]>();
  for (const key of errorKeysOf(route)) {
    const { status, code } = ERRORS[key];
    byStatus.set(status, [
      ...(byStatus.get(status) ?? []),
      code === key ? `\`${code}\`` : `\`${code}\` ${key}`,
    ]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      status,
      {
        description: codes.join(', '),
        ...(status === 429 && {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before trying again.',
              required: true,
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }),
        content: { 'application/json': { schema: ErrorEnvelopeSchema } },
      },
    ]),
  );
}

/** The credentials an operation accepts (alternatives), from the route's `access` and `apiKey`. */
export function securityOf(route: RouteDef): Record<string, string[]>[] {
  if (route.access === 'public') return [];
  return route.apiKey ? [{ bearerAuth: [] }, { apiKey: [] }] : [{ bearerAuth: [] }];
}

function successResponse(route: RouteDef): ResponseConfig {
  const { response } = route;
  if (isRaw(response)) {
    const types =
      typeof response.raw.contentType === 'string' ? [response.raw.contentType] : response.raw.contentType;
    return {
      description: route.summary,
      content: Object.fromEntries(types.map((type) => [type, { schema: response.raw.schema ?? {} }])),
    };
  }
  if (response.status === 204 || !response.data) return { description: 'No content' };
  return {
    description: route.summary,
    content: { 'application/json': { schema: successEnvelope(response.data, response.paginated) } },
  };
}

/** The other success statuses of a JSON route, with the same data as its main one. */
function alsoResponses(route: RouteDef): Record<number, ResponseConfig> {
  const { response } = route;
  if (isRaw(response) || !response.also) return {};
  const main = successResponse(route);
  return Object.fromEntries(response.also.map((a) => [a.status, { ...main, description: a.description }]));
}

/** The OpenAPI 3.1 document of exactly the given routes, envelopes included. */
export function buildOpenApiDocument(routes: readonly RouteDef[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from /api/v1/auth/login or /api/v1/auth/refresh.',
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: "An integration's key; authenticates as its owner, on the operations that list it only.",
  });
  for (const route of routes) {
    const config: RouteConfig = {
      method: route.method,
      path: toOpenApiPath(route.path),
      operationId: route.id,
      summary: route.summary,
      tags: [...route.tags],
      security: securityOf(route),
      ...(route.access !== 'public' && { 'x-roles': [...route.access] }),
      ...(route.rateLimit && { 'x-rate-limit': route.rateLimit }),
      request: {
        ...(route.params && { params: route.params }),
        ...(route.query && { query: route.query }),
        ...(route.body && {
          body: { required: true, content: { 'application/json': { schema: route.body } } },
        }),
        ...(route.rawBody && {
          body: {
            required: true,
            description: route.rawBody.description,
            content: Object.fromEntries(
              route.rawBody.contentTypes.map((type) => [
                type,
                { schema: { type: 'string', format: 'binary' } },
              ]),
            ),
          },
        }),
      },
      responses: {
        [route.response.status]: successResponse(route),
        ...alsoResponses(route),
        ...errorResponses(route),
      },
    };
    registry.registerPath(config);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PrescriptChain API',
      version: '1.0.0',
      description:
        'E-prescriptions for New Zealand TCM practitioners, pharmacies and admins. Every JSON answer is an envelope: ' +
        '`{ success: true, data, meta }` or `{ success: false, error: { code, message, details?, timestamp, traceId } }`; ' +
        'every response carries `X-Request-Id`.',
    },
    servers: [{ url: '/' }],
  });
}
