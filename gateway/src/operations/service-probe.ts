import { Injectable } from '@nestjs/common';
import { PingReplySchema, RPC, SERVICES, type ServiceName } from '@prescriptchain/contracts';
import { GatewayConfig } from '../gateway.config';
import { BackendRpc } from '../ports/backend-rpc';
import { GatewayMetrics } from './gateway-metrics';

export type UpDown = 'up' | 'down';

export interface Readiness {
  status: 'ready' | 'not_ready';
  broker: UpDown;
  services: Record<ServiceName, UpDown>;
}

/** Pings every service in parallel with a short deadline; feeds readiness and the messaging metrics. */
@Injectable()
export class ServiceProbe {
  constructor(
    private readonly rpc: BackendRpc,
    private readonly metrics: GatewayMetrics,
    private readonly config: GatewayConfig,
  ) {}

  async check(): Promise<Readiness> {
    const broker: UpDown = this.rpc.isConnected() ? 'up' : 'down';
    // Without the broker no ping can succeed; say so at once instead of waiting out the deadline.
    const results = await Promise.all(
      SERVICES.map(async (service) => [service, await this.ping(service, broker)] as const),
    );
    const services = Object.fromEntries(results) as Record<ServiceName, UpDown>;
    const ready = broker === 'up' && results.every(([, state]) => state === 'up');
    return { status: ready ? 'ready' : 'not_ready', broker, services };
  }

  private async ping(service: ServiceName, broker: UpDown): Promise<UpDown> {
    try {
      if (broker === 'down') throw new Error('broker down');
      const reply = PingReplySchema.parse(
        await this.rpc.call(RPC.ping(service), {}, { deadlineMs: this.config.readyDeadlineMs }),
      );
      this.metrics.recordPing(service, reply.messaging);
      return 'up';
    } catch {
      this.metrics.recordPing(service, null);
      return 'down';
    }
  }
}
