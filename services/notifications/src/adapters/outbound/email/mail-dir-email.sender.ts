import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import {
  EmailSendError,
  EmailSender,
  type OutgoingEmail,
  type SentEmail,
} from '../../../application/ports/email-sender';
import { mimeMessage } from './mime-message';

export interface MailDirEmailSenderOptions {
  /** Where the .eml files go (created when missing). */
  dir: string;
  from: string;
}

/**
 * E-mail as RFC 5322 `.eml` files, one per delivery, for local runs without any mail server. The
 * message is built by nodemailer's stream transport, so it is the same MIME an SMTP server would
 * receive (UTF-8 headers as encoded words, text and HTML alternatives). A resend overwrites the same
 * file: `<idempotencyKey>.eml`.
 */
export class MailDirEmailSender extends EmailSender {
  private readonly builder: Transporter;

  constructor(private readonly options: MailDirEmailSenderOptions) {
    super();
    // CRLF line ends: what RFC 5322 prescribes for a message on disk or on the wire.
    this.builder = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  /** The file a delivery is written to. */
  pathFor(idempotencyKey: string): string {
    return join(this.options.dir, `${idempotencyKey}.eml`);
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const info = await this.builder.sendMail(mimeMessage(this.options.from, email));
    const target = this.pathFor(email.idempotencyKey);
    const partial = `${target}.${process.pid}.tmp`;
    try {
      await mkdir(this.options.dir, { recursive: true });
      // Write then rename: a reader never sees half a message.
      await writeFile(partial, info.message as Buffer);
      await rename(partial, target);
    } catch (err) {
      throw new EmailSendError(`mail dir: ${(err as Error).message}`, false, { cause: err });
    }
    return { providerMessageId: info.messageId ?? null };
  }
}
