import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, fetchBlobUrl, unwrap, unwrapPage } from '../../api/client';
import { DateTime, ErrorMessage, Field, Loading, Money, Pager, Select, StatusChip, TextArea } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';

type Order = components['schemas']['Order'];
export const ORDER_STATUSES: Order['status'][] = [
  'DRAFT',
  'PENDING_PAYMENT',
  'PAYMENT_FAILED',
  'PAID',
  'DISPENSING',
  'PENDING_REVIEW',
  'REJECTED',
  'FULFILLED',
  'CANCELLED',
  'EXPIRED',
];

/** Orders the caller may see (role-scoped by the API), with status and date filters. */
export function OrdersTable({ base }: { base: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [page, setPage] = useState(1);
  const orders = useQuery({
    queryKey: ['orders', status, dateFrom, dateTo, page],
    refetchInterval: 15_000,
    queryFn: async () =>
      unwrapPage(
        await api.GET('/api/v1/orders', {
          params: {
            query: {
              page,
              limit: 20,
              ...(status && { status: status as Order['status'] }),
              ...(dateFrom && { dateFrom }),
              ...(dateTo && { dateTo }),
            },
          },
        }),
      ),
  });
  return (
    <>
      <div className="filters">
        <Select
          label={t('filterStatus')}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setPage(1);
          }}
          options={[{ value: '', label: t('all') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`st_${s}`) }))]}
        />
        <Field label={t('fromDate')} type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
        <Field label={t('toDate')} type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
      </div>
      {orders.isPending ? (
        <Loading />
      ) : orders.error ? (
        <ErrorMessage error={orders.error} />
      ) : orders.data.items.length === 0 ? (
        <p>{t('noOrders')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('orderNumber')}</th>
                <th scope="col">{t('patient')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('total')}</th>
                <th scope="col">{t('created')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link href={`${base}/${o.id}`}>{o.platformOrderId ?? o.id.slice(0, 8)}</Link>
                  </td>
                  <td>{o.patientInfo.name}</td>
                  <td>
                    <StatusChip status={o.status} />
                  </td>
                  <td>
                    <Money amount={o.totalAmount} currency={o.currency} />
                  </td>
                  <td>
                    <DateTime iso={o.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={orders.data.pagination.totalPages} onPage={setPage} />
        </>
      )}
    </>
  );
}

export function OrdersPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('navOrders')}</h1>
      <OrdersTable base="/practitioner/orders" />
    </>
  );
}

