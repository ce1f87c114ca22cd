import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import {
  EmailSendError,
  EmailSender,
  type OutgoingEmail,
  type SentEmail,
} from '../../../application/ports/email-sender';

export interface SendGridEmailSenderOptions {
  apiKey: string;
  from: string;
  /** The API's base URL; only tests point it elsewhere (a local stand-in of /v3/mail/send). */
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * E-mail through SendGrid's v3 mail/send API (@sendgrid/mail 8). SendGrid documents no idempotency
 * key of its own, so the delivery's key travels three ways: an `Idempotency-Key` header (the client
 * sends the mail's custom headers on the HTTP request too), the same header in the e-mail, and the
 * `idempotency_key` custom arg that SendGrid echoes in its event webhooks for reconciliation.
 */
export class SendGridEmailSender extends EmailSender {
  private readonly mail: MailService;

  constructor(private readonly options: SendGridEmailSenderOptions) {
    super();
    const client = new Client();
    client.setApiKey(options.apiKey);
    // After setApiKey, which resets the base URL to SendGrid's region host.
    if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail = new MailService();
    this.mail.setClient(client);
    this.mail.setTimeout(options.timeoutMs ?? 10_000);
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    try {
      const [response] = await this.mail.send({
        from: this.options.from,
        to: email.to.name ? { email: email.to.address, name: email.to.name } : email.to.address,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: { 'Idempotency-Key': email.idempotencyKey },
        customArgs: {
          idempotency_key: email.idempotencyKey,
          source_message_id: email.sourceMessageId,
          template: email.template,
        },
        categories: [email.template],
      });
      const id = response.headers?.['x-message-id'];
      return { providerMessageId: typeof id === 'string' ? id : null };
    } catch (err) {
      const e = err as { code?: number; message?: string; response?: { body?: unknown } };
      const status = typeof e.code === 'number' ? e.code : 0;
      // 4xx: SendGrid refused this request as written (bad address, content); 401/403/408/429 and
      // 5xx or no answer may clear up.
      const permanent = status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
      const detail = e.response?.body ? ` ${JSON.stringify(e.response.body).slice(0, 500)}` : '';
      throw new EmailSendError(
        `SendGrid: ${status || ''} ${e.message ?? String(err)}${detail}`.trim(),
        permanent,
        { cause: err },
      );
    }
  }
}
