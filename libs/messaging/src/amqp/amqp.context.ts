import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '@prescriptchain/contracts';
import type { ConsumeMessage } from 'amqplib';

export interface AmqpContextArgs {
  message: ConsumeMessage;
  pattern: string;
  /** 1 on first delivery, +1 for each retry (header `x-attempt`). */
  attempt: number;
  /** Set for events and commands; undefined for RPC requests. */
  envelope?: Envelope;
  /** Epoch ms after which an RPC caller has given up; undefined for events. */
  deadline?: number;
}

/** What a handler gets as `@Ctx()`: the raw message, the attempt number and the parsed envelope. */
export class AmqpContext extends BaseRpcContext<[AmqpContextArgs]> {
  constructor(args: AmqpContextArgs) {
    super([args]);
  }
  getMessage(): ConsumeMessage {
    return this.args[0].message;
  }
  getPattern(): string {
    return this.args[0].pattern;
  }
  getAttempt(): number {
    return this.args[0].attempt;
  }
  getEnvelope(): Envelope | undefined {
    return this.args[0].envelope;
  }
  getDeadline(): number | undefined {
    return this.args[0].deadline;
  }
}
