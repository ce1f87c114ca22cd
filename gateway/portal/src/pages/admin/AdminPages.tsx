import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, newIdempotencyKey, unwrap, unwrapPage } from '../../api/client';
import { DateTime, ErrorMessage, Field, Loading, Money, Notice, Select, StatusChip, TextArea } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { addDays, formatDate, nzToday } from '../../lib/dates';
import { formatMoney, toCents } from '../../lib/money';
import { OrderSummary } from '../practitioner/OrdersPage';
import { PharmacyMap } from './PharmacyMap';
import { useApprovedUsers } from './UsersClinics';

type Pharmacy = components['schemas']['Pharmacy'];
type Proof = components['schemas']['FulfillmentProof'];

export function PharmaciesPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const operators = useApprovedUsers('pharmacy_operator');
  const [form, setForm] = useState({ name: '', street: '', city: '', postalCode: '', country: 'NZ', email: '', lat: '', lng: '' });
  const [link, setLink] = useState<Record<string, string>>({});
  const pharmacies = useQuery({
    queryKey: ['pharmacies'],
    queryFn: async () => unwrapPage(await api.GET('/api/v1/admin/pharmacies', { params: { query: { limit: 100 } } })).items,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['pharmacies'] });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/pharmacies', {
          body: {
            name: form.name,
            address: { street: form.street, city: form.city, postalCode: form.postalCode, country: form.country },
            contact: { email: form.email },
            ...(form.lat && form.lng && { location: { lat: Number(form.lat), lng: Number(form.lng) } }),
          },
        }),
      ),
    onSuccess: refresh,
  });
  const setStatus = useMutation({
    mutationFn: async ({ id, status }: { id: string; status: Pharmacy['status'] }) =>
      unwrap(await api.PUT('/api/v1/admin/pharmacies/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: refresh,
  });
  const linkOperator = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/admin/pharmacies/{id}/operators', { params: { path: { id } }, body: { userId: link[id] } })),
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <h1>{t('navPharmacies')}</h1>
      {pharmacies.isPending ? <Loading /> : pharmacies.error ? <ErrorMessage error={pharmacies.error} /> : (
        <div className="grid two">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('pharmacyName')}</th>
                <th scope="col">{t('address')}</th>
                <th scope="col">{t('location')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('addOperator')}</th>
              </tr>
            </thead>
            <tbody>
              {pharmacies.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.address.street}, {p.address.city}</td>
                  <td>{p.location.lat.toFixed(4)}, {p.location.lng.toFixed(4)}</td>
                  <td>
                    {t(p.status === 'active' ? 'active' : 'suspended')}{' '}
                    <button type="button" onClick={() => setStatus.mutate({ id: p.id, status: p.status === 'active' ? 'suspended' : 'active' })} aria-label={t(p.status === 'active' ? 'suspendPharmacy' : 'activatePharmacy', { name: p.name })}>
                      {p.status === 'active' ? t('suspend') : t('reactivate')}
                    </button>
                  </td>
                  <td>
                    <Select label={t('operator')} value={link[p.id] ?? ''} onChange={(e) => setLink({ ...link, [p.id]: e.target.value })} options={[{ value: '', label: '—' }, ...(operators.data ?? []).map((u) => ({ value: u.id, label: u.fullName }))]} />
                    <button type="button" disabled={!link[p.id]} onClick={() => linkOperator.mutate(p.id)}>{t('addOperator')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <PharmacyMap pharmacies={pharmacies.data} />
        </div>
      )}
      {linkOperator.isSuccess && <Notice>{t('operatorAdded')}</Notice>}
      <ErrorMessage error={linkOperator.error ?? setStatus.error} />
      <form className="card" onSubmit={(e: FormEvent) => { e.preventDefault(); create.mutate(); }}>
        <h2>{t('createPharmacy')}</h2>
        <div className="grid two">
          <Field label={t('pharmacyName')} required value={form.name} onChange={set('name')} />
          <Field label={t('contactEmail')} type="email" required value={form.email} onChange={set('email')} />
          <Field label={t('street')} required value={form.street} onChange={set('street')} />
          <Field label={t('city')} required value={form.city} onChange={set('city')} />
          <Field label={t('postalCode')} required value={form.postalCode} onChange={set('postalCode')} />
          <Field label={t('country')} required value={form.country} onChange={set('country')} />
          <Field label={t('latitude')} inputMode="decimal" value={form.lat} onChange={set('lat')} />
          <Field label={t('longitude')} inputMode="decimal" value={form.lng} onChange={set('lng')} />
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>{t('createPharmacy')}</button>
        <ErrorMessage error={create.error} />
      </form>
    </>
  );
}

