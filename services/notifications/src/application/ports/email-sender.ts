/** One e-mail to one recipient, rendered and ready to go. */
export interface OutgoingEmail {
  /**
   * Stable for the delivery across every retry: the provider's idempotency key, and the local part
   * of the RFC 5322 Message-ID, so a resend is recognisably the same message.
   */
  idempotencyKey: string;
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string;
  /** For provider logs and webhooks: the template and the message that caused the e-mail. */
  template: string;
  sourceMessageId: string;
}

export interface SentEmail {
  /** The provider's id for the accepted message, when it gives one. */
  providerMessageId: string | null;
}

/** A send that did not happen. `permanent` = retrying cannot help (the provider refused the message). */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmailSendError';
  }
}

/**
 * Sends e-mail (the vendor seam): SMTP, a mail directory of .eml files, or SendGrid. Resolves once
 * the provider accepted the message; rejects with EmailSendError otherwise.
 */
export abstract class EmailSender {
  abstract send(email: OutgoingEmail): Promise<SentEmail>;
  /** Releases connections; idempotent. */
  async close(): Promise<void> {}
}
