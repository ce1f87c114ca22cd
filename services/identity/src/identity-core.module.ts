import {
  type DynamicModule,
  Logger,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AccountController } from './adapters/inbound/rpc/account.controller';
import { AdminController } from './adapters/inbound/rpc/admin.controller';
import { AuthController } from './adapters/inbound/rpc/auth.controller';
import { PiiCipher } from './adapters/outbound/crypto/pii-cipher';
import {
  authProviderConfigFromEnv,
  createAuthProvider,
} from './adapters/outbound/supabase/auth-provider.factory';
import {
  IdentityPrismaModule,
  IdentityPrismaService,
} from './adapters/outbound/prisma/identity-prisma.service';
import { PrismaIdentityStore } from './adapters/outbound/prisma/prisma-identity.store';
import { PrismaSigningKeyStore } from './adapters/outbound/prisma/prisma-signing-key.store';
import { AddClinicMemberHandler } from './application/add-clinic-member/add-clinic-member.handler';
import { ApproveUserHandler } from './application/approve-user/approve-user.handler';
import { AuthenticateHandler } from './application/authenticate/authenticate.handler';
import { BootstrapAdminHandler } from './application/bootstrap-admin/bootstrap-admin.handler';
import { Clock } from './application/clock';
import { ChangePasswordHandler } from './application/change-password/change-password.handler';
import { createPasswordPolicy } from './application/common-passwords/load-common-passwords';
import { CreateApiKeyHandler } from './application/create-api-key/create-api-key.handler';
import { CreateClinicHandler } from './application/create-clinic/create-clinic.handler';
import { GetJwksHandler } from './application/get-jwks/get-jwks.handler';
import { GetMeHandler } from './application/get-me/get-me.handler';
import { IdentityConfig } from './application/identity-config';
import { LinkPharmacyOperatorHandler } from './application/link-pharmacy-operator/link-pharmacy-operator.handler';
import { ListApiKeysHandler } from './application/list-api-keys/list-api-keys.handler';
import { ListMyClinicsHandler } from './application/list-my-clinics/list-my-clinics.handler';
import { ListReferralsHandler } from './application/list-referrals/list-referrals.handler';
import { ListUsersHandler } from './application/list-users/list-users.handler';
import { LoginHandler } from './application/login/login.handler';
import { LogoutHandler } from './application/logout/logout.handler';
import { AuthProvider } from './application/ports/auth-provider';
import { EventPublisher } from './application/ports/event-publisher';
import { IdentityStore } from './application/ports/identity-store';
import { RefreshSessionHandler } from './application/refresh-session/refresh-session.handler';
import { RegisterUserHandler } from './application/register-user/register-user.handler';
import { RevokeApiKeyHandler } from './application/revoke-api-key/revoke-api-key.handler';
import { SuspendUserHandler } from './application/suspend-user/suspend-user.handler';
import { PasswordPolicy } from './domain/password-policy';

export const IDENTITY_HANDLERS = [
  RegisterUserHandler,
  LoginHandler,
  RefreshSessionHandler,
  LogoutHandler,
  ChangePasswordHandler,
  GetMeHandler,
  GetJwksHandler,
  AuthenticateHandler,
  ListUsersHandler,
  ApproveUserHandler,
  SuspendUserHandler,
  CreateClinicHandler,
  AddClinicMemberHandler,
  ListMyClinicsHandler,
  LinkPharmacyOperatorHandler,
  CreateApiKeyHandler,
  ListApiKeysHandler,
  RevokeApiKeyHandler,
  ListReferralsHandler,
  BootstrapAdminHandler,
];

export interface IdentityCoreOptions {
  /** Modules the event-publisher factory injects from (e.g. the messaging module that exports Outbox). */
  imports?: ModuleMetadata['imports'];
  /**
   * How events reach the outbox, e.g.
   * `{ useFactory: (outbox: Outbox) => new OutboxEventPublisher(outbox), inject: [Outbox] }`.
   */
  eventPublisher: {
    useFactory: (...args: any[]) => EventPublisher | Promise<EventPublisher>;
    inject?: any[];
  };
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides of the environment-derived configuration (tests). */
  config?: Partial<IdentityConfig>;
}

/**
 * Identity's use cases, RPC controllers and adapters (Prisma store, local auth provider, PII cipher).
 * On application bootstrap it makes sure a signing key exists and creates the first admin.
 * IdentityPrismaService is global: give it to the messaging kit as the Prisma client.
 */
@Module({})
export class IdentityCoreModule implements OnApplicationBootstrap {
  constructor(
    private readonly auth: AuthProvider,
    private readonly bootstrapAdmin: BootstrapAdminHandler,
  ) {}

  static forRoot(options: IdentityCoreOptions): DynamicModule {
    const env = options.env ?? process.env;
    const config = IdentityConfig.fromEnv(env, options.config);
    const logger = new Logger('Identity');
    return {
      module: IdentityCoreModule,
      imports: [IdentityPrismaModule.forRoot(config.databaseUrl), ...(options.imports ?? [])],
      controllers: [AuthController, AdminController, AccountController],
      providers: [
        { provide: IdentityConfig, useValue: config },
        Clock,
        { provide: PiiCipher, useFactory: () => PiiCipher.fromEnv(env, (m) => logger.warn(m)) },
        { provide: PasswordPolicy, useFactory: createPasswordPolicy },
        { provide: EventPublisher, ...options.eventPublisher },
        {
          provide: IdentityStore,
          useFactory: (prisma: IdentityPrismaService, cipher: PiiCipher, events: EventPublisher) =>
            new PrismaIdentityStore(prisma, cipher, events),
          inject: [IdentityPrismaService, PiiCipher, EventPublisher],
        },
        {
          provide: AuthProvider,
          // AUTH_PROVIDER=local (default) or supabase; both sign our own EdDSA access tokens.
          useFactory: (prisma: IdentityPrismaService, cipher: PiiCipher, cfg: IdentityConfig, clock: Clock) =>
            createAuthProvider(authProviderConfigFromEnv(env), {
              signingKeys: new PrismaSigningKeyStore(prisma),
              cipher,
              clock,
              local: localAuthOptions(cfg),
            }),
          inject: [IdentityPrismaService, PiiCipher, IdentityConfig, Clock],
        },
        ...IDENTITY_HANDLERS,
      ],
      exports: [IdentityConfig, IdentityStore, AuthProvider, ...IDENTITY_HANDLERS],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.auth.start();
    await this.bootstrapAdmin.execute();
  }
}

export function localAuthOptions(config: IdentityConfig) {
  return {
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    rotateAfterSeconds: config.signingKeyRotateAfterSeconds,
    retentionSeconds: config.signingKeyRetentionSeconds,
    cacheSeconds: config.signingKeyCacheSeconds,
    argon2: config.argon2,
  };
}
