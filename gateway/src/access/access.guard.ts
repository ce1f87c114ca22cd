import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticateRequest, CodedError } from '@prescriptchain/contracts';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { ROUTE_DEF, type RouteDef } from '../routes/route';
import { Authenticator } from './authenticator';
import { setPrincipal } from './principal';

/** Bounds identity accepts; anything longer cannot be a credential of ours. */
const MAX_ACCESS_TOKEN = 8192;
const MAX_API_KEY = 256;

const single = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.trim() || undefined;

/**
 * The credential a request offers: a bearer token, else an API key (a bearer token wins when both
 * are sent). No credential or an unreadable Authorization header is 401 UNAUTHENTICATED without
 * asking identity.
 */
export function credentialOf(headers: IncomingHttpHeaders): AuthenticateRequest {
  const authorization = single(headers.authorization);
  if (authorization !== undefined) {
    const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    if (!token)
      throw new CodedError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <accessToken>".');
    if (token.length > MAX_ACCESS_TOKEN) throw new CodedError('INVALID_CREDENTIALS');
    return { accessToken: token };
  }
  const apiKey = single(headers['x-api-key']);
  if (apiKey !== undefined) {
    if (apiKey.length > MAX_API_KEY) throw new CodedError('INVALID_CREDENTIALS');
    return { apiKey };
  }
  throw new CodedError('UNAUTHENTICATED');
}

/**
 * Who may call what, from the route table alone: a public route lets everyone through; any other
 * authenticates the request (the Authenticator: a token verified here and its principal cached
 * while identity's events can invalidate it, else identity asked — a suspension or a revoked key
 * cuts off a live token or key at once either way), accepts an API key only where the route says `apiKey`, and checks the
 * caller's role against the route's `access`. In that order: 401 UNAUTHENTICATED (no or unreadable
 * credential) / 1001 (bad token, unknown or revoked key) / 1002 (expired), 403 1004 (pending,
 * suspended), 401 UNAUTHENTICATED (a valid key where only a token will do), 403 1003 (role).
 * A key is checked before it is refused, so a revoked key says 1001 wherever it is sent.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    if (!route || route.access === 'public') return true;
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    const principal = await this.authenticator.authenticate(credentialOf(req.headers));
    if (principal.via === 'api_key' && !route.apiKey)
      throw new CodedError(
        'UNAUTHENTICATED',
        'This operation does not accept an API key: send "Authorization: Bearer <accessToken>".',
      );
    if (!route.access.includes(principal.role)) throw new CodedError('INSUFFICIENT_PERMISSIONS');
    setPrincipal(req, principal);
    return true;
  }
}
