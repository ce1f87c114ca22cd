import {
  PII_KEY_RULES,
  isProductionEnv,
  productionConfigProblems,
  refuseShippedValue,
  requireChoice,
  requireOneOf,
  requireSetting,
  requireWhen,
} from './production-config';

describe(productionConfigProblems.name, () => {
  const rules = [
    ...PII_KEY_RULES,
    requireSetting('ADMIN_EMAIL', 'ADMIN_PASSWORD'),
    refuseShippedValue('ADMIN_PASSWORD', ['prescriptchain-dev-admin']),
    requireChoice('PAYMENT_PROVIDER', ['stripe'], ['sandbox']),
    requireWhen((env) => env.PAYMENT_PROVIDER === 'stripe', requireSetting('STRIPE_SECRET_KEY')),
    requireOneOf('SENDGRID_API_KEY', 'SMTP_URL'),
  ];

  it('counts anything but development or test as production, unset as development', () => {
    expect(isProductionEnv({})).toBe(false);
    expect(isProductionEnv({ NODE_ENV: '' })).toBe(false);
    expect(isProductionEnv({ NODE_ENV: 'development' })).toBe(false);
    expect(isProductionEnv({ NODE_ENV: 'test' })).toBe(false);
    for (const NODE_ENV of ['production', 'prod', 'staging', 'Development'])
      expect([NODE_ENV, isProductionEnv({ NODE_ENV })]).toEqual([NODE_ENV, true]);
  });

  it('checks nothing in development and test', () => {
    expect(productionConfigProblems('identity', rules, {})).toBeNull();
    expect(productionConfigProblems('identity', rules, { NODE_ENV: 'test' })).toBeNull();
  });

  it('names every missing setting in one line, whatever NODE_ENV says beyond development', () => {
    const line = productionConfigProblems('identity', rules, { NODE_ENV: 'staging', ADMIN_EMAIL: ' ' });
    expect(line).toBe(
      'identity refuses to start with NODE_ENV=staging: missing PII_ENCRYPTION_KEYS, ADMIN_EMAIL, ' +
        'ADMIN_PASSWORD, PAYMENT_PROVIDER (stripe), SENDGRID_API_KEY or SMTP_URL',
    );
    expect(line).not.toContain('\n');
  });

  it('refuses a development sandbox and a shipped default, next to what is missing', () => {
    const line = productionConfigProblems('accounts', rules, {
      NODE_ENV: 'production',
      PII_ENCRYPTION_KEYS: 'k1:x',
      ADMIN_EMAIL: 'a@b.nz',
      ADMIN_PASSWORD: 'prescriptchain-dev-admin',
      PAYMENT_PROVIDER: 'sandbox',
      SMTP_URL: 'smtp://mail:25',
    });
    expect(line).toBe(
      'accounts refuses to start with NODE_ENV=production: ADMIN_PASSWORD is a shipped default; ' +
        'PAYMENT_PROVIDER=sandbox is for development only',
    );
  });

  it('asks for what a chosen provider needs, and passes when everything is there', () => {
    const env = {
      NODE_ENV: 'production',
      PII_ENCRYPTION_KEYS: 'k1:x',
      ADMIN_EMAIL: 'a@b.nz',
      ADMIN_PASSWORD: 'an operator passphrase',
      PAYMENT_PROVIDER: 'stripe',
      SENDGRID_API_KEY: 'SG.x',
    };
    expect(productionConfigProblems('accounts', rules, env)).toMatch(/: missing STRIPE_SECRET_KEY$/);
    expect(
      productionConfigProblems('accounts', rules, { ...env, STRIPE_SECRET_KEY: 'sk_live_x' }),
    ).toBeNull();
    expect(productionConfigProblems('accounts', rules, { ...env, PAYMENT_PROVIDER: 'paypal' })).toMatch(
      /PAYMENT_PROVIDER must be one of stripe$/,
    );
  });
});
