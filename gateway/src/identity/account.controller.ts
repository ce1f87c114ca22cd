import { Body, Controller, Param } from '@nestjs/common';
import {
  ApiKeyViewSchema,
  ClinicViewSchema,
  CreatedApiKeyViewSchema,
  IDENTITY_RPC,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';

/**
 * What a signed-in user manages for themselves. Ownership is identity's: it looks keys up by
 * (caller, id), so another user's key is 404, never 403.
 */
@Controller()
export class AccountController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.createApiKey)
  async createApiKey(
    @Body() body: RouteInput<typeof ROUTES.createApiKey, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.createApiKey;
    return parseReply(
      CreatedApiKeyViewSchema,
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal), ...body }),
    );
  }

  @Route(ROUTES.listApiKeys)
  async listApiKeys(@CurrentPrincipal() principal: RequestPrincipal) {
    const pattern = IDENTITY_RPC.listApiKeys;
    return parseReply(
      z.array(ApiKeyViewSchema),
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal) }),
    );
  }

  @Route(ROUTES.revokeApiKey)
  async revokeApiKey(
    @Param() params: RouteInput<typeof ROUTES.revokeApiKey, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ): Promise<void> {
    await this.rpc.call(IDENTITY_RPC.revokeApiKey, { caller: callerOf(principal), id: params.id });
  }

  @Route(ROUTES.myClinics)
  async myClinics(@CurrentPrincipal() principal: RequestPrincipal) {
    const pattern = IDENTITY_RPC.myClinics;
    return parseReply(
      z.array(ClinicViewSchema),
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal) }),
    );
  }
}
