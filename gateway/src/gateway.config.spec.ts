import { GatewayConfig } from './gateway.config';

describe(GatewayConfig.name, () => {
  it('defaults to port 3000, a 1mb body limit, no CORS origins and a 1 s readiness deadline', () => {
    expect(GatewayConfig.fromEnv({})).toMatchObject({
      port: 3000,
      bodyLimit: '1mb',
      corsOrigins: [],
      readyDeadlineMs: 1000,
      rpcDeadlineMs: 5000,
    });
  });

  it('waits 5 s for a payment outcome and up to 30 s for orders to take the payment step, both settable', () => {
    expect(GatewayConfig.fromEnv({})).toMatchObject({ orderWaitMs: 5000, orderPlaceDeadlineMs: 30_000 });
    expect(GatewayConfig.fromEnv({ ORDER_WAIT_MS: '0', ORDER_PLACE_DEADLINE_MS: '45000' })).toMatchObject({
      orderWaitMs: 0,
      orderPlaceDeadlineMs: 45_000,
    });
    expect(() => GatewayConfig.fromEnv({ ORDER_PLACE_DEADLINE_MS: '0' })).toThrow();
  });

  it('reads the environment, CORS_ORIGINS as a comma list', () => {
    const c = GatewayConfig.fromEnv({
      GATEWAY_PORT: '8080',
      BODY_LIMIT: '200kb',
      CORS_ORIGINS: ' https://a.example, https://b.example ,',
      READY_DEADLINE_MS: '250',
    });
    expect(c).toMatchObject({
      port: 8080,
      bodyLimit: '200kb',
      corsOrigins: ['https://a.example', 'https://b.example'],
      readyDeadlineMs: 250,
    });
  });

  it('rate-limits as the contract says by default (auth 5/min, search 100/min, orders 10/min, uploads 20/h) and trusts no proxy', () => {
    expect(GatewayConfig.fromEnv({})).toMatchObject({
      rateLimits: { auth: 5, search: 100, orders: 10, uploads: 20, filePuts: 30 },
      trustProxy: false,
      metricsToken: null,
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it('reads the RATE_LIMIT_* limits (0 = off), REDIS_URL and TRUST_PROXY', () => {
    const c = GatewayConfig.fromEnv({
      RATE_LIMIT_AUTH_PER_MIN: '0',
      RATE_LIMIT_SEARCH_PER_MIN: '7',
      RATE_LIMIT_ORDERS_PER_MIN: '3',
      RATE_LIMIT_UPLOADS_PER_HOUR: '2',
      RATE_LIMIT_FILE_PUTS_PER_MIN: '4',
      METRICS_TOKEN: 'scrape-me',
      REDIS_URL: 'redis://cache:6380/2',
      TRUST_PROXY: '1',
      RATE_LIMIT_KEY_PREFIX: 'test:',
    });
    expect(c).toMatchObject({
      rateLimits: { auth: 0, search: 7, orders: 3, uploads: 2, filePuts: 4 },
      metricsToken: 'scrape-me',
      redisUrl: 'redis://cache:6380/2',
      trustProxy: 1,
      rateLimitKeyPrefix: 'test:',
    });
    expect(() => GatewayConfig.fromEnv({ RATE_LIMIT_AUTH_PER_MIN: '-1' })).toThrow();
  });

  it('refuses a port that is not a number', () => {
    expect(() => GatewayConfig.fromEnv({ GATEWAY_PORT: 'eighty' })).toThrow();
  });
});
