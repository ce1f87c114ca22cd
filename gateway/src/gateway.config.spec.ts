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

  it('refuses a port that is not a number', () => {
    expect(() => GatewayConfig.fromEnv({ GATEWAY_PORT: 'eighty' })).toThrow();
  });
});
