import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { ErrorKey } from '@prescriptchain/contracts';
import type { z } from 'zod';

export type Role = 'practitioner' | 'pharmacy_operator' | 'admin';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An enveloped JSON answer: `{ success: true, data, meta }` (or nothing for 204). */
export interface JsonResponse {
  status: number;
  data?: z.ZodType;
  /** `data` is a list and `meta.pagination` is present. */
  paginated?: boolean;
}

/** A non-enveloped answer (Prometheus text, HTML, the OpenAPI document itself). */
export interface RawResponse {
  status: number;
  raw: { contentType: string; schema?: z.ZodType };
}

/**
 * One HTTP operation. The table of these is the single source of truth: Nest routes, input
 * validation, the OpenAPI document and (next) the auth guard all read it.
 */
export interface RouteDef {
  /** OpenAPI operationId; unique. */
  id: string;
  method: HttpMethod;
  /** Full path, Express style (`/api/v1/orders/:id`). */
  path: string;
  /** `'public'`, or the roles allowed to call it. */
  access: 'public' | readonly Role[];
  summary: string;
  tags: readonly string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: JsonResponse | RawResponse;
  /** Error codes this operation answers with, beyond the ones every operation may answer. */
  errors?: readonly ErrorKey[];
}

/** Keeps the literal types of a definition (so handlers can infer their inputs from it). */
export const defineRoute = <const R extends RouteDef>(def: R): R => def;

export const isRaw = (response: RouteDef['response']): response is RawResponse => 'raw' in response;

export const ROUTE_DEF = Symbol('prescriptchain:route');

const METHODS: Record<HttpMethod, RequestMethod> = {
  get: RequestMethod.GET,
  post: RequestMethod.POST,
  put: RequestMethod.PUT,
  patch: RequestMethod.PATCH,
  delete: RequestMethod.DELETE,
};

/** Binds a controller method to a route of the table (path, method, status, metadata). */
export const Route = (def: RouteDef) =>
  applyDecorators(
    RequestMapping({ path: def.path, method: METHODS[def.method] }),
    HttpCode(def.response.status),
    SetMetadata(ROUTE_DEF, def),
  );

/** The validated input of a route, typed from its schemas. */
export type RouteInput<R extends RouteDef, K extends 'params' | 'query' | 'body'> = R[K] extends z.ZodType
  ? z.output<R[K]>
  : never;
