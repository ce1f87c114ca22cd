import { qrPaymentsConfigFromEnv, qrPaymentsProductionRule } from './qr-payments.config';
import { productionConfigProblems } from '@prescriptchain/messaging';
import { createHmac } from 'node:crypto';
import { createPaymentGateway } from './accounts-core.module';
import {
  ACCOUNTS_PRODUCTION_CONFIG,
  DEFAULT_SANDBOX_SETTLE_MS,
  DEV_WEBHOOK_SECRET,
  accountsConfigFromEnv,
} from './accounts.config';
import type { AccountsPrismaService } from './adapters/outbound/prisma/accounts-prisma.service';
import { SandboxPaymentGateway } from './adapters/outbound/sandbox/sandbox-payment.gateway';

/** A `Stripe-Signature` header for `body`, signed the way Stripe (and the sandbox) sign. */
function signed(body: string, secret: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

describe('accounts configuration', () => {
  it('uses the sandbox with a development webhook secret when nothing is set in development', () => {
    expect(accountsConfigFromEnv({}).payments).toEqual({
      provider: 'sandbox',
      stripeSecretKey: null,
      webhookSecret: DEV_WEBHOOK_SECRET,
      stripeApi: null,
      webhookUrl: null,
      sandboxSettleMs: DEFAULT_SANDBOX_SETTLE_MS,
    });
  });

  it('refuses Stripe without its key or its webhook secret (webhooks could not be verified)', () => {
    expect(() =>
      accountsConfigFromEnv({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' }),
    ).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => accountsConfigFromEnv({ PAYMENT_PROVIDER: 'stripe', STRIPE_WEBHOOK_SECRET: 'w' })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
  });

  it('has no default payment provider in production and refuses the sandbox there', () => {
    expect(() => accountsConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/PAYMENT_PROVIDER must be set/);
    expect(() => accountsConfigFromEnv({ NODE_ENV: 'staging', PAYMENT_PROVIDER: 'sandbox' })).toThrow(
      /sandbox is for development and test only/,
    );
    expect(productionConfigProblems('accounts', ACCOUNTS_PRODUCTION_CONFIG, { NODE_ENV: 'production' })).toBe(
      'accounts refuses to start with NODE_ENV=production: missing PAYMENT_PROVIDER (stripe), ALIPAY_PROVIDER (alipay|off), WECHATPAY_PROVIDER (wechat|off)',
    );
    expect(
      productionConfigProblems('accounts', ACCOUNTS_PRODUCTION_CONFIG, {
        NODE_ENV: 'production',
        PAYMENT_PROVIDER: 'stripe',
        ALIPAY_PROVIDER: 'off',
        WECHATPAY_PROVIDER: 'off',
      }),
    ).toBe(
      'accounts refuses to start with NODE_ENV=production: missing STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET',
    );
  });

  it('never lets the sandbox payment provider run in production, however it is built', () => {
    const prisma = {} as AccountsPrismaService;
    const options = {
      prisma,
      webhookSecret: DEV_WEBHOOK_SECRET,
      deliver: async () => {},
      settleAfterMs: null,
    };
    expect(() => new SandboxPaymentGateway({ ...options, env: { NODE_ENV: 'production' } })).toThrow(
      /refuses to run outside development and test/,
    );
    expect(() => new SandboxPaymentGateway({ ...options, env: { NODE_ENV: 'prod' } })).toThrow();
    expect(new SandboxPaymentGateway({ ...options, env: { NODE_ENV: 'test' } }).provider).toBe('sandbox');
  });

  it('refuses in production a webhook forged with the development secret', async () => {
    const config = accountsConfigFromEnv({
      NODE_ENV: 'production',
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_live_example',
      STRIPE_WEBHOOK_SECRET: 'whsec_the_real_one',
      ALIPAY_PROVIDER: 'off',
      WECHATPAY_PROVIDER: 'off',
    });
    expect(config.payments.webhookSecret).toBe('whsec_the_real_one');
    const gateway = createPaymentGateway(config.payments, {} as AccountsPrismaService, async () => {});
    const body = JSON.stringify({
      id: 'evt_forged',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_forged', amount: 100000, currency: 'nzd', metadata: {} } },
    });
    const notice = (signature: string) => ({ body, headers: { 'stripe-signature': signature } });
    await expect(gateway.verifyNotice(notice(signed(body, DEV_WEBHOOK_SECRET)))).rejects.toThrow();
    await expect(gateway.verifyNotice(notice(signed(body, 'whsec_the_real_one')))).resolves.toMatchObject({ eventId: 'evt_forged' });
  });

  it('reads the Stripe endpoint, the sandbox delivery URL and its settle delay', () => {
    const { payments } = accountsConfigFromEnv({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      PAYMENTS_WEBHOOK_URL: 'http://127.0.0.1:3000/api/v1/payments/webhook',
      PAYMENTS_SANDBOX_SETTLE_MS: 'off',
    });
    expect(payments).toMatchObject({
      provider: 'stripe',
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
