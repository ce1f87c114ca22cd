import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedPrincipal, IdentityCaller } from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { clientIpOf } from './client-ip';

const PRINCIPAL = Symbol('prescriptchain:principal');

/** The authenticated caller of a request, as identity answered at the time of the request. */
export type Principal = AuthenticatedPrincipal;

type WithPrincipal = IncomingMessage & { [PRINCIPAL]?: Principal };

export function setPrincipal(req: IncomingMessage, principal: Principal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

/** Undefined on a public route (credentials sent to one are not even read). */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}

/**
 * `{ userId, role, ip }` for the service: who asks, from where. Only on routes the access guard
 * authenticated; anywhere else it is a programming error, not a client's.
 */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): IdentityCaller => {
  const req = ctx.switchToHttp().getRequest<IncomingMessage>();
  const principal = principalOf(req);
  if (!principal) throw new Error('@Caller() on a route without an authenticated principal');
  return { userId: principal.userId, role: principal.role, ip: clientIpOf(req) };
});

/** The client's address (X-Forwarded-For only as far as TRUST_PROXY allows), or null. */
export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null =>
  clientIpOf(ctx.switchToHttp().getRequest<IncomingMessage>()),
);
