import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, fetchBlobUrl, newIdempotencyKey, unwrap } from '../../api/client';
import { ErrorMessage, Field, Money, Notice, Select } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { toCents } from '../../lib/money';

type RechargeQr = components['schemas']['RechargeQr'];

/** Seconds left until `iso`, ticking every second. */
function useCountdown(iso: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const h = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(h);
  }, [iso]);
  return iso ? Math.max(0, Math.round((Date.parse(iso) - now) / 1000)) : 0;
}

/**
 * Scan-to-pay top-up: a QR for Alipay (Face-to-Face) or WeChat Pay (Native) to pay from a phone,
 * with a countdown to its expiry; the session is polled until it is paid, expired or cancelled.
 */
export function QrTopUp({ clinicId }: { clinicId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('100.00');
  const [method, setMethod] = useState<'alipay' | 'wechat'>('alipay');
  const [qr, setQr] = useState<RechargeQr | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/clinic-accounts/{clinicId}/recharge-qr', {
          params: { path: { clinicId } },
          body: { amount, method },
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        }),
      ),
    onSuccess: setQr,
  });
  const session = useQuery({
    queryKey: ['payment-session', qr?.sessionId],
    enabled: !!qr,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'pending' ? false : 2_000),
    queryFn: async () => unwrap(await api.GET('/api/v1/payment-sessions/{id}', { params: { path: { id: qr!.sessionId } } })),
  });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/payment-sessions/{id}/cancel', { params: { path: { id: qr!.sessionId } } })),
    onSuccess: () => session.refetch(),
  });
  useEffect(() => {
    if (!qr) return;
    let url: string | null = null;
    fetchBlobUrl(qr.qrPngUrl).then((u) => setImage((url = u)), () => setImage(null));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [qr]);
  const status = session.data?.status ?? qr?.status;
  useEffect(() => {
    if (status === 'paid') queryClient.invalidateQueries({ queryKey: ['account'] });
  }, [status, queryClient]);
  const left = useCountdown(status === 'pending' ? qr?.expiresAt ?? null : null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQr(null);
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="qr-topup-title">
      <h2 id="qr-topup-title">{t('topUpByQr')}</h2>
      <form onSubmit={submit} className="grid two">
        <Field label={t('topUpAmount')} inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} />
        <Select
          label={t('payWith')}
          value={method}
          onChange={(e) => setMethod(e.target.value as 'alipay' | 'wechat')}
          options={[
            { value: 'alipay', label: t('alipay') },
            { value: 'wechat', label: t('wechatPay') },
          ]}
        />
        <button type="submit" className="primary" disabled={toCents(amount) === null || create.isPending}>
          {t('showPaymentQr')}
        </button>
      </form>
      <ErrorMessage error={create.error} />
      {qr && (
        <div className="qr-topup" data-testid="qr-topup">
          {image && status === 'pending' && <img src={image} alt={t('paymentQrAlt', { amount: qr.amount })} width={220} height={220} />}
          <p>
            <Money amount={qr.amount} currency={qr.currency} /> · {t(qr.method === 'alipay' ? 'alipay' : 'wechatPay')}
          </p>
          {status === 'pending' && (
            <>
              <p role="timer" aria-live="off">
                {t('expiresIn', { m: Math.floor(left / 60), s: String(left % 60).padStart(2, '0') })}
              </p>
              <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
                {t('cancel')}
              </button>
            </>
          )}
          {status && status !== 'pending' && <Notice>{t(`session_${status}`)}</Notice>}
          <ErrorMessage error={cancel.error ?? session.error} />
        </div>
      )}
    </section>
  );
}
