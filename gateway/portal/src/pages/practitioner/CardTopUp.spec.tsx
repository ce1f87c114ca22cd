import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nProvider } from '../../i18n/i18n';
import { stripePublishableKey, STRIPE_KEY_META } from '../../lib/settings';
import { CardPayment, CardTopUp } from './CardTopUp';

const render = (node: React.ReactNode, lang: 'en' | 'zh' = 'en') =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <I18nProvider lang={lang}>{node}</I18nProvider>
    </QueryClientProvider>,
  );

const intent = { paymentIntentId: 'pi_3Q', clientSecret: 'pi_3Q_secret_abc', amount: '120.00', currency: 'NZD' as const };
const KEY = 'pk_test_51AbCdEfGhIjKlMnOp';

/** A document whose head holds the meta tags the gateway writes (portal-static.ts). */
const docWith = (metas: Record<string, string>) => ({
  querySelector: (selector: string) => {
    const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1];
    return name && name in metas ? ({ content: metas[name] } as HTMLMetaElement) : null;
  },
});

describe('top-up by card: Stripe Elements where configured, the sandbox otherwise', () => {
  it('learns that Stripe is configured from the publishable key the gateway puts in index.html', () => {
    expect(stripePublishableKey(docWith({ [STRIPE_KEY_META]: KEY }))).toBe(KEY);
    expect(stripePublishableKey(docWith({}))).toBeNull();
    // Anything but a publishable key (a secret key pasted by mistake, an empty tag) is not Stripe.
    expect(stripePublishableKey(docWith({ [STRIPE_KEY_META]: 'sk_test_51AbCdEf' }))).toBeNull();
    expect(stripePublishableKey(docWith({ [STRIPE_KEY_META]: ' ' }))).toBeNull();
    expect(stripePublishableKey(undefined)).toBeNull();
  });

  it('says which one takes the card, in both languages', () => {
    expect(render(<CardTopUp clinicId="c1" stripeKey={null} />)).toContain('offline sandbox: no card is asked for');
    expect(render(<CardTopUp clinicId="c1" stripeKey={KEY} />)).toContain('Card payments are taken by Stripe.');
    expect(render(<CardTopUp clinicId="c1" stripeKey={KEY} />, 'zh')).toContain('银行卡付款由 Stripe 处理。');
    expect(render(<CardTopUp clinicId="c1" stripeKey={null} />)).toContain('>Top up by card</button>');
  });

  it('pays a sandbox intent by itself, and a Stripe one in Stripe Elements (loaded only then)', () => {
    const sandbox = render(<CardPayment intent={intent} stripeKey={null} onPaid={() => undefined} />);
    expect(sandbox).toContain('Card payment pi_3Q started for NZD 120.00.');
    expect(sandbox).not.toContain('Loading');
    // With Stripe the Payment Element's chunk is loaded lazily: until it arrives, the page says it is loading.
    const stripe = render(<CardPayment intent={intent} stripeKey={KEY} onPaid={() => undefined} />);
    expect(stripe).toContain('Loading…');
    expect(stripe).not.toContain('pi_3Q started');
  });
});
