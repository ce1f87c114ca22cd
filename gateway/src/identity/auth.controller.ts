import { Body, Controller, Res } from '@nestjs/common';
import {
  IDENTITY_RPC,
  JwksViewSchema,
  LoginViewSchema,
  MeViewSchema,
  RegisteredViewSchema,
  SessionTokensViewSchema,
} from '@prescriptchain/contracts';
import type { ServerResponse } from 'node:http';
import { Authenticator } from '../access/authenticator';
import { callerOf, ClientIp, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { askIdentity } from './ask-identity';

type BodyOf<K extends keyof typeof ROUTES> = RouteInput<(typeof ROUTES)[K], 'body'>;

/** Sign-up, sessions and the caller's own profile; the client address goes along for identity's throttle and audit. */
@Controller()
export class AuthController {
  constructor(
    private readonly rpc: BackendRpc,
    private readonly authenticator: Authenticator,
  ) {}

  @Route(ROUTES.register)
  async register(@Body() body: BodyOf<'register'>, @ClientIp() ip: string | null) {
    return askIdentity(this.rpc, RegisteredViewSchema, IDENTITY_RPC.register, { ...body, ip });
  }

  @Route(ROUTES.login)
  async login(@Body() body: BodyOf<'login'>, @ClientIp() ip: string | null) {
    return askIdentity(this.rpc, LoginViewSchema, IDENTITY_RPC.login, { ...body, ip });
  }

  @Route(ROUTES.refresh)
  async refresh(@Body() body: BodyOf<'refresh'>, @ClientIp() ip: string | null) {
    return askIdentity(this.rpc, SessionTokensViewSchema, IDENTITY_RPC.refresh, { ...body, ip });
  }

  @Route(ROUTES.logout)
  async logout(
    @Body() body: BodyOf<'logout'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ): Promise<void> {
    await this.rpc.call(IDENTITY_RPC.logout, {
      caller: callerOf(principal),
      refreshToken: body.refreshToken,
    });
  }

  @Route(ROUTES.changePassword)
  async changePassword(
    @Body() body: BodyOf<'changePassword'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ): Promise<void> {
    try {
      await this.rpc.call(IDENTITY_RPC.changePassword, { caller: callerOf(principal), ...body });
    } finally {
      // Every earlier token is dead from this answer on, here at once (other replicas: by the event).
      this.authenticator.forget(principal.userId);
    }
  }

  @Route(ROUTES.me)
  async me(@CurrentPrincipal() principal: RequestPrincipal) {
    return askIdentity(this.rpc, MeViewSchema, IDENTITY_RPC.me, { caller: callerOf(principal) });
  }

  /** Bare JSON (not enveloped): JOSE libraries fetch it as is. Keys rotate slowly; caches may keep it briefly. */
  @Route(ROUTES.jwks)
  async jwks(@Res({ passthrough: true }) res: ServerResponse) {
    const jwks = await askIdentity(this.rpc, JwksViewSchema, IDENTITY_RPC.jwks, {});
    res.setHeader('Cache-Control', 'public, max-age=300');
    return jwks;
  }
}
