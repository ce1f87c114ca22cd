import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthenticateRequestSchema,
  CallerOnlyRequestSchema,
  ChangePasswordRequestSchema,
  IDENTITY_RPC,
  LoginRequestSchema,
  LogoutRequestSchema,
  RefreshRequestSchema,
  RegisterRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { AuthenticateHandler } from '../../../application/authenticate/authenticate.handler';
import { ChangePasswordHandler } from '../../../application/change-password/change-password.handler';
import { GetJwksHandler } from '../../../application/get-jwks/get-jwks.handler';
import { GetMeHandler } from '../../../application/get-me/get-me.handler';
import { LoginHandler } from '../../../application/login/login.handler';
import { LogoutHandler } from '../../../application/logout/logout.handler';
import { RefreshSessionHandler } from '../../../application/refresh-session/refresh-session.handler';
import { RegisterUserHandler } from '../../../application/register-user/register-user.handler';

@Controller()
export class AuthController {
  constructor(
    private readonly registerUser: RegisterUserHandler,
    private readonly loginHandler: LoginHandler,
    private readonly refreshSession: RefreshSessionHandler,
    private readonly logoutHandler: LogoutHandler,
    private readonly getMe: GetMeHandler,
    private readonly getJwks: GetJwksHandler,
    private readonly authenticateHandler: AuthenticateHandler,
    private readonly changePasswordHandler: ChangePasswordHandler,
  ) {}

  @MessagePattern(IDENTITY_RPC.register)
  register(@Payload() data: unknown) {
    return this.registerUser.execute(parseRequest(RegisterRequestSchema, data));
  }

  @MessagePattern(IDENTITY_RPC.login)
  login(@Payload() data: unknown) {
    return this.loginHandler.execute(parseRequest(LoginRequestSchema, data));
  }

  @MessagePattern(IDENTITY_RPC.refresh)
  refresh(@Payload() data: unknown) {
    return this.refreshSession.execute(parseRequest(RefreshRequestSchema, data));
  }

  @MessagePattern(IDENTITY_RPC.logout)
  logout(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(LogoutRequestSchema, data);
    return this.logoutHandler.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.changePassword)
  changePassword(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ChangePasswordRequestSchema, data);
    return this.changePasswordHandler.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.me)
  me(@Payload() data: unknown) {
    return this.getMe.execute(parseRequest(CallerOnlyRequestSchema, data).caller);
  }

  @MessagePattern(IDENTITY_RPC.jwks)
  jwks() {
    return this.getJwks.execute();
  }

  @MessagePattern(IDENTITY_RPC.authenticate)
  authenticate(@Payload() data: unknown) {
    return this.authenticateHandler.execute(parseRequest(AuthenticateRequestSchema, data));
  }
}
