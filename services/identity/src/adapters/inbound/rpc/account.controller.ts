import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ApiKeyIdRequestSchema,
  CallerOnlyRequestSchema,
  CreateApiKeyRequestSchema,
  IDENTITY_RPC,
  parseRequest,
} from '@prescriptchain/contracts';
import { CreateApiKeyHandler } from '../../../application/create-api-key/create-api-key.handler';
import { ListApiKeysHandler } from '../../../application/list-api-keys/list-api-keys.handler';
import { ListMyClinicsHandler } from '../../../application/list-my-clinics/list-my-clinics.handler';
import { RevokeApiKeyHandler } from '../../../application/revoke-api-key/revoke-api-key.handler';

/** What a signed-in user manages for themselves: their API keys, their clinics. */
@Controller()
export class AccountController {
  constructor(
    private readonly createApiKeyHandler: CreateApiKeyHandler,
    private readonly listApiKeysHandler: ListApiKeysHandler,
    private readonly revokeApiKeyHandler: RevokeApiKeyHandler,
    private readonly listMyClinics: ListMyClinicsHandler,
  ) {}

  @MessagePattern(IDENTITY_RPC.createApiKey)
  createApiKey(@Payload() data: unknown) {
    const { caller, name, expiresAt } = parseRequest(CreateApiKeyRequestSchema, data);
    return this.createApiKeyHandler.execute(caller, {
      name,
      expiresAt: expiresAt ? new Date(expiresAt) : null,
    });
  }

  @MessagePattern(IDENTITY_RPC.listApiKeys)
  listApiKeys(@Payload() data: unknown) {
    return this.listApiKeysHandler.execute(parseRequest(CallerOnlyRequestSchema, data).caller);
  }

  @MessagePattern(IDENTITY_RPC.revokeApiKey)
  revokeApiKey(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ApiKeyIdRequestSchema, data);
    return this.revokeApiKeyHandler.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.myClinics)
  myClinics(@Payload() data: unknown) {
    return this.listMyClinics.execute(parseRequest(CallerOnlyRequestSchema, data).caller);
  }
}
