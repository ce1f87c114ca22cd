import { type QrPaymentsConfig, qrPaymentsConfigFromEnv } from './qr-payments.config';

/**
 * Accounts' settings from the environment. Payments: with STRIPE_SECRET_KEY set, Stripe (and then
 * STRIPE_WEBHOOK_SECRET is required); without it, the sandbox provider, which signs its webhook
 * events with STRIPE_WEBHOOK_SECRET or, when that is unset too, a development-only secret.
 */
export interface PaymentsConfig {
  stripeSecretKey: string | null;
  webhookSecret: string;
  /** Another Stripe API endpoint (stripe-mock, a stand-in): STRIPE_API_URL. */
  stripeApi: { host: string; port: number; protocol: 'http' | 'https' } | null;
  /**
   * Sandbox only: where its signed events go. Unset = straight to the webhook use case in this
   * process (the same code the gateway's POST /payments/webhook reaches); set = POSTed to that URL.
   */
  webhookUrl: string | null;
  /** Sandbox only: settle a new intent after this many ms (PAYMENTS_SANDBOX_SETTLE_MS; `off` = never by itself). */
  sandboxSettleMs: number | null;
}

export interface AccountsConfig {
  payments: PaymentsConfig;
  /** Scan-to-pay; absent = the development defaults (both sandboxes). */
  qr?: QrPaymentsConfig;
}

/** Signs sandbox events when no STRIPE_WEBHOOK_SECRET is set. Not a secret: never use it with Stripe. */
export const DEV_WEBHOOK_SECRET = 'whsec_prescriptchain_sandbox_development_only';
export const DEFAULT_SANDBOX_SETTLE_MS = 500;

export function accountsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  const stripeSecretKey = env.STRIPE_SECRET_KEY?.trim() || null;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || null;
  if (stripeSecretKey && !webhookSecret) {
    throw new Error(
      'STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: webhooks could not be verified',
    );
  }
  return {
    qr: qrPaymentsConfigFromEnv(env),
    payments: {
      stripeSecretKey,
      webhookSecret: webhookSecret ?? DEV_WEBHOOK_SECRET,
      stripeApi: parseApiUrl(env.STRIPE_API_URL),
      webhookUrl: env.PAYMENTS_WEBHOOK_URL?.trim() || null,
      sandboxSettleMs: parseSettleMs(env.PAYMENTS_SANDBOX_SETTLE_MS),
    },
  };
}

function parseApiUrl(raw: string | undefined): PaymentsConfig['stripeApi'] {
  if (!raw?.trim()) return null;
  const url = new URL(raw.trim());
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

function parseSettleMs(raw: string | undefined): number | null {
  const value = raw?.trim().toLowerCase();
  if (!value) return DEFAULT_SANDBOX_SETTLE_MS;
  if (value === 'off' || value === 'never') return null;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`PAYMENTS_SANDBOX_SETTLE_MS must be a whole number of ms or "off", not "${raw}"`);
  return ms;
}
