import { DEFAULT_SANDBOX_SETTLE_MS, DEV_WEBHOOK_SECRET, accountsConfigFromEnv } from './accounts.config';
import { qrPaymentsConfigFromEnv, qrPaymentsProductionRule } from './qr-payments.config';

describe('accounts configuration', () => {
  it('uses the sandbox with a development webhook secret when nothing is set', () => {
    expect(accountsConfigFromEnv({}).payments).toEqual({
      stripeSecretKey: null,
      webhookSecret: DEV_WEBHOOK_SECRET,
      stripeApi: null,
      webhookUrl: null,
      sandboxSettleMs: DEFAULT_SANDBOX_SETTLE_MS,
    });
  });

  it('refuses a Stripe key without a webhook secret (webhooks could not be verified)', () => {
    expect(() => accountsConfigFromEnv({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it('reads the Stripe endpoint, the sandbox delivery URL and its settle delay', () => {
    const { payments } = accountsConfigFromEnv({
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      PAYMENTS_WEBHOOK_URL: 'http://127.0.0.1:3000/api/v1/payments/webhook',
      PAYMENTS_SANDBOX_SETTLE_MS: 'off',
    });
    expect(payments).toMatchObject({
      stripeSecretKey: 'sk_test_1',
      webhookSecret: 'whsec_1',
      stripeApi: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      webhookUrl: 'http://127.0.0.1:3000/api/v1/payments/webhook',
      sandboxSettleMs: null,
    });
  });

  it('refuses a settle delay that is not a whole number of ms', () => {
    expect(() => accountsConfigFromEnv({ PAYMENTS_SANDBOX_SETTLE_MS: 'soon' })).toThrow(
      /PAYMENTS_SANDBOX_SETTLE_MS/,
    );
  });
});

describe('scan-to-pay configuration', () => {
  it('uses both sandboxes, a 15-minute QR and the shared settle delay when nothing is set (development)', () => {
    expect(qrPaymentsConfigFromEnv({})).toMatchObject({
      ttlMinutes: 15,
      alipay: { mode: 'sandbox' },
      wechat: { mode: 'sandbox' },
      notifyBaseUrl: null,
      sandboxSettleMs: DEFAULT_SANDBOX_SETTLE_MS,
    });
  });

  it('in production names everything missing, refuses the sandboxes, and has no default provider', () => {
    expect(qrPaymentsProductionRule({ NODE_ENV: 'production' })).toEqual([
      { missing: 'ALIPAY_PROVIDER (alipay|off)' },
      { missing: 'WECHATPAY_PROVIDER (wechat|off)' },
    ]);
    expect(qrPaymentsProductionRule({ NODE_ENV: 'production', ALIPAY_PROVIDER: 'sandbox', WECHATPAY_PROVIDER: 'wechat', WECHATPAY_APIV3_KEY: 'short' })).toEqual([
      { invalid: 'ALIPAY_PROVIDER=sandbox is for development only' },
      ...['WECHATPAY_MCHID', 'WECHATPAY_APPID', 'WECHATPAY_MERCHANT_SERIAL', 'WECHATPAY_PRIVATE_KEY', 'WECHATPAY_PLATFORM_SERIAL', 'WECHATPAY_PLATFORM_CERT'].map((missing) => ({ missing })),
      { invalid: 'WECHATPAY_APIV3_KEY must be 32 bytes' },
      { missing: 'PAYMENTS_NOTIFY_BASE_URL' },
    ]);
    expect(() => qrPaymentsConfigFromEnv({ NODE_ENV: 'production' })).toThrow(
      'accounts refuses to start with NODE_ENV=production: missing ALIPAY_PROVIDER (alipay|off), WECHATPAY_PROVIDER (wechat|off)',
    );
    expect(qrPaymentsProductionRule({ NODE_ENV: 'production', ALIPAY_PROVIDER: 'off', WECHATPAY_PROVIDER: 'off' })).toEqual([]);
    expect(qrPaymentsProductionRule({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('a real provider needs all its keys even in development; unknown modes and TTLs are refused', () => {
    expect(() => qrPaymentsConfigFromEnv({ ALIPAY_PROVIDER: 'alipay' })).toThrow(/ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY/);
    expect(() => qrPaymentsConfigFromEnv({ WECHATPAY_PROVIDER: 'paypal' })).toThrow(/WECHATPAY_PROVIDER/);
    expect(() => qrPaymentsConfigFromEnv({ PAYMENT_QR_TTL_MINUTES: '0' })).toThrow(/PAYMENT_QR_TTL_MINUTES/);
    expect(qrPaymentsConfigFromEnv({ ALIPAY_PROVIDER: 'off', PAYMENT_QR_TTL_MINUTES: '5' })).toMatchObject({ ttlMinutes: 5, alipay: { mode: 'off' } });
  });

  it('reads PEM keys given on one line with \\n escapes', () => {
    const c = qrPaymentsConfigFromEnv({ ALIPAY_PROVIDER: 'alipay', ALIPAY_APP_ID: '2021', ALIPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nAAA\\n-----END PRIVATE KEY-----', ALIPAY_PUBLIC_KEY: 'PUB' });
    expect(c.alipay).toMatchObject({ mode: 'alipay', privateKey: '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----' });
  });
});
