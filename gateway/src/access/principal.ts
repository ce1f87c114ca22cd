import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedPrincipal, IdentityCaller, OrderCaller } from '@prescriptchain/contracts';
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

/** The authenticated principal of a request with the client's address, as `@CurrentPrincipal()` hands it out. */
export type RequestPrincipal = Principal & { ip: string | null };

/**
 * The authenticated principal with its scope (clinics, pharmacy) as identity answered for this
 * request, and the client's address (X-Forwarded-For only as far as TRUST_PROXY allows). Only on
 * routes the access guard authenticated; anywhere else it is a programming error, not a client's.
 */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): RequestPrincipal => {
    const req = ctx.switchToHttp().getRequest<IncomingMessage>();
    const principal = principalOf(req);
    if (!principal) throw new Error('@CurrentPrincipal() on a route without an authenticated principal');
    return { ...principal, ip: clientIpOf(req) };
  },
);

/** `{ userId, role, ip }`: who asks, from where, for identity and notifications. */
export const callerOf = (principal: RequestPrincipal): IdentityCaller => ({
  userId: principal.userId,
  role: principal.role,
  ip: principal.ip,
});

/**
 * `{ userId, role, clinicIds, pharmacyId }`: who asks and what they may see, for orders and accounts
 * (both scope by clinic membership and pharmacy, as identity answered for this request).
 */
export const scopedCallerOf = (p: Principal): OrderCaller => ({
  userId: p.userId,
  role: p.role,
  clinicIds: p.clinicIds,
  pharmacyId: p.pharmacyId,
});

/** The client's address (X-Forwarded-For only as far as TRUST_PROXY allows), or null. */
export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null =>
  clientIpOf(ctx.switchToHttp().getRequest<IncomingMessage>()),
);
