import { Client } from 'pg';
import { chooseInfra, dockerStatus, provideInfra } from '../support/infra-source';

const noDocker = { available: false, error: 'connect ENOENT /var/run/docker.sock' };
const docker = { available: true };
const sources = (choices: ReturnType<typeof chooseInfra>) =>
  Object.fromEntries(choices.map((c) => [c.service, c.source]));

describe('where the tests get PostgreSQL, RabbitMQ and Redis', () => {
  it('uses a configured URL, whether or not Docker is there', () => {
    const env = {
      TEST_PG_ADMIN_URL: 'postgresql://u@db:5432/postgres',
      TEST_RABBITMQ_MGMT_URL: 'http://g:g@mq:15672',
      TEST_REDIS_URL: 'redis://r:6379',
    };
    expect(sources(chooseInfra(env, docker))).toEqual({
      postgres: 'configured',
      rabbitmq: 'configured',
      redis: 'configured',
    });
    expect(sources(chooseInfra(env, noDocker))).toEqual({
      postgres: 'configured',
      rabbitmq: 'configured',
      redis: 'configured',
    });
    expect(chooseInfra(env, docker)[1].reason).toBe('TEST_RABBITMQ_MGMT_URL set');
  });

  it('starts a container for each one without a URL when Docker is available', () => {
    expect(sources(chooseInfra({ TEST_REDIS_URL: 'redis://r:6379' }, docker))).toEqual({
      postgres: 'container',
      rabbitmq: 'container',
      redis: 'configured',
    });
  });

  it("falls back to the machine's own services without a URL or Docker, saying why", () => {
    const choices = chooseInfra({ TEST_PG_ADMIN_URL: '  ' }, noDocker);
    expect(sources(choices)).toEqual({ postgres: 'machine', rabbitmq: 'machine', redis: 'machine' });
    expect(choices[0].reason).toContain('connect ENOENT /var/run/docker.sock');
  });

  it('TEST_INFRA=machine keeps to the machine even with Docker; TEST_INFRA=containers refuses to fall back', () => {
    expect(sources(chooseInfra({ TEST_INFRA: 'machine' }, docker))).toEqual({
      postgres: 'machine',
      rabbitmq: 'machine',
      redis: 'machine',
    });
    expect(sources(chooseInfra({ TEST_INFRA: 'containers' }, docker))).toEqual({
      postgres: 'container',
      rabbitmq: 'container',
      redis: 'container',
    });
    expect(() => chooseInfra({ TEST_INFRA: 'containers' }, noDocker)).toThrow(
      'TEST_INFRA=containers but Docker is not available (connect ENOENT /var/run/docker.sock): start Docker, or set TEST_PG_ADMIN_URL',
    );
    expect(() => chooseInfra({ TEST_INFRA: 'kubernetes' }, docker)).toThrow(
      'TEST_INFRA is "kubernetes": use "machine" or "containers"',
    );
  });

  it('leaves the environment alone when every service is configured', async () => {
    const env: NodeJS.ProcessEnv = {
      TEST_PG_ADMIN_URL: 'postgresql://a@b/c',
      TEST_AMQP_URL: 'amqp://x',
      TEST_REDIS_URL: 'redis://y',
    };
    const lines: string[] = [];
    expect(await provideInfra(env, (l) => lines.push(l))).toBeNull();
    expect(env).toEqual({
      TEST_PG_ADMIN_URL: 'postgresql://a@b/c',
      TEST_AMQP_URL: 'amqp://x',
      TEST_REDIS_URL: 'redis://y',
    });
    expect(lines).toEqual([
      'test infrastructure: postgres — configured (TEST_PG_ADMIN_URL set)',
      'test infrastructure: rabbitmq — configured (TEST_AMQP_URL set)',
      'test infrastructure: redis — configured (TEST_REDIS_URL set)',
    ]);
  });

  // The container path where Docker answers (a PostgreSQL container the test then queries); the
  // fallback, with Docker's own reason, where it does not.
  it("provides this machine's choice: containers it can query when Docker answers, else the machine's own", async () => {
    const status = await dockerStatus();
    const env: NodeJS.ProcessEnv = { TEST_AMQP_URL: 'amqp://x', TEST_REDIS_URL: 'redis://y' };
    const lines: string[] = [];
    const started = await provideInfra(env, (l) => lines.push(l));
    try {
      if (status.available) {
        expect(lines[0]).toBe(
          'test infrastructure: postgres — container (no URL configured, Docker available)',
        );
        const c = new Client({ connectionString: env.TEST_PG_ADMIN_URL });
        await c.connect();
        const { rows } = await c.query("SELECT 1 AS one FROM pg_available_extensions WHERE name = 'postgis'");
        await c.end();
        expect(rows).toEqual([{ one: 1 }]);
      } else {
        expect(status.error).toBeTruthy();
        expect(started).toBeNull();
        expect(env.TEST_PG_ADMIN_URL).toBeUndefined();
        expect(lines[0]).toBe(
          `test infrastructure: postgres — machine (no URL configured, no Docker (${status.error}): the machine's own)`,
        );
      }
    } finally {
      await started?.stop();
    }
  }, 180_000);
});
