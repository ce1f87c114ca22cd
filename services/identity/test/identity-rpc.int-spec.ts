import type { INestMicroservice } from '@nestjs/common';
import { IDENTITY_RPC } from '@prescriptchain/contracts';
import { AmqpRpcClient, MessagingModule, Outbox, createServiceMicroservice } from '@prescriptchain/messaging';
import {
  type TestDatabase,
  type TestVhost,
  createTestDatabase,
  createTestVhost,
} from '../../../test/support/infra';
import { migrate } from '../../../tools/migrate';
import { IdentityPrismaService } from '../src/adapters/outbound/prisma/identity-prisma.service';
import { OutboxEventPublisher } from '../src/adapters/outbound/prisma/outbox-event.publisher';
import { IdentityCoreModule } from '../src/identity-core.module';
import { ADMIN, MIGRATIONS_DIR } from './identity-test-kit';

/** IdentityCoreModule wired as main.ts will wire it, answering RPC over RabbitMQ like the gateway calls it. */
describe('identity RPC over RabbitMQ', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestMicroservice;
  let rpc: AmqpRpcClient;

  const failure = async (pattern: string, data: unknown) => {
    try {
      await rpc.call(pattern, data, { deadlineMs: 5_000 });
      return { code: 'ok', details: undefined as unknown };
    } catch (e) {
      const err = e as { code: string; details: unknown };
      return { code: err.code, details: err.details };
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('identity_rpc');
    vhost = await createTestVhost('identity_rpc');
    await migrate(db.url, MIGRATIONS_DIR);
    app = await createServiceMicroservice(
      IdentityCoreModule.forRoot({
        env: {
          IDENTITY_DATABASE_URL: db.url,
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          NODE_ENV: 'test',
        },
        config: { argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 } },
        imports: [
          MessagingModule.forService({
            service: 'identity',
            prismaToken: IdentityPrismaService,
            url: vhost.url,
          }),
        ],
        eventPublisher: {
          useFactory: (outbox: Outbox) => new OutboxEventPublisher(outbox),
          inject: [Outbox],
        },
      }),
      { service: 'identity', url: vhost.url, nest: { logger: false }, shutdownHooks: false },
    );
    await app.listen();
    rpc = new AmqpRpcClient({ url: vhost.url, name: 'identity-rpc-test' });
    await rpc.connect();
  });

  afterAll(async () => {
    await rpc?.close();
    await app?.close();
    await db?.drop();
    await vhost?.drop();
  });

  it('creates the first admin on bootstrap, who signs in over RPC and is authenticated by token', async () => {
    const login = await rpc.call<{ user: { id: string; role: string }; tokens: { accessToken: string } }>(
      IDENTITY_RPC.login,
      {
        email: ADMIN.email,
        password: ADMIN.password,
        ip: '127.0.0.1',
      },
    );
    expect(login.user.role).toBe('admin');
    const principal = await rpc.call<{ userId: string; via: string }>(IDENTITY_RPC.authenticate, {
      accessToken: login.tokens.accessToken,
    });
    expect(principal).toMatchObject({ userId: login.user.id, via: 'token' });
    const jwks = await rpc.call<{ keys: { kid: string; alg: string }[] }>(IDENTITY_RPC.jwks, {});
    expect(jwks.keys[0]).toMatchObject({ alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' });
  });

  it('answers invalid input with VALIDATION_FAILED and the paths at fault', async () => {
    const res = await failure(IDENTITY_RPC.register, {
      email: 'not-an-email',
      password: 'x',
      role: 'admin',
      fullName: '',
    });
    expect(res.code).toBe('VALIDATION_FAILED');
    expect((res.details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'email',
      'fullName',
      'role',
    ]);
  });

  it('carries domain error codes back to the caller', async () => {
    expect(
      (await failure(IDENTITY_RPC.login, { email: ADMIN.email, password: 'wrong password here' })).code,
    ).toBe('1001');
    const caller = { userId: '0d4c8a3e-5b7f-4c2a-9e1d-3f6a8b9c0d11', role: 'practitioner' };
    expect((await failure(IDENTITY_RPC.listUsers, { caller })).code).toBe('1003');
  });

  it('has a handler for every identity pattern', async () => {
    for (const pattern of Object.values(IDENTITY_RPC)) {
      const { code } = await failure(pattern, {});
      expect([pattern, code]).not.toEqual([pattern, 'GATEWAY_TIMEOUT']);
      expect([pattern, code]).not.toEqual([pattern, 'INTERNAL_ERROR']);
    }
  });

  it('returns plain JSON without secrets or hashes', async () => {
    const reg = await rpc.call<{ user: Record<string, unknown> }>(IDENTITY_RPC.register, {
      email: 'json@example.co.nz',
      password: 'a perfectly fine passphrase',
      role: 'pharmacy_operator',
      fullName: 'Json Person',
      phone: '+64 21 123 4567',
    });
    expect(typeof reg.user.createdAt).toBe('string');
    expect(JSON.stringify(reg)).not.toMatch(/argon2|password/i);
  });
});
