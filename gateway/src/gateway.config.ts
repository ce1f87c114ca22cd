import { z } from 'zod';

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BODY_LIMIT: z.string().min(1).default('1mb'),
  CORS_ORIGINS: csv,
  AMQP_URL: z.string().min(1).default('amqp://guest:guest@127.0.0.1:5672'),
  RPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
  READY_DEADLINE_MS: z.coerce.number().int().positive().default(1000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

/** The gateway's settings, read once from the environment (DI token and value). */
export class GatewayConfig {
  readonly port: number;
  /** body-parser size syntax (`1mb`, `100kb`). */
  readonly bodyLimit: string;
  /** Allowed CORS origins; empty = no cross-origin access. */
  readonly corsOrigins: string[];
  readonly amqpUrl: string;
  readonly rpcDeadlineMs: number;
  readonly readyDeadlineMs: number;
  /** After this, connections still open at shutdown are cut. */
  readonly shutdownTimeoutMs: number;

  constructor(values: Partial<GatewayConfig> = {}) {
    const env = EnvSchema.parse({});
    this.port = values.port ?? env.GATEWAY_PORT;
    this.bodyLimit = values.bodyLimit ?? env.BODY_LIMIT;
    this.corsOrigins = values.corsOrigins ?? env.CORS_ORIGINS;
    this.amqpUrl = values.amqpUrl ?? env.AMQP_URL;
    this.rpcDeadlineMs = values.rpcDeadlineMs ?? env.RPC_DEADLINE_MS;
    this.readyDeadlineMs = values.readyDeadlineMs ?? env.READY_DEADLINE_MS;
    this.shutdownTimeoutMs = values.shutdownTimeoutMs ?? env.SHUTDOWN_TIMEOUT_MS;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
    const e = EnvSchema.parse(env);
    return new GatewayConfig({
      port: e.GATEWAY_PORT,
      bodyLimit: e.BODY_LIMIT,
      corsOrigins: e.CORS_ORIGINS,
      amqpUrl: e.AMQP_URL,
      rpcDeadlineMs: e.RPC_DEADLINE_MS,
      readyDeadlineMs: e.READY_DEADLINE_MS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    });
  }
}
