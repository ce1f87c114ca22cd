import { DEFAULT_SANDBOX_SETTLE_MS, DEV_WEBHOOK_SECRET, accountsConfigFromEnv } from './accounts.config';

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
