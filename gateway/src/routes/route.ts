import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { ErrorKey, Role } from '@prescriptchain/contracts';
import type { z } from 'zod';

export type { Role };

/** Public HTTP API root; the operations endpoints live outside it. */
export const API_PREFIX = '/api/v1';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An enveloped JSON answer: `{ success: true, data, meta }` (or nothing for 204). */
export interface JsonResponse {
  status: number;
  data?: z.ZodType;
  /** `data` is a list and `meta.pagination` is present. */
  paginated?: boolean;
  /** Other success statuses answering the same data (`POST /pharmacies/claims`: 200 for a repeat). */
  also?: readonly { status: number; description: string }[];
}

/** A non-enveloped answer (Prometheus text, HTML, the OpenAPI document itself, a stored file). */
export interface RawResponse {
  status: number;
  /** Several content types: the answer has one of them (a stored file has the type it was uploaded with). */
  raw: { contentType: string | readonly string[]; schema?: z.ZodType };
}

/**
 * A request body read as bytes, not JSON (a file PUT to its upload URL). The handler checks it;
 * the document lists the content types it may come as.
 */
export interface RawRequestBody {
  contentTypes: readonly string[];
  description: string;
}

/**
 * The rate-limit buckets (shared across replicas, in Redis): `auth` per
 * client address, the others per authenticated user (per address for an anonymous caller).
 */
export type RateLimitBucket = 'auth' | 'search' | 'orders' | 'uploads' | 'filePuts';

/**
 * One HTTP operation. The table of these is the single source of truth: Nest routes, input
 * validation, the OpenAPI document, the access guard and the rate limits all read it.
 */
export interface RouteDef {
  /** OpenAPI operationId; unique. */
  id: string;
  method: HttpMethod;
  /** Full path, Express style (`/api/v1/orders/:id`). */
  path: string;
  /**
   * `'public'` (no credentials needed; any sent are ignored), or the roles allowed to call it with
   * `Authorization: Bearer <accessToken>`.
   */
  access: 'public' | readonly Role[];
  /**
   * Also accepts `X-API-Key` (authenticating as the key's owner, whose role must still be in
   * `access`). The pharmacy endpoints only; every other route refuses API keys.
   */
  apiKey?: true;
  rateLimit?: RateLimitBucket;
  summary: string;
  tags: readonly string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Instead of `body`: the request carries bytes of one of these content types. */
  rawBody?: RawRequestBody;
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