/** The items, total and history of an order (shared by every role's detail view). */
export function OrderSummary({ order }: { order: Order }) {
  const { t } = useI18n();
  return (
    <>
      <table>
        <caption>{t('formula')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('herb')}</th>
            <th scope="col">{t('quantity')}</th>
            <th scope="col">{t('decoction')}</th>
            <th scope="col">{t('instructions')}</th>
            <th scope="col">{t('lineTotal')}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.medicineId}>
              <th scope="row">
                <span lang="zh-Hans">{i.name}</span> <span className="muted">{i.pinyin} · {i.englishName}</span>
              </th>
              <td>
                {i.quantity} {i.unit}
              </td>
              <td lang="zh-Hans">{i.decoctionMethod ?? '—'}</td>
              <td>{i.dosageInstructions ?? '—'}</td>
              <td>
                <Money amount={i.totalPrice} currency={order.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t('packs')}: {order.packs} · {t('total')}: <strong><Money amount={order.totalAmount} currency={order.currency} /></strong>
      </p>
      {order.notes && (
        <p>
          {t('notes')}: {order.notes}
        </p>
      )}
      <h2>{t('history')}</h2>
      <ol className="history">
        {order.history.map((h, n) => (
          <li key={n}>
            <DateTime iso={h.at} /> — {h.from ? <StatusChip status={h.from} /> : null} → <StatusChip status={h.to} />
            {h.reason && <span> · {h.reason}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}

function CredentialPanel({ order }: { order: Order }) {
  const { t } = useI18n();
  const credential = useQuery({
    queryKey: ['credential', order.id],
    queryFn: async () => unwrap(await api.GET('/api/v1/orders/{id}/credential', { params: { path: { id: order.id } } })),
  });
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    if (!credential.data) return;
    fetchBlobUrl(credential.data.qrPngUrl).then((u) => setQr((url = u)), () => setQr(null));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [credential.data]);
  const download = async (path: string, name: string) => {
    const url = await fetchBlobUrl(path);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  if (credential.error) return <ErrorMessage error={credential.error} />;
  if (!credential.data) return <Loading />;
  const c = credential.data;
  return (
    <section className="credential card" aria-labelledby="credential-title">
      <h2 id="credential-title">{t('credential')}</h2>
      {qr && <img src={qr} alt={t('qrAlt', { id: c.platformOrderId })} width={200} height={200} />}
      <dl>
        <dt>{t('orderNumber')}</dt>
        <dd data-testid="platform-order-id">{c.platformOrderId}</dd>
        <dt>{t('verificationCode')}</dt>
        <dd data-testid="verification-code" className="code">{c.verificationCode}</dd>
        <dt>{t('expires')}</dt>
        <dd>
          <DateTime iso={c.expiresAt} />
        </dd>
      </dl>
      <div className="actions">
        <button type="button" onClick={() => download(c.qrPngUrl, `${c.platformOrderId}.png`)}>
          {t('downloadPng')}
        </button>
        <button type="button" onClick={() => download(c.pdfUrl, `${c.platformOrderId}.pdf`)}>
          {t('downloadPdf')}
        </button>
      </div>
    </section>
  );
}

const PAID_OR_LATER = ['PAID', 'DISPENSING', 'PENDING_REVIEW', 'REJECTED', 'FULFILLED'];

export function OrderDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const order = useQuery({
    queryKey: ['orders', id],
    refetchInterval: (q) => (q.state.data?.status === 'PENDING_PAYMENT' ? 2_000 : 15_000),
    queryFn: async () => unwrap(await api.GET('/api/v1/orders/{id}', { params: { path: { id } } })),
  });
  const done = () => queryClient.invalidateQueries({ queryKey: ['orders'] });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/orders/{id}/cancel', { params: { path: { id } }, body: { reason } })),
    onSuccess: done,
  });
  const retry = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/orders/{id}/retry-payment', { params: { path: { id } } })),
    onSettled: done,
  });
  const submitDraft = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/orders/{id}/submit', { params: { path: { id } } })),
    onSettled: done,
  });
  if (order.isPending) return <Loading />;
  if (order.error) return <ErrorMessage error={order.error} />;
  const o = order.data;
  const cancellable = ['DRAFT', 'PAYMENT_FAILED', 'PAID'].includes(o.status);
  return (
    <>
      <h1>
        {t('orderDetail', { id: o.platformOrderId ?? o.id.slice(0, 8) })} <StatusChip status={o.status} />
      </h1>
      <p>
        {t('patient')}: {o.patientInfo.name} · {t('created')}: <DateTime iso={o.createdAt} />
      </p>
      {PAID_OR_LATER.includes(o.status) && o.credential && <CredentialPanel order={o} />}
      {o.status === 'PAYMENT_FAILED' && (
        <div className="warning" role="status">
          <p>{t('insufficientFunds', { code: o.paymentFailureReason ?? '' })}</p>
          <Link href="/practitioner/account">{t('goTopUp')}</Link>{' '}
          <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {t('retryPayment')}
          </button>
          <ErrorMessage error={retry.error} />
        </div>
      )}
      {o.status === 'DRAFT' && (
        <p>
          <button type="button" className="primary" onClick={() => submitDraft.mutate()} disabled={submitDraft.isPending}>
            {t('submitPrescription')}
          </button>
          <ErrorMessage error={submitDraft.error} />
        </p>
      )}
      <OrderSummary order={o} />
      {cancellable && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate();
          }}
        >
          <TextArea label={t('cancelReason')} required value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" className="danger" disabled={!reason.trim() || cancel.isPending}>
            {t('cancelOrder')}
          </button>
          <ErrorMessage error={cancel.error} />
        </form>
      )}
    </>
  );
}
