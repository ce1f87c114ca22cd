import { Controller, Req, Res } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayConfig } from '../gateway.config';
import { Route } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { GatewayMetrics } from './gateway-metrics';
import { ServiceProbe } from './service-probe';

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly probe: ServiceProbe,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * Prometheus text; the services' messaging totals are fetched (pinged) at scrape time. With
   * METRICS_TOKEN set (always in production) only a scraper sending it as a bearer token is served.
   */
  @Route(ROUTES.metrics)
  async scrape(
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<string> {
    if (this.config.metricsToken && !bearerMatches(req.headers.authorization, this.config.metricsToken))
      throw new CodedError('UNAUTHENTICATED', 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".');
    await this.probe.check();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

/** Constant-time comparison of the bearer token with the expected one (digests: equal lengths). */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = /^Bearer +(\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
