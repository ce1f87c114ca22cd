import { Inject, Injectable } from '@nestjs/common';
import { type AttemptResult, afterAttempt } from '../../domain/delivery-attempt';
import { Clock } from '../clock';
import { NOTIFICATIONS_CONFIG } from '../notifications-config.token';
import type { NotificationsConfig } from '../notifications-config';
import { EmailSendError, EmailSender } from '../ports/email-sender';
import { type DueDelivery, NotificationsStore } from '../ports/notifications-store';

/**
 * One pass of the e-mail dispatcher: sends the due pending deliveries (locked, so replicas share
 * the work) and records each outcome — sent, retry later with backoff, or failed for good.
 */
@Injectable()
export class DispatchDeliveriesHandler {
  constructor(
    private readonly store: NotificationsStore,
    private readonly sender: EmailSender,
    private readonly clock: Clock,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
  ) {}

  /** Resolves to the number of deliveries attempted (the batch size means: more may be due). */
  execute(): Promise<number> {
    const policy = this.config.dispatch;
    return this.store.dispatchDue(policy.batchSize, this.clock.now(), (batch) =>
      Promise.all(
        batch.map(async (d) => {
          const result = await this.attempt(d);
          return { id: d.id, outcome: afterAttempt(d.attempts, result, policy, this.clock.now()) };
        }),
      ),
    );
  }

  private async attempt(d: DueDelivery): Promise<AttemptResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new EmailSendError(`send timed out after ${this.config.dispatch.sendTimeoutMs} ms`, false)),
        this.config.dispatch.sendTimeoutMs,
      );
    });
    try {
      const sent = await Promise.race([
        this.sender.send({
          idempotencyKey: d.id,
          to: { address: d.to, name: d.toName },
          subject: d.subject,
          text: d.text,
          html: d.html,
          template: d.template,
          sourceMessageId: d.sourceMessageId,
        }),
        timeout,
      ]);
      return { ok: true, providerMessageId: sent.providerMessageId };
    } catch (err) {
      // Anything but a classified refusal (a bug, a dropped connection) is worth another try.
      const permanent = err instanceof EmailSendError && err.permanent;
      return { ok: false, permanent, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
