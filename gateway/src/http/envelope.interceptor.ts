import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { map } from 'rxjs';
import { isRaw, ROUTE_DEF, type RouteDef } from '../routes/route';
import { Page, type Pagination } from './envelope';

/**
 * Wraps what a handler returns in the success envelope. The route's data schema is applied on
 * the way out, so fields not in the contract never leave (and a handler drifting from the
 * contract fails loudly as a 500, not silently at a client).
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    const route = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    if (route && isRaw(route.response)) return next.handle();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const schema = route && !isRaw(route.response) ? route.response.data : undefined;
    return next.handle().pipe(
      map((result: unknown) => {
        if (res.statusCode === 204) return undefined;
        let data = result;
        let pagination: Pagination | undefined;
        if (result instanceof Page) {
          data = result.items;
          pagination = result.pagination;
        }
        if (schema) {
          const parsed = schema.safeParse(data);
          if (!parsed.success) {
            throw new Error(`response of ${route!.id} violates its contract: ${parsed.error.message}`);
          }
          data = parsed.data;
        }
        return {
          success: true,
          data,
          meta: { timestamp: new Date().toISOString(), ...(pagination && { pagination }) },
        };
      }),
    );
  }
}
