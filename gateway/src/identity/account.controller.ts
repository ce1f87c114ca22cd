import { Body, Controller, Param } from '@nestjs/common';
import { IDENTITY_RPC, type IdentityCaller } from '@prescriptchain/contracts';
import { Caller } from '../access/principal';
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
  createApiKey(
    @Body() body: RouteInput<typeof ROUTES.createApiKey, 'body'>,
    @Caller() caller: IdentityCaller,
  ) {
    return this.rpc.call(IDENTITY_RPC.createApiKey, { caller, ...body });
  }

  @Route(ROUTES.listApiKeys)
  listApiKeys(@Caller() caller: IdentityCaller) {
    return this.rpc.call(IDENTITY_RPC.listApiKeys, { caller });
  }

  @Route(ROUTES.revokeApiKey)
  async revokeApiKey(
    @Param() params: RouteInput<typeof ROUTES.revokeApiKey, 'params'>,
    @Caller() caller: IdentityCaller,
  ): Promise<void> {
    await this.rpc.call(IDENTITY_RPC.revokeApiKey, { caller, id: params.id });
  }

  @Route(ROUTES.myClinics)
  myClinics(@Caller() caller: IdentityCaller) {
    return this.rpc.call(IDENTITY_RPC.myClinics, { caller });
  }
}
