/**
 * An identity service on a throw-away PostgreSQL database: the real Prisma store, the local auth
 * provider and the messaging kit's Outbox (on a throw-away vhost), with use cases built by hand.
 */
import path from 'node:path';
import { AmqpConnection, Outbox } from '@prescriptchain/messaging';
import { Client } from 'pg';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
} from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { TestClock } from '../../../test/support/test-clock';
import { PiiCipher } from '../src/adapters/outbound/crypto/pii-cipher';
import { LocalAuthProvider } from '../src/adapters/outbound/local-auth/local-auth.provider';
import { IdentityPrismaService } from '../src/adapters/outbound/prisma/identity-prisma.service';
import { OutboxEventPublisher } from '../src/adapters/outbound/prisma/outbox-event.publisher';
import { PrismaIdentityStore } from '../src/adapters/outbound/prisma/prisma-identity.store';
import { PrismaSigningKeyStore } from '../src/adapters/outbound/prisma/prisma-signing-key.store';
import { AddClinicMemberHandler } from '../src/application/add-clinic-member/add-clinic-member.handler';
import { ApproveUserHandler } from '../src/application/approve-user/approve-user.handler';
import { AuthenticateHandler } from '../src/application/authenticate/authenticate.handler';
import { ChangePasswordHandler } from '../src/application/change-password/change-password.handler';
import { BootstrapAdminHandler } from '../src/application/bootstrap-admin/bootstrap-admin.handler';
import type { Caller } from '../src/application/caller';
import { createPasswordPolicy } from '../src/application/common-passwords/load-common-passwords';
import { CreateApiKeyHandler } from '../src/application/create-api-key/create-api-key.handler';
import { CreateClinicHandler } from '../src/application/create-clinic/create-clinic.handler';
import { GetMeHandler } from '../src/application/get-me/get-me.handler';
import { IdentityConfig } from '../src/application/identity-config';
import { LinkPharmacyOperatorHandler } from '../src/application/link-pharmacy-operator/link-pharmacy-operator.handler';
import { ListApiKeysHandler } from '../src/application/list-api-keys/list-api-keys.handler';
import { ListMyClinicsHandler } from '../src/application/list-my-clinics/list-my-clinics.handler';
import { ListReferralsHandler } from '../src/application/list-referrals/list-referrals.handler';
import { ListUsersHandler } from '../src/application/list-users/list-users.handler';
import { LoginHandler } from '../src/application/login/login.handler';
import { LogoutHandler } from '../src/application/logout/logout.handler';
import { RefreshSessionHandler } from '../src/application/refresh-session/refresh-session.handler';
import { RegisterUserHandler } from '../src/application/register-user/register-user.handler';
import { RevokeApiKeyHandler } from '../src/application/revoke-api-key/revoke-api-key.handler';
import { SuspendUserHandler } from '../src/application/suspend-user/suspend-user.handler';
import type { SelfServiceRole } from '../src/domain/user.entity';
import { localAuthOptions } from '../src/identity-core.module';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');
export const ADMIN = { email: 'admin@prescriptchain.test', password: 'a long admin passphrase 42' };
export const PASSWORD = 'herbal tea at seven';

export async function createIdentityKit(name: string, config: Partial<IdentityConfig> = {}) {
  const db: TestDatabase = await createTestDatabase(name);
  const vhost: TestVhost = await createTestVhost(name);
  await migrate(db.url, MIGRATIONS_DIR);
  const cfg = IdentityConfig.fromEnv(
    {},
    {
      databaseUrl: db.url,
      // Cheap hashing keeps the suites fast; the algorithm (argon2id) is the same.
      argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
      admin: { ...ADMIN, fullName: 'Admin' },
      ...config,
    },
  );
  const clock = new TestClock();
  const cipher = PiiCipher.developmentKey();
  const prisma = new IdentityPrismaService(db.url);
  const connection = new AmqpConnection({ url: vhost.url, name: `${name}-outbox` });
  const outbox = new Outbox({ db: prisma, connection, service: 'identity' });
  const store = new PrismaIdentityStore(prisma, cipher, new OutboxEventPublisher(outbox));
  const auth = new LocalAuthProvider(new PrismaSigningKeyStore(prisma), cipher, localAuthOptions(cfg), clock);
  const passwords = createPasswordPolicy();
  await auth.start();

  const kit = {
    db,
    cfg,
    clock,
    cipher,
    prisma,
    outbox,
    store,
    auth,
    register: new RegisterUserHandler(store, auth, passwords, clock),
    login: new LoginHandler(store, auth, cfg, clock),
    refresh: new RefreshSessionHandler(store, auth, cfg, clock),
    logout: new LogoutHandler(store, clock),
    changePassword: new ChangePasswordHandler(store, auth, passwords, clock),
    me: new GetMeHandler(store),
    authenticate: new AuthenticateHandler(store, auth, cfg, clock),
    listUsers: new ListUsersHandler(store),
    approve: new ApproveUserHandler(store, clock),
    suspend: new SuspendUserHandler(store, clock),
    createClinic: new CreateClinicHandler(store, clock),
    addMember: new AddClinicMemberHandler(store, clock),
    myClinics: new ListMyClinicsHandler(store),
    linkOperator: new LinkPharmacyOperatorHandler(store, clock),
    createApiKey: new CreateApiKeyHandler(store, clock),
    listApiKeys: new ListApiKeysHandler(store, clock),
    revokeApiKey: new RevokeApiKeyHandler(store, clock),
    listReferrals: new ListReferralsHandler(store),
    bootstrapAdmin: new BootstrapAdminHandler(store, auth, passwords, cfg, clock),
    admin: undefined as unknown as Caller,

    /** Raw SQL on the suite's database, bypassing Prisma and the cipher (what is really stored). */
    async sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        return (await c.query(text, values)).rows as T[];
      } finally {
        await c.end();
      }
    },

    /** Registers a user; `approve` has the admin approve them. Returns the caller it would be. */
    async user(
      role: SelfServiceRole,
      opts: { approve?: boolean; email?: string; referralCode?: string } = {},
    ) {
      const email = opts.email ?? `${role}.${Math.random().toString(36).slice(2, 10)}@example.co.nz`;
      const { user } = await kit.register.execute({
        email,
        password: PASSWORD,
        role,
        fullName: `Test ${role}`,
        referralCode: opts.referralCode,
      });
      if (opts.approve !== false) await kit.approve.execute(kit.admin, { userId: user.id });
      return { id: user.id, email, caller: { userId: user.id, role } as Caller };
    },

    async close() {
      await outbox.stop().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await prisma.$disconnect();
      await db.drop();
      await vhost.drop();
    },
  };

  await kit.bootstrapAdmin.execute();
  const admin = await prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
  kit.admin = { userId: admin.id, role: 'admin' };
  return kit;
}

export type IdentityKit = Awaited<ReturnType<typeof createIdentityKit>>;

/** The catalogue key of a rejected promise's CodedError (or 'ok'), for compact assertions. */
export async function errorKey(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    const key = (e as { key?: string }).key;
    if (!key) throw e;
    return key;
  }
}

export async function rejection(
  promise: Promise<unknown>,
): Promise<{ key: string; details: any; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { key: string; details: any; message: string };
  }
  throw new Error('expected the promise to reject');
}
