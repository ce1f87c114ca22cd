import { Controller, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Route } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { GatewayMetrics } from './gateway-metrics';
import { ServiceProbe } from './service-probe';

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly probe: ServiceProbe,
  ) {}

  /** Prometheus text; the services' messaging totals are fetched (pinged) at scrape time. */
  @Route(ROUTES.metrics)
  async scrape(@Res({ passthrough: true }) res: ServerResponse): Promise<string> {
    await this.probe.check();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
