import { instanceEnv, instances, replicas, serviceOf } from '../../tools/lib/config';
import { startPlatform } from '../../tools/lib/platform';
import { childEnv } from '../../tools/lib/supervisor';

/**
 * ORDERS_REPLICAS: how `npm start` (tools/start.js) and startPlatform (tools/lib/platform.js) name
 * and configure the processes they run. Both take their list from config.instances().
 */
describe('orders replicas in the launchers', () => {
  const names = (env: NodeJS.ProcessEnv) => instances(env).map((i) => i.name);

  it('runs one process per project by default (unset or blank)', () => {
    const one = ['identity', 'orders', 'accounts', 'pharmacy', 'notifications', 'gateway'];
    expect(names({})).toEqual(one);
    expect(names({ ORDERS_REPLICAS: '' })).toEqual(one);
    expect(names({ ORDERS_REPLICAS: ' 1 ' })).toEqual(one);
  });

  it('runs ORDERS_REPLICAS orders processes in a row, named orders, orders-2, …, all of the orders project', () => {
    const env = { ORDERS_REPLICAS: '3' };
    expect(names(env)).toEqual([
      'identity',
      'orders',
      'orders-2',
      'orders-3',
      'accounts',
      'pharmacy',
      'notifications',
      'gateway',
    ]);
    expect(
      instances(env)
        .filter((i) => i.project.name === 'orders')
        .map(({ name, project, replica, replicas: of }) => ({ name, dir: project.dir, replica, of })),
    ).toEqual([
      { name: 'orders', dir: 'services/orders', replica: 1, of: 3 },
      { name: 'orders-2', dir: 'services/orders', replica: 2, of: 3 },
      { name: 'orders-3', dir: 'services/orders', replica: 3, of: 3 },
    ]);
    // Only orders scales: other services have one process whatever the environment says.
    expect(replicas('accounts', { ...env, ACCOUNTS_REPLICAS: '4' })).toBe(1);
  });

  it.each(['0', '-1', '2.5', 'two', '17', '1e1'])(
    'refuses ORDERS_REPLICAS=%s, naming the variable',
    (raw) => {
      expect(() => instances({ ORDERS_REPLICAS: raw })).toThrow(
        `ORDERS_REPLICAS must be a whole number from 1 to 16 (got "${raw}")`,
      );
    },
  );

  it('maps a replica name back to its service; other names are their own', () => {
    expect(['orders', 'orders-2', 'orders-12', 'demo-seed', 'identity-2', 'orders-1'].map(serviceOf)).toEqual(
      ['orders', 'orders', 'orders', 'demo-seed', 'identity-2', 'orders-1'],
    );
  });

  it("gives each process its instance id for logs and traces, keeping the caller's other resource attributes", () => {
    expect(instanceEnv('orders-2', {})).toEqual({
      SERVICE_INSTANCE_ID: 'orders-2',
      OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=orders-2',
    });
    expect(
      instanceEnv('orders', {
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev, service.instance.id=stale,team=rx',
      }),
    ).toEqual({
      SERVICE_INSTANCE_ID: 'orders',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev,team=rx,service.instance.id=orders',
    });
  });

  it("npm start's child environment: replicas share the service name and differ in instance id", () => {
    // ADMIN_PASSWORD set: childEnv then neither reads nor writes the development admin file.
    const env = { ADMIN_PASSWORD: 'set by the operator', NODE_ENV: 'development' };
    const pick = (name: string) => {
      const e = childEnv(name, env);
      return {
        service: e.OTEL_SERVICE_NAME,
        instance: e.SERVICE_INSTANCE_ID,
        resource: e.OTEL_RESOURCE_ATTRIBUTES,
      };
    };
    expect(pick('orders')).toEqual({
      service: 'orders',
      instance: 'orders',
      resource: 'service.instance.id=orders',
    });
    expect(pick('orders-2')).toEqual({
      service: 'orders',
      instance: 'orders-2',
      resource: 'service.instance.id=orders-2',
    });
    expect(pick('gateway')).toMatchObject({ service: 'gateway', instance: 'gateway' });
  });

  it('startPlatform refuses a bad ORDERS_REPLICAS before it creates any database or vhost', async () => {
    await expect(startPlatform({ env: { ORDERS_REPLICAS: 'many' } })).rejects.toThrow(
      'ORDERS_REPLICAS must be a whole number from 1 to 16 (got "many")',
    );
  });
});
