import { Body, Controller, Param } from '@nestjs/common';
import {
  ApiKeyViewSchema,
  ClinicViewSchema,
  CreatedApiKeyViewSchema,
  IDENTITY_RPC,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { askIdentity } from './ask-identity';

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
    return askIdentity(this.rpc, CreatedApiKeyViewSchema, IDENTITY_RPC.createApiKey, {
      caller: callerOf(principal),
      ...body,
    });
  }

  @Route(ROUTES.listApiKeys)
  async listApiKeys(@CurrentPrincipal() principal: RequestPrincipal) {
    return askIdentity(this.rpc, z.array(ApiKeyViewSchema), IDENTITY_RPC.listApiKeys, {
      caller: callerOf(principal),
    });
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
    return askIdentity(this.rpc, z.array(ClinicViewSchema), IDENTITY_RPC.myClinics, {
      caller: callerOf(principal),
    });
  }
}
