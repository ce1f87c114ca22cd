import { loadStripe, type Stripe, type StripeElements } from '@stripe/stripe-js';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Loading, Notice } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';

/**
 * Stripe's Payment Element for one recharge intent (its `clientSecret`), confirmed in place. Only in
 * its own lazy chunk, loaded where the gateway configured Stripe (and its CSP lets js.stripe.com in).
 * The account is credited by the API when Stripe's signed webhook arrives, never by this page.
 */
export default function StripePayment({
  publishableKey,
  clientSecret,
  amount,
  onPaid,
}: {
  publishableKey: string;
  clientSecret: string;
  amount: string;
  onPaid(): void;
}) {
  const { t, lang } = useI18n();
  const mount = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [paid, setPaid] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | undefined;
    loadStripe(publishableKey).then(
      (s) => {
        if (cancelled || !mount.current) return;
        if (!s) return setError(t('stripeUnavailable'));
        const elements = s.elements({ clientSecret, locale: lang === 'zh' ? 'zh' : 'en' });
        const element = elements.create('payment');
        element.mount(mount.current);
        destroy = () => element.destroy();
        setStripe({ stripe: s, elements });
      },
      () => setError(t('stripeUnavailable')),
    );
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [publishableKey, clientSecret, lang, t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!stripe) return;
    setBusy(true);
    setError(null);
    const result = await stripe.stripe.confirmPayment({
      elements: stripe.elements,
      redirect: 'if_required',
      confirmParams: { return_url: window.location.href },
    });
    setBusy(false);
    if (result.error) return setError(result.error.message ?? t('stripeUnavailable'));
    setPaid(true);
    onPaid();
  };

  if (paid) return <Notice>{t('cardPaid', { amount })}</Notice>;
  return (
    <form onSubmit={submit} data-testid="stripe-payment">
      <fieldset>
        <legend>{t('cardDetails', { amount })}</legend>
        <div ref={mount} />
        {!stripe && !error && <Loading />}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={!stripe || busy}>
        {t('payByCard', { amount })}
      </button>
    </form>
  );
}