/** One proof: its photos beside the formula, the payout beside the order's total; approve or reject. */
function ProofReview({ proof }: { proof: Proof }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [comments, setComments] = useState('');
  const order = useQuery({
    queryKey: ['orders', proof.orderId],
    queryFn: async () => unwrap(await api.GET('/api/v1/orders/{id}', { params: { path: { id: proof.orderId } } })),
  });
  const review = useMutation({
    mutationFn: async (decision: 'approve' | 'reject') =>
      unwrap(await api.POST('/api/v1/admin/fulfillments/{id}/review', { params: { path: { id: proof.id } }, body: { decision, ...(comments.trim() && { comments: comments.trim() }) } })),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['proofs'] });
      queryClient.invalidateQueries({ queryKey: ['settlements'] });
    },
  });
  const ref = order.data?.platformOrderId ?? proof.orderId.slice(0, 8);
  return (
    <article className="card review" aria-labelledby={`proof-${proof.id}`}>
      <h2 id={`proof-${proof.id}`}>
        {ref} {order.data && <StatusChip status={order.data.status} />}
      </h2>
      <div className="grid two">
        <div>
          <h3>{t('photos')}</h3>
          <ul className="photos">
            {proof.files.map((f, n) =>
              f.contentType.startsWith('image/') && f.downloadUrl ? (
                <li key={f.fileId}>
                  <a href={f.downloadUrl} target="_blank" rel="noreferrer">
                    <img src={f.downloadUrl} alt={t('proofPhotoAlt', { n: n + 1, id: ref })} width={240} />
                  </a>
                </li>
              ) : (
                <li key={f.fileId}>
                  <a href={f.downloadUrl}>{f.fileName}</a>
                </li>
              ),
            )}
          </ul>
          {proof.notes && <p>{t('notes')}: {proof.notes}</p>}
        </div>
        <div>
          <dl className="figures">
            <div>
              <dt>{t('payout')}</dt>
              <dd data-testid="review-payout"><Money amount={proof.payout} currency={proof.currency} /></dd>
            </div>
            <div>
              <dt>{t('orderTotal')}</dt>
              <dd>{order.data ? <Money amount={order.data.totalAmount} currency={order.data.currency} /> : '…'}</dd>
            </div>
          </dl>
          {order.data && <OrderSummary order={order.data} />}
        </div>
      </div>
      <form onSubmit={(e) => e.preventDefault()}>
        <TextArea label={t('comments')} value={comments} onChange={(e) => setComments(e.target.value)} />
        <div className="actions">
          <button type="button" className="primary" disabled={review.isPending} onClick={() => review.mutate('approve')}>{t('approveProof')}</button>
          <button type="button" className="danger" disabled={review.isPending || !comments.trim()} onClick={() => review.mutate('reject')}>{t('rejectProof')}</button>
        </div>
        {review.isSuccess && <Notice>{t('reviewed')}</Notice>}
        <ErrorMessage error={review.error} />
      </form>
    </article>
  );
}

