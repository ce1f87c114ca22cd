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

// ---------------------------------------------------------------- scan-to-pay (Alipay, WeChat Pay)

export type AlipayMode = 'alipay' | 'sandbox' | 'off';
export type WechatMode = 'wechat' | 'sandbox' | 'off';

export interface QrPaymentsConfig {
  /** PAYMENT_QR_TTL_MINUTES (default 15). */
  ttlMinutes: number;
  /** PAYMENTS_NOTIFY_BASE_URL: the public `/api/v1` base providers POST notices to; sandboxes POST there too when set. */
  notifyBaseUrl: string | null;
  /** PAYMENTS_SANDBOX_SETTLE_MS (shared with the Stripe sandbox). */
  sandboxSettleMs: number | null;
  /** PAYMENTS_RECONCILE_AFTER_MS (default 60000) and PAYMENTS_RECONCILE_INTERVAL_MS (default 30000; 0 = off). */
  reconcileAfterMs: number;
  reconcileIntervalMs: number;
  alipay:
    | { mode: 'alipay'; appId: string; privateKey: string; alipayPublicKey: string; gatewayUrl: string }
    | { mode: 'sandbox' | 'off' };
  wechat:
    | {
        mode: 'wechat';
        mchid: string;
        appid: string;
        merchantSerial: string;
        privateKey: string;
        platformSerial: string;
        platformCert: string;
        apiV3Key: string;
        apiUrl: string;
        merchantCategoryCode: string;
      }
    | { mode: 'sandbox' | 'off' };
}

export const DEFAULT_QR_TTL_MINUTES = 15;
export const ALIPAY_SETTINGS = ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY'] as const;
export const WECHATPAY_SETTINGS = [
  'WECHATPAY_MCHID',
  'WECHATPAY_APPID',
  'WECHATPAY_MERCHANT_SERIAL',
  'WECHATPAY_PRIVATE_KEY',
  'WECHATPAY_PLATFORM_SERIAL',
  'WECHATPAY_PLATFORM_CERT',
  'WECHATPAY_APIV3_KEY',
] as const;

const isDevelopment = (env: NodeJS.ProcessEnv) => {
  const e = env.NODE_ENV?.trim();
  return !e || e === 'development' || e === 'test';
};
const set = (env: NodeJS.ProcessEnv, name: string) => Boolean(env[name]?.trim());
/** PEM keys often arrive in one line with `\n` escapes. */
const pem = (raw: string | undefined) => (raw ?? '').trim().replace(/\\n/g, '\n');

/**
 * The production rule for scan-to-pay, as a list of what is missing or invalid (empty = fine), so
 * the shared production check can name everything in one line. Outside development/test:
 * ALIPAY_PROVIDER and WECHATPAY_PROVIDER must be given (no default) and may not be `sandbox`; a real
 * provider needs all its keys, and PAYMENTS_NOTIFY_BASE_URL (https) for its notices.
 */
export function qrPaymentsProductionProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (isDevelopment(env)) return [];
  const problems: string[] = [];
  const alipay = env.ALIPAY_PROVIDER?.trim().toLowerCase();
  const wechat = env.WECHATPAY_PROVIDER?.trim().toLowerCase();
  if (!alipay) problems.push('ALIPAY_PROVIDER (alipay or off)');
  else if (alipay === 'sandbox') problems.push('ALIPAY_PROVIDER=sandbox (development only)');
  else if (alipay === 'alipay') problems.push(...ALIPAY_SETTINGS.filter((n) => !set(env, n)));
  else if (alipay !== 'off') problems.push(`ALIPAY_PROVIDER=${alipay} (alipay or off)`);
  if (!wechat) problems.push('WECHATPAY_PROVIDER (wechat or off)');
  else if (wechat === 'sandbox') problems.push('WECHATPAY_PROVIDER=sandbox (development only)');
  else if (wechat === 'wechat') {
    problems.push(...WECHATPAY_SETTINGS.filter((n) => !set(env, n)));
    if (set(env, 'WECHATPAY_APIV3_KEY') && Buffer.byteLength(env.WECHATPAY_APIV3_KEY!.trim()) !== 32)
      problems.push('WECHATPAY_APIV3_KEY (32 bytes)');
  } else if (wechat !== 'off') problems.push(`WECHATPAY_PROVIDER=${wechat} (wechat or off)`);
  if (alipay === 'alipay' || wechat === 'wechat') {
    const base = env.PAYMENTS_NOTIFY_BASE_URL?.trim();
    if (!base) problems.push('PAYMENTS_NOTIFY_BASE_URL');
    else if (!base.startsWith('https://')) problems.push('PAYMENTS_NOTIFY_BASE_URL (https)');
  }
  return problems;
}

