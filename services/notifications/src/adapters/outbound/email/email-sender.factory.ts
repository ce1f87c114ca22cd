import type { EmailSender } from '../../../application/ports/email-sender';
import type { MailSettings } from '../../../application/notifications-config';
import { MailDirEmailSender } from './mail-dir-email.sender';
import { SendGridEmailSender } from './sendgrid-email.sender';
import { SmtpEmailSender } from './smtp-email.sender';

/** SendGrid when SENDGRID_API_KEY is set, else SMTP when SMTP_URL is set, else .eml files in MAIL_DIR. */
export function createEmailSender(mail: MailSettings): EmailSender {
  if (mail.sendgridApiKey) {
    return new SendGridEmailSender({
      apiKey: mail.sendgridApiKey,
      from: mail.from,
      baseUrl: mail.sendgridBaseUrl,
    });
  }
  if (mail.smtpUrl) return new SmtpEmailSender({ url: mail.smtpUrl, from: mail.from });
  return new MailDirEmailSender({ dir: mail.mailDir, from: mail.from });
}