export function ReviewsPage() {
  const { t } = useI18n();
  const proofs = useQuery({
    queryKey: ['proofs', 'pending'],
    refetchInterval: 15_000,
    queryFn: async () => unwrapPage(await api.GET('/api/v1/admin/fulfillments', { params: { query: { status: 'pending', limit: 20 } } })).items,
  });
  return (
    <>
      <h1>{t('reviewTitle')}</h1>
      {proofs.isPending ? <Loading /> : proofs.error ? <ErrorMessage error={proofs.error} /> : proofs.data.length === 0 ? <p>{t('noProofs')}</p> : proofs.data.map((p) => <ProofReview key={p.id} proof={p} />)}
    </>
  );
}

export function AdminSettlementsPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('pending_payment');
  const [refs, setRefs] = useState<Record<string, string>>({});
  const settlements = useQuery({
    queryKey: ['settlements', status],
    refetchInterval: 5_000,
    queryFn: async () =>
      unwrapPage(await api.GET('/api/v1/admin/settlements', { params: { query: { limit: 100, ...(status && { status: status as 'paid' | 'pending_payment' }) } } })).items,
  });
  const markPaid = useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await api.POST('/api/v1/admin/settlements/{id}/mark-paid', {
          params: { path: { id } },
          body: { ...(refs[id]?.trim() && { reference: refs[id].trim() }) },
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['settlements'] }),
  });
  return (
    <>
      <h1>{t('navAdminSettlements')}</h1>
      <Select label={t('filterStatus')} value={status} onChange={(e) => setStatus(e.target.value)} options={[{ value: '', label: t('all') }, { value: 'pending_payment', label: t('st_pending_payment') }, { value: 'paid', label: t('st_paid') }]} />
      <ErrorMessage error={markPaid.error} />
      {settlements.isPending ? <Loading /> : settlements.error ? <ErrorMessage error={settlements.error} /> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('orderNumber')}</th>
              <th scope="col">{t('amount')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('remittance')}</th>
            </tr>
          </thead>
          <tbody>
            {settlements.data.map((s) => (
              <tr key={s.id}>
                <td><DateTime iso={s.createdAt} /></td>
                <td>{s.orderId.slice(0, 8)}</td>
                <td><Money amount={s.amount} currency={s.currency} /></td>
                <td><span className={`chip chip-settlement-${s.status}`}>{t(s.status === 'paid' ? 'st_paid' : 'st_pending_payment')}</span></td>
                <td>
                  {s.status === 'paid' ? (
                    <>{s.reference ?? '—'} · <DateTime iso={s.paidAt} /></>
                  ) : (
                    <>
                      <Field label={t('remittanceRef', { id: s.id.slice(0, 8) })} value={refs[s.id] ?? ''} onChange={(e) => setRefs({ ...refs, [s.id]: e.target.value })} />
                      <button type="button" className="primary" onClick={() => markPaid.mutate(s.id)} disabled={markPaid.isPending} aria-label={t('markPaidOf', { id: s.id.slice(0, 8) })}>
                        {t('markPaid')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Bars for a series of money amounts (SVG, no chart library: the initial bundle stays small). */
function Bars({ title, series }: { title: string; series: { label: string; cents: number }[] }) {
  const max = Math.max(1, ...series.map((s) => s.cents));
  const w = 40;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${series.length * w + 10} 140`} role="img" aria-label={`${title}: ${series.map((s) => `${s.label} ${formatMoney(s.cents)}`).join(', ')}`}>
        {series.map((s, i) => {
          const h = Math.round((s.cents / max) * 110);
          return (
            <g key={s.label}>
              <rect x={i * w + 10} y={120 - h} width={w - 12} height={h} className="bar" />
              <text x={i * w + 10} y={134} className="axis">{s.label}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

export function KpisPage() {
  const { t, lang } = useI18n();
  const today = nzToday();
  const [from, setFrom] = useState(addDays(today, -55));
  const [to, setTo] = useState(today);
  const kpis = useQuery({
    queryKey: ['kpis', from, to],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/reports/kpis', { params: { query: { from, to } } })),
  });
  // GTV and margin over time: one KPI query per week of the range (at most 12 weeks).
  const weeks: string[] = [];
  for (let d = from; d <= to && weeks.length < 12; d = addDays(d, 7)) weeks.push(d);
  const weekly = useQueries({
    queries: weeks.map((start) => ({
      queryKey: ['kpis', start, addDays(start, 6)],
      queryFn: async () => unwrap(await api.GET('/api/v1/admin/reports/kpis', { params: { query: { from: start, to: addDays(start, 6) } } })),
    })),
  });
  const k = kpis.data;
  const label = (d: string) => formatDate(`${d}T12:00:00Z`, lang).replace(/ \d{4}$/, '');
  return (
    <>
      <h1>{t('navKpis')}</h1>
      <fieldset className="filters">
        <legend>{t('kpiRange')}</legend>
        <Field label={t('fromDate')} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        <Field label={t('toDate')} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
      </fieldset>
      <ErrorMessage error={kpis.error} />
      {k && (
        <dl className="figures">
          <div><dt>{t('gtv')}</dt><dd><Money amount={k.gtv} currency={k.currency} /></dd></div>
          <div><dt>{t('margin')}</dt><dd><Money amount={k.grossMargin} currency={k.currency} /></dd></div>
          <div><dt>{t('ordersTotal')}</dt><dd>{k.ordersTotal}</dd></div>
          <div><dt>{t('ordersPaid')}</dt><dd>{k.ordersPaid}</dd></div>
          <div><dt>{t('ordersFulfilled')}</dt><dd>{k.ordersFulfilled}</dd></div>
          <div><dt>{t('fulfilmentRate')}</dt><dd>{k.fulfillmentRate === null ? '—' : `${Math.round(k.fulfillmentRate * 100)}%`}</dd></div>
          <div><dt>{t('fulfilmentTime')}</dt><dd>{k.avgFulfillmentHours === null ? '—' : k.avgFulfillmentHours.toFixed(1)}</dd></div>
          <div><dt>{t('activePractitioners')}</dt><dd>{k.activePractitioners}</dd></div>
          <div><dt>{t('activePharmacies')}</dt><dd>{k.activePharmacies}</dd></div>
        </dl>
      )}
      <h2>{t('overTime')}</h2>
      <div className="grid two">
        <Bars title={t('gtv')} series={weeks.map((w, i) => ({ label: label(w), cents: toCents(weekly[i]?.data?.gtv ?? '0') ?? 0 }))} />
        <Bars title={t('margin')} series={weeks.map((w, i) => ({ label: label(w), cents: toCents(weekly[i]?.data?.grossMargin ?? '0') ?? 0 }))} />
      </div>
    </>
  );
}

export function DeliveriesPage() {
  const { t } = useI18n();
  const [recipient, setRecipient] = useState('');
  const deliveries = useQuery({
    queryKey: ['deliveries', recipient],
    refetchInterval: 15_000,
    queryFn: async () =>
      unwrapPage(await api.GET('/api/v1/admin/notifications/deliveries', { params: { query: { limit: 50, ...(recipient.trim() && { recipient: recipient.trim() }) } } })).items,
  });
  return (
    <>
      <h1>{t('navDeliveries')}</h1>
      <div role="search" aria-label={t('recipient')}>
        <Field label={t('recipient')} type="search" value={recipient} onChange={(e) => setRecipient(e.target.value)} />
      </div>
      {deliveries.isPending ? <Loading /> : deliveries.error ? <ErrorMessage error={deliveries.error} /> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('recipient')}</th>
              <th scope="col">{t('template')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('attempts')}</th>
              <th scope="col">{t('sentAt')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.id}>
                <td><DateTime iso={d.createdAt} /></td>
                <td>{d.recipient}</td>
                <td>{d.template}</td>
                <td>{t(`dl_${d.status}`)}</td>
                <td>{d.attempts}</td>
                <td><DateTime iso={d.sentAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
