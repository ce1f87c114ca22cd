import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { api, newIdempotencyKey, unwrap } from '../../api/client';
import { ErrorMessage, Field, Loading, Notice } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { formatMoney, toCents } from '../../lib/money';
import { stripePublishableKey } from '../../lib/settings';

type RechargeIntent = components['schemas']['RechargeIntent'];

// Stripe.js (and the Payment Element) loads only where Stripe is configured, and only once a top-up starts.
const StripePayment = lazy(() => import('./StripePayment'));

/**
 * Paying a recharge intent: with Stripe (the gateway gave the portal a publishable key) the card is
 * entered in Stripe's Payment Element and confirmed with the intent's `clientSecret`; without it the
 * intent is the offline sandbox's, which pays it by itself (no card is asked for or charged).
 */
export function CardPayment({ intent, stripeKey, onPaid }: { intent: RechargeIntent; stripeKey: string | null; onPaid(): void }) {
  const { t } = useI18n();
  const amount = formatMoney(intent.amount, intent.currency);
  if (!stripeKey) return <Notice>{t('topUpStarted', { id: intent.paymentIntentId, amount })}</Notice>;
  return (
    <Suspense fallback={<Loading />}>
      <StripePayment publishableKey={stripeKey} clientSecret={intent.clientSecret} amount={amount} onPaid={onPaid} />
    </Suspense>
  );
}

/** Top-up by card: the amount, a recharge intent (idempotent per submit), then its payment. */
export function CardTopUp({ clinicId, stripeKey = stripePublishableKey() }: { clinicId: string; stripeKey?: string | null }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('100.00');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['account'] });
  const topUp = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/clinic-accounts/{clinicId}/recharge-intent', {
          params: { path: { clinicId } },
          body: { amount },
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        }),
      ),
    // The sandbox pays its intent shortly after; Stripe's is paid once the card is confirmed.
    onSuccess: () => {
      if (!stripeKey) setTimeout(refresh, 1_000);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    topUp.mutate();
  };
  return (
    <section className="card" aria-labelledby="topup-title" id="top-up">
      <h2 id="topup-title">{t('topUp')}</h2>
      <p className="muted" data-testid="card-provider">{t(stripeKey ? 'cardByStripe' : 'cardBySandbox')}</p>
      <form onSubmit={submit}>
        <Field label={t('topUpAmount')} inputMode="decimal" required pattern="\d+(\.\d{1,2})?" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <button type="submit" className="primary" disabled={toCents(amount) === null || topUp.isPending}>
          {t('topUpByCard')}
        </button>
      </form>
      {topUp.data && <CardPayment intent={topUp.data} stripeKey={stripeKey} onPaid={() => setTimeout(refresh, 1_000)} />}
      <ErrorMessage error={topUp.error} />
    </section>
  );
}