export function qrPaymentsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QrPaymentsConfig {
  const problems = qrPaymentsProductionProblems(env);
  if (problems.length > 0)
    throw new Error(`accounts refuses to start in production: missing or invalid ${problems.join(', ')}`);
  const mode = (name: string, real: string): string => {
    const v = env[name]?.trim().toLowerCase() || 'sandbox';
    if (![real, 'sandbox', 'off'].includes(v)) throw new Error(`${name} must be ${real}, sandbox or off, not "${env[name]}"`);
    return v;
  };
  const missing = (names: readonly string[]) => names.filter((n) => !set(env, n));
  const alipayMode = mode('ALIPAY_PROVIDER', 'alipay') as AlipayMode;
  const wechatMode = mode('WECHATPAY_PROVIDER', 'wechat') as WechatMode;
  if (alipayMode === 'alipay' && missing(ALIPAY_SETTINGS).length)
    throw new Error(`ALIPAY_PROVIDER=alipay needs ${missing(ALIPAY_SETTINGS).join(', ')}`);
  if (wechatMode === 'wechat' && missing(WECHATPAY_SETTINGS).length)
    throw new Error(`WECHATPAY_PROVIDER=wechat needs ${missing(WECHATPAY_SETTINGS).join(', ')}`);
  if (wechatMode === 'wechat' && Buffer.byteLength(env.WECHATPAY_APIV3_KEY!.trim()) !== 32)
    throw new Error('WECHATPAY_APIV3_KEY must be the 32-byte APIv3 key');
  return {
    ttlMinutes: positiveInt(env, 'PAYMENT_QR_TTL_MINUTES', DEFAULT_QR_TTL_MINUTES, { min: 1, max: 120 }),
    notifyBaseUrl: env.PAYMENTS_NOTIFY_BASE_URL?.trim().replace(/\/+$/, '') || null,
    sandboxSettleMs: parseSettleMs(env.PAYMENTS_SANDBOX_SETTLE_MS),
    reconcileAfterMs: positiveInt(env, 'PAYMENTS_RECONCILE_AFTER_MS', 60_000, { min: 0 }),
    reconcileIntervalMs: positiveInt(env, 'PAYMENTS_RECONCILE_INTERVAL_MS', 30_000, { min: 0 }),
    alipay:
      alipayMode === 'alipay'
        ? {
            mode: 'alipay',
            appId: env.ALIPAY_APP_ID!.trim(),
            privateKey: pem(env.ALIPAY_PRIVATE_KEY),
            alipayPublicKey: pem(env.ALIPAY_PUBLIC_KEY),
            gatewayUrl: env.ALIPAY_GATEWAY_URL?.trim() || 'https://openapi.alipay.com/gateway.do',
          }
        : { mode: alipayMode },
    wechat:
      wechatMode === 'wechat'
        ? {
            mode: 'wechat',
            mchid: env.WECHATPAY_MCHID!.trim(),
            appid: env.WECHATPAY_APPID!.trim(),
            merchantSerial: env.WECHATPAY_MERCHANT_SERIAL!.trim(),
            privateKey: pem(env.WECHATPAY_PRIVATE_KEY),
            platformSerial: env.WECHATPAY_PLATFORM_SERIAL!.trim(),
            platformCert: pem(env.WECHATPAY_PLATFORM_CERT),
            apiV3Key: env.WECHATPAY_APIV3_KEY!.trim(),
            apiUrl: env.WECHATPAY_API_URL?.trim() || 'https://apihk.mch.weixin.qq.com/',
            merchantCategoryCode: env.WECHATPAY_MERCHANT_CATEGORY_CODE?.trim() || '8099',
          }
        : { mode: wechatMode },
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}
