import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Logger, shutdownTelemetry } from '@prescriptchain/messaging';
import type { Server } from 'node:http';
import { GatewayConfig } from '../gateway.config';
import { LOGGER } from '../logger.token';
import { BackendRpc } from '../ports/backend-rpc';
import { RateLimiter } from '../ports/rate-limiter';
import { HttpDrain } from './http-drain';

/**
 * SIGTERM, in Nest's order: drain (this, before the server closes) → the server stops accepting
 * and waits for in-flight requests (Nest) → close the RPC client and Redis, then flush telemetry
 * (this, after). Connections still open after SHUTDOWN_TIMEOUT_MS are cut so the process always ends.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private forceClose?: NodeJS.Timeout;

  constructor(
    private readonly drain: HttpDrain,
    private readonly adapterHost: HttpAdapterHost,
    private readonly rpc: BackendRpc,
    private readonly limiter: RateLimiter,
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal, in_flight: this.drain.inFlight }, 'shutting down: draining HTTP');
    this.drain.start();
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.forceClose = setTimeout(() => server?.closeAllConnections(), this.config.shutdownTimeoutMs);
    this.forceClose.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.forceClose);
    try {
      await this.rpc.close();
    } catch (err) {
      this.logger.warn({ err }, 'closing the RPC client failed');
    }
    await this.limiter.close().catch((err) => this.logger.warn({ err }, 'closing Redis failed'));
    this.logger.info('stopped');
    await shutdownTelemetry();
  }
}
