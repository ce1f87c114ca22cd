import { type ConfigRule, requireOneOf } from '@prescriptchain/messaging';
import type { RetryPolicy } from '../domain/delivery-attempt';

/**
 * What notifications needs outside development and test (checked before start): a real way to send
 * e-mail — .eml files in a directory would lose every message.
 */
export const NOTIFICATIONS_PRODUCTION_CONFIG: readonly ConfigRule[] = [
  requireOneOf('SENDGRID_API_KEY', 'SMTP_URL'),
];

export interface MailSettings {
  /** `Name <address>` the e-mails come from. */
  from: string;
  /** SendGrid when set (production). */
  sendgridApiKey?: string;
  /** Only to point the SendGrid client at a stand-in (tests); defaults to SendGrid's API. */
  sendgridBaseUrl?: string;
  /** Else SMTP when set, e.g. smtp://127.0.0.1:1025 (a mail catcher). */
  smtpUrl?: string;
  /** Else .eml files here. */
  mailDir: string;
}

export interface DispatchSettings extends RetryPolicy {
  /** How often the dispatcher looks for due deliveries (it is also kicked after each consumed event). */
  pollMs: number;
  batchSize: number;
  /** A send that has not finished by then counts as a transient failure. */
  sendTimeoutMs: number;
}

export interface NotificationsConfig {
  mail: MailSettings;
  dispatch: DispatchSettings;
}

const int = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

export function notificationsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return {
    mail: {
      from: env.MAIL_FROM || 'PrescriptChain <no-reply@prescriptchain.local>',
      sendgridApiKey: env.SENDGRID_API_KEY || undefined,
      sendgridBaseUrl: env.SENDGRID_BASE_URL || undefined,
      smtpUrl: env.SMTP_URL || undefined,
      mailDir: env.MAIL_DIR || '.data/mail',
    },
    dispatch: {
      pollMs: int(env.EMAIL_DISPATCH_POLL_MS, 1_000, 'EMAIL_DISPATCH_POLL_MS'),
      batchSize: Math.max(1, int(env.EMAIL_DISPATCH_BATCH, 10, 'EMAIL_DISPATCH_BATCH')),
      maxAttempts: Math.max(1, int(env.EMAIL_MAX_ATTEMPTS, 6, 'EMAIL_MAX_ATTEMPTS')),
      // 30 s, 1 min, 2 min, 4 min, 8 min: about a quarter of an hour before giving up.
      baseDelayMs: int(env.EMAIL_RETRY_BASE_MS, 30_000, 'EMAIL_RETRY_BASE_MS'),
      maxDelayMs: int(env.EMAIL_RETRY_MAX_MS, 3_600_000, 'EMAIL_RETRY_MAX_MS'),
      sendTimeoutMs: Math.max(1, int(env.EMAIL_SEND_TIMEOUT_MS, 15_000, 'EMAIL_SEND_TIMEOUT_MS')),
    },
  };
}
