import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CodedError } from '@prescriptchain/contracts';
import type { z } from 'zod';
import { ROUTE_DEF, type RouteDef } from '../routes/route';
import type { GatewayRequest } from './request-context.middleware';

export interface ValidationIssue {
  /** Where the value was: `params`, `query` or `body`. */
  in: 'params' | 'query' | 'body';
  /** Dotted path inside it (`items.0.quantity`); empty for the whole value. */
  path: string;
  message: string;
}

const hasBody = (req: GatewayRequest) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * Validates params, query and body against the route's schemas before the handler runs (all
 * issues at once → 422 VALIDATION_FAILED) and hands the handler the parsed values through the
 * usual `@Param()`, `@Query()`, `@Body()`.
 */
@Injectable()
export class RouteValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    const route = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    if (!route) return next.handle();
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    // A body the JSON parser skipped was sent as something other than JSON.
    if (route.body && req.body === undefined && hasBody(req)) {
      throw new CodedError(
        'MALFORMED_REQUEST',
        'The request body must be JSON (Content-Type: application/json).',
      );
    }
    const issues: ValidationIssue[] = [];
    const check = <S extends z.ZodType>(
      where: ValidationIssue['in'],
      schema: S | undefined,
      value: unknown,
    ) => {
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (result.success) return { value: result.data };
      for (const issue of result.error.issues) {
        issues.push({ in: where, path: issue.path.map(String).join('.'), message: issue.message });
      }
      return undefined;
    };
    const params = check('params', route.params, req.params ?? {});
    const query = check('query', route.query, req.query ?? {});
    const body = check('body', route.body, req.body);
    if (issues.length) throw new CodedError('VALIDATION_FAILED', undefined, issues);
    if (params) req.params = params.value as Record<string, string>;
    // Express 5 computes `req.query` in a getter; shadow it with the parsed value.
    if (query)
      Object.defineProperty(req, 'query', {
        value: query.value,
        configurable: true,
        enumerable: true,
        writable: true,
      });
    if (body) req.body = body.value;
    return next.handle();
  }
}
