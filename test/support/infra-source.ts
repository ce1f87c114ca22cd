/**
 * Where the tests' PostgreSQL, RabbitMQ and Redis come from, decided once per jest run (by
 * test/global-setup.js) for each of the three:
 *
 * 1. a URL in the environment (TEST_PG_ADMIN_URL; TEST_AMQP_URL / TEST_RABBITMQ_MGMT_URL;
 *    TEST_REDIS_URL) → that server;
 * 2. none, and Docker answers → a throw-away container started for the run (testcontainers), whose
 *    URLs are then put in those same variables for every suite and every process the suites spawn;
 * 3. none, and no Docker → the machine's own services on 127.0.0.1 (what `npm test`'s set-up starts),
 *    which global-setup then checks, failing with what to do when they do not answer.
 *
 * TEST_INFRA=machine skips Docker (rule 3 for every unconfigured one); TEST_INFRA=containers makes
 * the absence of Docker an error instead of falling back.
 */
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';

export type InfraService = 'postgres' | 'rabbitmq' | 'redis';
export const INFRA_SERVICES: readonly InfraService[] = ['postgres', 'rabbitmq', 'redis'];

/** The variables that configure each service for the tests (any one set = configured). */
export const INFRA_ENV: Record<InfraService, readonly string[]> = {
  postgres: ['TEST_PG_ADMIN_URL'],
  rabbitmq: ['TEST_AMQP_URL', 'TEST_RABBITMQ_MGMT_URL'],
  redis: ['TEST_REDIS_URL'],
};

export type InfraSource = 'configured' | 'container' | 'machine';

export interface InfraChoice {
  service: InfraService;
  source: InfraSource;
  /** One line for the log: why this source. */
  reason: string;
}

/** Decides, without side effects, where each service comes from (see the rules above). */
export function chooseInfra(
  env: NodeJS.ProcessEnv,
  docker: { available: boolean; error?: string },
): InfraChoice[] {
  const mode = (env.TEST_INFRA ?? '').trim().toLowerCase();
  if (mode && mode !== 'machine' && mode !== 'containers')
    throw new Error(`TEST_INFRA is "${env.TEST_INFRA}": use "machine" or "containers" (or leave it unset)`);
  return INFRA_SERVICES.map((service) => {
    const set = INFRA_ENV[service].filter((v) => (env[v] ?? '').trim() !== '');
    if (set.length) return { service, source: 'configured', reason: `${set.join(', ')} set` };
    if (mode === 'machine') return { service, source: 'machine', reason: 'TEST_INFRA=machine' };
    if (docker.available)
      return { service, source: 'container', reason: 'no URL configured, Docker available' };
    if (mode === 'containers')
      throw new Error(
        `TEST_INFRA=containers but Docker is not available (${docker.error ?? 'no container runtime found'}): ` +
          `start Docker, or set ${INFRA_ENV[service].join(' / ')}`,
      );
    return {
      service,
      source: 'machine',
      reason: `no URL configured, no Docker (${docker.error ?? 'no container runtime found'}): the machine's own`,
    };
  });
}

/** Whether a container runtime answers (testcontainers' own discovery: DOCKER_HOST, the socket, …). */
export async function dockerStatus(): Promise<{ available: boolean; error?: string }> {
  try {
    await getContainerRuntimeClient();
    return { available: true };
  } catch (e) {
    return { available: false, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

/** The same images docker-compose.yml runs (PostGIS: pharmacy's tests need it). */
const IMAGES: Record<InfraService, string> = {
  postgres: 'postgis/postgis:15-3.4',
  rabbitmq: 'rabbitmq:3.13-management',
  redis: 'redis:7',
};

async function startOne(
  service: InfraService,
): Promise<{ container: StartedTestContainer; env: Record<string, string> }> {
  switch (service) {
    case 'postgres': {
      const container = await new GenericContainer(IMAGES.postgres)
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        // The entrypoint starts the server twice (init scripts, then for real): wait for the second.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      const host = `${container.getHost()}:${container.getMappedPort(5432)}`;
      return { container, env: { TEST_PG_ADMIN_URL: `postgresql://postgres@${host}/postgres` } };
    }
    case 'rabbitmq': {
      const container = await new GenericContainer(IMAGES.rabbitmq)
        .withEnvironment({ RABBITMQ_DEFAULT_USER: 'test', RABBITMQ_DEFAULT_PASS: 'test' })
        .withExposedPorts(5672, 15672)
        .withWaitStrategy(Wait.forHttp('/api/overview', 15672).withBasicCredentials('test', 'test'))
        .withStartupTimeout(120_000)
        .start();
      const h = container.getHost();
      return {
        container,
        env: {
          TEST_AMQP_URL: `amqp://test:test@${h}:${container.getMappedPort(5672)}`,
          TEST_RABBITMQ_MGMT_URL: `http://test:test@${h}:${container.getMappedPort(15672)}`,
        },
      };
    }
    case 'redis': {
      const container = await new GenericContainer(IMAGES.redis)
        .withExposedPorts(6379)
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
        .start();
      return {
        container,
        env: { TEST_REDIS_URL: `redis://${container.getHost()}:${container.getMappedPort(6379)}` },
      };
    }
  }
}

export interface StartedInfra {
  /** The TEST_* variables that point the suites at the containers. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts a container for each service given; on a failure, stops those already started. */
export async function startContainers(services: readonly InfraService[]): Promise<StartedInfra> {
  const settled = await Promise.allSettled(services.map(startOne));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.allSettled(started.map((s) => s.container.stop()));
  };
  const failed = settled.flatMap((s, i) =>
    s.status === 'rejected' ? [`${services[i]}: ${String(s.reason)}`] : [],
  );
  if (failed.length) {
    await stop();
    throw new Error(`could not start the test containers:\n  ${failed.join('\n  ')}`);
  }
  return { env: Object.assign({}, ...started.map((s) => s.env)), stop };
}

/**
 * Applies the rules to this run: starts the containers chosen, exports their URLs into `env`
 * (default process.env, which jest's workers and the processes suites spawn inherit), and logs
 * one line per service.
 */
export async function provideInfra(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (l) => console.log(l),
): Promise<StartedInfra | null> {
  const unconfigured = INFRA_SERVICES.some((s) => INFRA_ENV[s].every((v) => !(env[v] ?? '').trim()));
  const docker =
    unconfigured && (env.TEST_INFRA ?? '').trim().toLowerCase() !== 'machine'
      ? await dockerStatus()
      : { available: false, error: 'not asked' };
  const choices = chooseInfra(env, docker);
  for (const c of choices) log(`test infrastructure: ${c.service} — ${c.source} (${c.reason})`);
  const wanted = choices.filter((c) => c.source === 'container').map((c) => c.service);
  if (!wanted.length) return null;
  const started = await startContainers(wanted);
  Object.assign(env, started.env);
  return started;
}
