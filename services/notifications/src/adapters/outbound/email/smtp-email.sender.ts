import { createTransport, type Transporter } from 'nodemailer';
import {
  EmailSendError,
  EmailSender,
  type OutgoingEmail,
  type SentEmail,
} from '../../../application/ports/email-sender';
import { mimeMessage } from './mime-message';

export interface SmtpEmailSenderOptions {
  /** smtp://[user:pass@]host:port (smtps:// for implicit TLS), e.g. smtp://127.0.0.1:1025 for a mail catcher. */
  url: string;
  from: string;
  /** Connection, greeting and socket timeouts. Default 10 s. */
  timeoutMs?: number;
}

/** E-mail over SMTP (nodemailer), to a relay or a local mail catcher. */
export class SmtpEmailSender extends EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpEmailSenderOptions) {
    super();
    const timeout = options.timeoutMs ?? 10_000;
    const url = new URL(options.url);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    try {
      const info = await this.transport.sendMail(mimeMessage(this.options.from, email));
      return { providerMessageId: info.messageId ?? null };
    } catch (err) {
      const e = err as { message?: string; code?: string; responseCode?: number };
      // A 5xx about this envelope or message will be refused again; anything else (connection,
      // authentication, 4xx) may clear up, so it is retried.
      const permanent = (e.responseCode ?? 0) >= 500 && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
      throw new EmailSendError(`SMTP: ${e.message ?? String(err)}`, permanent, { cause: err });
    }
  }

  override async close(): Promise<void> {
    this.transport.close();
  }
}
