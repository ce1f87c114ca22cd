/**
 * Scan-to-pay settings (Alipay Face-to-Face, WeChat Pay Native): which provider per method, its keys,
 * the QR lifetime, where notices arrive, the reconciliation job. See the repository README's table.
 */

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

/** A problem the shared production check reports (the shape of `ConfigProblem` in libs/messaging). */
export type QrConfigProblem = { missing: string } | { invalid: string };

/**
 * The production rule for scan-to-pay, as the list of what is missing or invalid (empty = fine), in
 * the shape of the shared fail-closed check's rules, so it plugs into accounts' production rules.
 * Outside development/test: ALIPAY_PROVIDER and WECHATPAY_PROVIDER must be given (no default) and may
 * not be `sandbox`; a real provider needs all its keys, and an https PAYMENTS_NOTIFY_BASE_URL.
 */
export function qrPaymentsProductionRule(env: NodeJS.ProcessEnv = process.env): QrConfigProblem[] {
  if (isDevelopment(env)) return [];
  const problems: QrConfigProblem[] = [];
  const alipay = env.ALIPAY_PROVIDER?.trim().toLowerCase();
  const wechat = env.WECHATPAY_PROVIDER?.trim().toLowerCase();
  const missing = (...names: readonly string[]) => names.filter((n) => !set(env, n)).map((n) => ({ missing: n }));
  if (!alipay) problems.push({ missing: 'ALIPAY_PROVIDER (alipay|off)' });
  else if (alipay === 'sandbox') problems.push({ invalid: 'ALIPAY_PROVIDER=sandbox is for development only' });
  else if (alipay === 'alipay') problems.push(...missing(...ALIPAY_SETTINGS));
  else if (alipay !== 'off') problems.push({ invalid: 'ALIPAY_PROVIDER must be one of alipay|off' });
  if (!wechat) problems.push({ missing: 'WECHATPAY_PROVIDER (wechat|off)' });
  else if (wechat === 'sandbox') problems.push({ invalid: 'WECHATPAY_PROVIDER=sandbox is for development only' });
  else if (wechat === 'wechat') {
    problems.push(...missing(...WECHATPAY_SETTINGS));
    if (set(env, 'WECHATPAY_APIV3_KEY') && Buffer.byteLength(env.WECHATPAY_APIV3_KEY!.trim()) !== 32)
      problems.push({ invalid: 'WECHATPAY_APIV3_KEY must be 32 bytes' });
  } else if (wechat !== 'off') problems.push({ invalid: 'WECHATPAY_PROVIDER must be one of wechat|off' });
  if (alipay === 'alipay' || wechat === 'wechat') {
    const base = env.PAYMENTS_NOTIFY_BASE_URL?.trim();
    if (!base) problems.push({ missing: 'PAYMENTS_NOTIFY_BASE_URL' });
    else if (!base.startsWith('https://')) problems.push({ invalid: 'PAYMENTS_NOTIFY_BASE_URL must be https' });
  }
  return problems;
}

/** The same as words: `missing A, B; C is …` (for a refusal when the shared check did not run first). */
export function describeQrConfigProblems(problems: readonly QrConfigProblem[]): string {
  const missing = problems.flatMap((p) => ('missing' in p ? [p.missing] : []));
  const invalid = problems.flatMap((p) => ('invalid' in p ? [p.invalid] : []));
  return [...(missing.length ? [`missing ${missing.join(', ')}`] : []), ...invalid].join('; ');
}

export function qrPaymentsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QrPaymentsConfig {
  const problems = qrPaymentsProductionRule(env);
  if (problems.length > 0)
    throw new Error(`accounts refuses to start with NODE_ENV=${env.NODE_ENV?.trim()}: ${describeQrConfigProblems(problems)}`);
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

/** PAYMENTS_SANDBOX_SETTLE_MS, read as the Stripe sandbox reads it (shared by all three sandboxes). */
function parseSettleMs(raw: string | undefined): number | null {
  const value = raw?.trim().toLowerCase();
  if (!value) return 500; // DEFAULT_SANDBOX_SETTLE_MS, as for the Stripe sandbox
  if (value === 'off' || value === 'never') return null;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`PAYMENTS_SANDBOX_SETTLE_MS must be a whole number of ms or "off", not "${raw}"`);
  return ms;
}
