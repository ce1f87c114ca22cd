import {
  type ConfigRule,
  isProductionEnv,
  requireChoice,
  requireSetting,
  requireWhen,
} from '@prescriptchain/messaging';
import { type QrPaymentsConfig, qrPaymentsConfigFromEnv, qrPaymentsProductionRule } from './qr-payments.config';

/** Card top-ups: `stripe`, or `sandbox` (development and test only). */
export const PAYMENT_PROVIDERS = ['stripe', 'sandbox'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/**
 * Accounts' settings from the environment. Payments: PAYMENT_PROVIDER selects the provider, `sandbox`
 * by default in development and test, with no default elsewhere — and `sandbox` is refused there.
 * `stripe` needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET; the sandbox signs its webhook events
 * with STRIPE_WEBHOOK_SECRET or, when that is unset, a development-only secret.
 */
export interface PaymentsConfig {
  provider: PaymentProvider;
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

/**
 * What accounts needs outside development and test (checked before start; see checkProductionConfig):
 * a real payment provider chosen explicitly, with its keys.
 */
export const ACCOUNTS_PRODUCTION_CONFIG: readonly ConfigRule[] = [
  requireChoice('PAYMENT_PROVIDER', ['stripe'], ['sandbox']),
  requireWhen(
    (env) => env.PAYMENT_PROVIDER?.trim().toLowerCase() === 'stripe',
    requireSetting('STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'),
  ),
  // Scan-to-pay (Alipay, WeChat Pay): a real provider or `off`, never the sandboxes.
  (env) => qrPaymentsProductionRule(env),
];

function paymentProvider(env: NodeJS.ProcessEnv): PaymentProvider {
  const raw = env.PAYMENT_PROVIDER?.trim().toLowerCase();
  const production = isProductionEnv(env);
  if (!raw) {
    if (production) throw new Error('PAYMENT_PROVIDER must be set (stripe) outside development and test');
    return 'sandbox';
  }
  if (!(PAYMENT_PROVIDERS as readonly string[]).includes(raw))
    throw new Error(`PAYMENT_PROVIDER must be one of ${PAYMENT_PROVIDERS.join('|')}, not "${raw}"`);
  if (raw === 'sandbox' && production)
    throw new Error('PAYMENT_PROVIDER=sandbox is for development and test only: it credits without a charge');
  return raw as PaymentProvider;
}

export function accountsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  const provider = paymentProvider(env);
  const stripeSecretKey = env.STRIPE_SECRET_KEY?.trim() || null;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || null;
  if (provider === 'stripe' && (!stripeSecretKey || !webhookSecret)) {
    throw new Error(
      'PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (webhooks must be verified)',
    );
  }
  return {
    qr: qrPaymentsConfigFromEnv(env),
    payments: {
      provider,
      stripeSecretKey: provider === 'stripe' ? stripeSecretKey : null,
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
