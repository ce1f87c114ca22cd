/** Publishes events onto a suite's vhost exactly as a service's outbox relay would (envelope, headers, confirms). */
import { randomUUID } from 'node:crypto';
import { EXCHANGES, type Envelope, HEADERS, type MessageDefinition } from '@prescriptchain/contracts';
import * as amqplib from 'amqplib';
import type { z } from 'zod';

export class EventPublisher {
  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.ConfirmChannel,
  ) {}

  static async connect(url: string): Promise<EventPublisher> {
    const connection = await amqplib.connect(url);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(EXCHANGES.events, 'topic', { durable: true });
    return new EventPublisher(connection, channel);
  }

  /** Returns the envelope sent (so a suite can send the very same message twice). */
  async publish<S extends z.ZodType>(
    definition: MessageDefinition<S>,
    payload: z.input<S>,
    options: { occurredAt?: Date; messageId?: string } = {},
  ): Promise<Envelope> {
    const messageId = options.messageId ?? randomUUID();
    const envelope: Envelope = {
      messageId,
      type: definition.type,
      version: definition.version,
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
      correlationId: messageId,
      causationId: null,
      traceparent: null,
      payload: definition.payload.parse(payload),
    };
    await this.send(envelope);
    return envelope;
  }

  async send(envelope: Envelope): Promise<void> {
    this.channel.publish(EXCHANGES.events, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.messageId,
      contentType: 'application/json',
      headers: { [HEADERS.messageType]: envelope.type, [HEADERS.messageVersion]: envelope.version },
    });
    await this.channel.waitForConfirms();
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
