import type { SendMailOptions } from 'nodemailer';
import type { OutgoingEmail } from '../../../application/ports/email-sender';

/** The domain of the From address (`Name <a@b.c>` or `a@b.c`), for Message-IDs. */
export function senderDomain(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'prescriptchain.local';
}

/**
 * The nodemailer message for SMTP and the mail directory. The Message-ID is derived from the
 * delivery's idempotency key, so a resent delivery is the same message to any receiver that dedupes.
 */
export function mimeMessage(from: string, email: OutgoingEmail): SendMailOptions {
  return {
    from,
    to: email.to.name ? { name: email.to.name, address: email.to.address } : email.to.address,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: `<${email.idempotencyKey}@${senderDomain(from)}>`,
    headers: {
      'X-Idempotency-Key': email.idempotencyKey,
      'X-PrescriptChain-Template': email.template,
      'X-PrescriptChain-Source-Message': email.sourceMessageId,
    },
  };
}
