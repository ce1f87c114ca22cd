/** Broker names. Never rename one: deployed queues and bindings depend on them. */
export const SERVICES = ['identity', 'orders', 'accounts', 'pharmacy', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const EXCHANGES = {
  /** Durable topic exchange; routing key = message type (`orders.order.paid`). */
  events: 'prescriptchain.events',
  /** Direct exchange that routes rejected messages to `<queue>.dlq`, keyed by the source queue name. */
  deadLetter: 'prescriptchain.dlx',
  /** Direct exchange that parks messages in `<queue>.retry` until their backoff expires. */
  retry: 'prescriptchain.retry',
} as const;

export const queueNames = (service: ServiceName | 'gateway') => ({
  /** Events and commands the service consumes (quorum queue). */
  events: `${service}.events`,
  /** Requests from the gateway (request/reply). */
  rpc: `${service}.rpc`,
  deadLetter: `${service}.events.dlq`,
  retry: `${service}.events.retry`,
  /** Retry queue for one backoff level (1-based): `<service>.events.retry.<level>`. */
  retryLevel: (level: number) => `${service}.events.retry.${level}`,
});

/** Headers we set on every message we publish. */
export const HEADERS = {
  messageType: 'x-message-type',
  messageVersion: 'x-message-version',
  attempt: 'x-attempt',
  lastError: 'x-last-error',
  originalQueue: 'x-original-queue',
  deadline: 'x-deadline',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;
