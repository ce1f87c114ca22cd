import { ERRORS } from '@prescriptchain/contracts';
import { z } from 'zod';
import { errorKeysOf, toOpenApiPath } from './openapi.document';
import { isRaw, type RouteDef } from './route';

/**
 * gateway/docs/api.md, the repository's HTTP API reference, written from the route table (the
 * source of the Nest routes, the access guard and the OpenAPI document), so it cannot say anything
 * the gateway does not do. `npm run api-docs` rewrites it; api-reference.spec.ts fails when the
 * committed file is not what the table gives.
 */

const idOf = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.id as string | undefined;

/** `Order`, `Order[]`, or the top-level fields of an inline object (`{ a, b? }`). */
function shapeOf(schema: z.ZodType | undefined): string {
  if (!schema) return '—';
  const id = idOf(schema);
  if (id) return `\`${id}\``;
  if (schema instanceof z.ZodArray) return `${shapeOf(schema.element as z.ZodType)}[]`;
  if (schema instanceof z.ZodObject) return fieldsOf(schema);
  if (schema instanceof z.ZodPipe) return shapeOf(schema.in as z.ZodType);
  return `\`${schema.type}\``;
}

function fieldsOf(schema: z.ZodObject): string {
  const fields = Object.entries(schema.shape as Record<string, z.ZodType>).map(
    ([key, field]) => `${key}${field.safeParse(undefined).success ? '?' : ''}`,
  );
  return fields.length ? `\`{ ${fields.join(', ')} }\`` : '`{}`';
}

function accessOf(route: RouteDef): string {
  if (route.access === 'public') return 'public';
  return `${route.access.join(', ')}${route.apiKey ? ' (or X-API-Key)' : ''}`;
}

function responseOf(route: RouteDef): string {
  const { response } = route;
  const statuses = [response.status, ...(!isRaw(response) && response.also ? response.also.map((a) => a.status) : [])];
  if (isRaw(response)) {
    const types = typeof response.raw.contentType === 'string' ? [response.raw.contentType] : response.raw.contentType;
    return `${statuses.join(' / ')} ${types.map((t) => `\`${t}\``).join(' or ')}`;
  }
  if (!response.data) return String(statuses.join(' / '));
  return `${statuses.join(' / ')} ${shapeOf(response.data)}${response.paginated ? ' + pagination' : ''}`;
}

function requestOf(route: RouteDef): string {
  const parts: string[] = [];
  if (route.query) parts.push(`query ${fieldsOf(route.query)}`);
  if (route.body) parts.push(`body ${shapeOf(route.body)}`);
  if (route.rawBody) parts.push(`body: bytes (${route.rawBody.contentTypes.map((t) => `\`${t}\``).join(', ')})`);
  return parts.join('; ') || '—';
}

/** The operation-specific codes (the ones every authenticated or validated route may answer are in the table below). */
function errorsOf(route: RouteDef): string {
  const codes = errorKeysOf(route)
    .filter((key) => route.errors?.includes(key))
    .map((key) => `${ERRORS[key].status} \`${ERRORS[key].code}\``);
  return [...new Set(codes)].join(', ') || '—';
}

export function renderApiReference(areas: Record<string, Record<string, RouteDef>>): string {
  const out: string[] = [
    '# PrescriptChain HTTP API reference',
    '',
    '<!-- Generated from gateway/src/routes/route-table.ts by `npm run api-docs`; do not edit by hand. -->',
    '',
    'Every operation of the gateway, area by area, as the route table declares it: the same table',
    'serves the Nest routes, input validation, the access guard, the rate limits and the OpenAPI',
    'document (`GET /docs/openapi.json`, with every schema in full; `GET /docs` renders it).',
    '',
    'Conventions: every JSON answer is an envelope, `{ success: true, data, meta }` (lists add',
    '`meta.pagination`: `page`, `limit`, `total`, `totalPages`, `hasNext`, `hasPrev`) or',
    '`{ success: false, error: { code, message, details?, timestamp, traceId } }`; every response',
    'carries `X-Request-Id`. Money is a decimal string with two places (`"123.45"`) next to its',
    '`currency` (`"NZD"`); amounts sent in take at most two decimal places (`"12"`, `"12.5"`,',
    '`"12.50"`; `"12.500"` is refused). Lists take `page` (from 1) and `limit` (1–100, 20 by default).',
    'Bearer tokens come from `POST /api/v1/auth/login` and `/auth/refresh`; `X-API-Key` is accepted',
    'only where an operation says so. Shapes in `code` are OpenAPI components; `{ a, b? }` lists the',
    "top-level fields of an inline one (`?`: optional). Errors: the operation's own codes; any",
    'operation may also answer the general ones of the last table.',
  ];
  for (const [area, routes] of Object.entries(areas)) {
    out.push('', `## ${area[0].toUpperCase()}${area.slice(1)}`);
    for (const route of Object.values(routes)) {
      out.push(
        '',
        `### ${route.method.toUpperCase()} \`${toOpenApiPath(route.path)}\` (\`${route.id}\`)`,
        '',
        route.summary,
        '',
        `- who: ${accessOf(route)}${route.rateLimit ? `; rate limit \`${route.rateLimit}\`` : ''}`,
        `- request: ${requestOf(route)}`,
        `- answer: ${responseOf(route)}`,
        `- errors: ${errorsOf(route)}`,
      );
    }
  }
  out.push('', '## Error codes', '', '| key | HTTP status | `error.code` | message |', '|---|---|---|---|');
  for (const [key, e] of Object.entries(ERRORS)) out.push(`| ${key} | ${e.status} | \`${e.code}\` | ${e.message.replace(/\|/g, '\\|')} |`);
  return `${out.join('\n')}\n`;
}
