import { Injectable } from '@nestjs/common';
import type { MessagingCounters } from '@prescriptchain/contracts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

type CounterName = Exclude<keyof MessagingCounters, 'outboxBacklog'>;

/**
 * The gateway's Prometheus registry. One per app instance (not prom-client's global one), so
 * several apps in one process (tests) do not collide.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpInFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served.',
    registers: [this.registry],
  });

  readonly rpcDuration = new Histogram({
    name: 'rpc_client_duration_seconds',
    help: 'Gateway-to-service RPC latency by pattern and outcome (ok or the error code).',
    labelNames: ['pattern', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly serviceUp = new Gauge({
    name: 'backend_service_up',
    help: '1 when the service answered its last ping, else 0.',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'messaging_outbox_backlog',
    help: 'Outbox messages not yet published, as the service last reported.',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'rate_limit_rejected_total',
    help: 'Requests refused with 429 by the gateway, by rate-limit bucket.',
    labelNames: ['bucket'] as const,
    registers: [this.registry],
  });

  readonly rateLimitUnavailable = new Counter({
    name: 'rate_limit_unavailable_total',
    help: 'Requests let through uncounted because Redis could not be reached (fail open), by bucket.',
    labelNames: ['bucket'] as const,
    registers: [this.registry],
  });

  readonly principalLookups = new Counter({
    name: 'auth_principal_lookups_total',
    help: 'How authenticated requests found their caller: hit / miss (token verified here, principal cached or asked of identity), unsubscribed (identity events not reaching this gateway: identity asked), api_key (identity asked).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly accessEventsLive = new Gauge({
    name: 'auth_access_events_live',
    help: "1 while identity's events reach this gateway (principals may be cached), else 0.",
    registers: [this.registry],
  });

  /** Totals kept by each service since it started, as it last reported them over ping. */
  private readonly reported = new Map<string, MessagingCounters>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const counter = (key: CounterName, name: string, help: string) => {
      const reported = this.reported;
      return new Counter({
        name,
        help,
        labelNames: ['service'] as const,
        registers: [this.registry],
        // The service owns the count; the gateway republishes its latest report at scrape time.
        collect() {
          this.reset();
          for (const [service, counters] of reported) this.inc({ service }, counters[key]);
        },
      });
    };
    counter('published', 'messaging_published_total', 'Messages published (outbox relay), by service.');
    counter('consumed', 'messaging_consumed_total', 'Messages consumed and acknowledged, by service.');
    counter('retried', 'messaging_retried_total', 'Messages sent to a retry queue, by service.');
    counter('deadLettered', 'messaging_dead_lettered_total', 'Messages dead-lettered, by service.');
  }

  /** Records a ping result; `null` = the service did not answer (its last totals are kept). */
  recordPing(service: string, counters: MessagingCounters | null): void {
    this.serviceUp.set({ service }, counters ? 1 : 0);
    if (!counters) return;
    this.reported.set(service, counters);
    this.outboxBacklog.set({ service }, counters.outboxBacklog);
  }
}
