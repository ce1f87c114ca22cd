import type { OnApplicationShutdown } from '@nestjs/common';
import {
  ClinicMemberAddedV1,
  PharmacyOperatorLinkedV1,
  UserApprovedV1,
  UserSuspendedV1,
  UserTokensRevokedV1,
} from '@prescriptchain/contracts';
import { BroadcastSubscription, type MessagingLogger } from '@prescriptchain/messaging';
import { type AccessChangeListener, AccessEvents } from '../access/access-events';

/** Identity's events that change who a user is to the gateway (each payload names the user). */
export const ACCESS_EVENT_TYPES = [
  UserSuspendedV1,
  UserApprovedV1,
  UserTokensRevokedV1,
  ClinicMemberAddedV1,
  PharmacyOperatorLinkedV1,
].map((m) => m.type);

export interface AmqpAccessEventsOptions {
  url: string;
  /** The connection's name in RabbitMQ's management UI. Default `gateway-access-events`. */
  name?: string;
  logger?: MessagingLogger;
  /** Called with the subscription's state on every change (the metrics gauge). */
  onLive?: (live: boolean) => void;
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
}

/**
 * AccessEvents over RabbitMQ: this gateway process's own queue (server-named, exclusive,
 * auto-delete: BroadcastSubscription) bound to identity's events, so every replica hears every
 * event. Live only while that queue is consumed.
 */
export class AmqpAccessEvents extends AccessEvents implements OnApplicationShutdown {
  private readonly listeners: AccessChangeListener[] = [];
  readonly subscription: BroadcastSubscription;

  constructor(options: AmqpAccessEventsOptions) {
    super();
    this.subscription = new BroadcastSubscription({
      url: options.url,
      name: options.name ?? 'gateway-access-events',
      types: ACCESS_EVENT_TYPES,
      logger: options.logger,
      reconnectSeconds: options.reconnectSeconds,
      heartbeatSeconds: options.heartbeatSeconds,
      onEvent: (envelope) => {
        const { userId } = envelope.payload as { userId?: unknown };
        this.emit(typeof userId === 'string' ? userId : null);
      },
      onLiveChange: (live) => {
        options.onLive?.(live);
        // Down: what we hold can no longer be invalidated. Up: events may have been missed meanwhile.
        this.emit(null);
      },
    });
  }

  start(): this {
    this.subscription.start();
    return this;
  }

  isLive(): boolean {
    return this.subscription.isLive();
  }

  onChange(listener: AccessChangeListener): void {
    this.listeners.push(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.close();
  }

  private emit(userId: string | null): void {
    for (const listener of this.listeners) listener(userId);
  }
}
