import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, expectOk, unwrap, unwrapPage } from '../../api/client';
import type { Me } from '../../auth';
import { Checkbox, DateTime, ErrorMessage, Field, Loading, Money, Notice, Select, StatusChip } from '../../components/ui';
import type { components } from '../../generated/api';
import { useDebounced } from '../../hooks/useDebounced';
import { useI18n } from '../../i18n/i18n';
import { formatMoney } from '../../lib/money';
import { Link } from '../../router';
import { OrderSummary, OrdersTable } from '../practitioner/OrdersPage';
import { ReleaseForm } from './ClaimControls';
import { ProofUpload } from './ProofUpload';

type ClaimStatus = 'DISPENSING' | 'PENDING_REVIEW' | 'REJECTED';

/** The orders this pharmacy holds (GET /pharmacies/:id/claims), then every order it has seen. */
export function PharmacyOrdersPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const claims = useQuery({
    queryKey: ['claims', me.pharmacyId, status],
    refetchInterval: 15_000,
    queryFn: async () =>
      unwrapPage(
        await api.GET('/api/v1/pharmacies/{id}/claims', {
          params: { path: { id: me.pharmacyId! }, query: { limit: 100, ...(status && { status: status as ClaimStatus }) } },
        }),
      ).items,
  });
  return (
    <>
      <h1>{t('navClaims')}</h1>
      <Select
        label={t('filterStatus')}
        value={status}
        onChange={(e) => setStatus(e.target.value)}
        options={[{ value: '', label: t('all') }, ...(['DISPENSING', 'PENDING_REVIEW', 'REJECTED'] as const).map((s) => ({ value: s, label: t(`st_${s}`) }))]}
      />
      {claims.isPending ? (
        <Loading />
      ) : claims.error ? (
        <ErrorMessage error={claims.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('orderNumber')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('payout')}</th>
              <th scope="col">{t('claimedAt')}</th>
              <th scope="col">{t('holdExpires')}</th>
            </tr>
          </thead>
          <tbody>
            {claims.data.map((c) => (
              <tr key={c.orderId}>
                <td>
                  <Link href={`/pharmacy/orders/${c.orderId}`}>{c.platformOrderId}</Link>
                </td>
                <td><StatusChip status={c.status} /></td>
                <td><Money amount={c.payout} currency={c.currency} /></td>
                <td><DateTime iso={c.claimedAt} /></td>
                <td><DateTime iso={c.holdExpiresAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('navOrders')}</h2>
      <OrdersTable base="/pharmacy/orders" />
    </>
  );
}

/** One of the pharmacy's orders; after a rejection, the admin's comments and a resubmission. */
export function PharmacyOrderDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const order = useQuery({
    queryKey: ['orders', id],
    refetchInterval: 15_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/orders/{id}', { params: { path: { id } } })),
  });
  if (order.isPending) return <Loading />;
  if (order.error) return <ErrorMessage error={order.error} />;
  const o = order.data;
  const rejection = [...o.history].reverse().find((h) => h.to === 'REJECTED');
  return (
    <>
      <h1>
        {o.platformOrderId} <StatusChip status={o.status} />
      </h1>
      <p>
        {t('patientNameLabel')}: {o.patientInfo.name}
        {o.payout && (
          <>
            {' · '}
            {t('payout')}: <Money amount={o.payout} currency={o.currency} />
          </>
        )}
      </p>
      {o.status === 'DISPENSING' && (
        <>
          <ProofUpload orderId={o.id} />
          <ReleaseForm orderId={o.id} onReleased={() => order.refetch()} />
        </>
      )}
      {o.status === 'REJECTED' && (
        <>
          <p className="warning" role="status">
            {t('rejectedComments', { comments: rejection?.reason ?? '—' })}
          </p>
          <ProofUpload orderId={o.id} />
        </>
      )}
      <OrderSummary order={o} />
    </>
  );
}

export function SettlementsPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const pharmacyId = me.pharmacyId!;
  const settlements = useQuery({
    queryKey: ['pharmacy-settlements', pharmacyId],
    queryFn: async () => unwrap(await api.GET('/api/v1/pharmacies/{id}/settlements', { params: { path: { id: pharmacyId } } })),
  });
  if (settlements.isPending) return <Loading />;
  if (settlements.error) return <ErrorMessage error={settlements.error} />;
  const { totals, settlements: list } = settlements.data;
  return (
    <>
      <h1>{t('navSettlements')}</h1>
      <dl className="figures">
        <div>
          <dt>{t('st_pending_payment')} ({totals.pendingCount})</dt>
          <dd><Money amount={totals.pending} currency={totals.currency} /></dd>
        </div>
        <div>
          <dt>{t('st_paid')} ({totals.paidCount})</dt>
          <dd><Money amount={totals.paid} currency={totals.currency} /></dd>
        </div>
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('amount')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('remittance')}</th>
            <th scope="col">{t('paidAt')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.id}>
              <td><DateTime iso={s.createdAt} /></td>
              <td><Money amount={s.amount} currency={s.currency} /></td>
              <td><span className={`chip chip-settlement-${s.status}`}>{t(s.status === 'paid' ? 'st_paid' : 'st_pending_payment')}</span></td>
              <td>{s.reference ?? '—'}</td>
              <td><DateTime iso={s.paidAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

type Medicine = components['schemas']['Medicine'];
interface SupplyRow {
  medicine: Pick<Medicine, 'id' | 'name' | 'pinyinName' | 'unit' | 'price'>;
  wholesalePrice: string;
  available: boolean;
}
const SUPPLY_KEY = 'prescriptchain.pharmacy.supply';

/**
 * Declared supply and wholesale prices. The API has PUT /pharmacies/:id/inventory (a full
 * replacement, answering the declared supply) but no GET, and the portal uses no route the contract
 * lacks: the list as the PUT last answered it from this device is kept locally to edit again, and
 * the page says plainly that saving replaces the whole declaration (a new device starts empty).
 */
export function InventoryPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<SupplyRow[]>(() => JSON.parse(localStorage.getItem(`${SUPPLY_KEY}.${me.pharmacyId}`) ?? '[]'));
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 200);
  const results = useQuery({
    queryKey: ['medicines', query],
    enabled: !!query,
    queryFn: async () => unwrap(await api.GET('/api/v1/medicines', { params: { query: { q: query, limit: 8 } } })),
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/pharmacies/{id}/inventory', {
          params: { path: { id: me.pharmacyId! } },
          body: { items: rows.map((r) => ({ medicineId: r.medicine.id, wholesalePrice: r.wholesalePrice, available: r.available })) },
        }),
      ),
    // What the API declared (its answer), with the herbs' names and catalogue prices from this page.
    onSuccess: (declared) => {
      const saved = declared.items.flatMap((d) => {
        const row = rows.find((r) => r.medicine.id === d.medicineId);
        return row ? [{ medicine: row.medicine, wholesalePrice: d.wholesalePrice, available: d.available }] : [];
      });
      setRows(saved);
      localStorage.setItem(`${SUPPLY_KEY}.${me.pharmacyId}`, JSON.stringify(saved));
    },
  });
  const update = (i: number, p: Partial<SupplyRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...p } : r)));
  return (
    <>
      <h1>{t('declareSupply')}</h1>
      <p className={rows.length ? 'muted' : 'warning'} data-testid="inventory-note">
        {t(rows.length ? 'inventoryReplaces' : 'inventoryFirstOnDevice')}
      </p>
      <div role="search" aria-label={t('herbSearch')}>
        <Field label={t('herbSearch')} hint={t('herbSearchHint')} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        {query && results.data && (
          <ul className="results">
            {results.data.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  onClick={() => {
                    if (!rows.some((r) => r.medicine.id === m.id)) setRows([...rows, { medicine: m, wholesalePrice: m.price, available: true }]);
                    setQ('');
                  }}
                >
                  {t('addHerb', { name: `${m.name} ${m.pinyinName}` })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <table>
          <thead>
            <tr>
              <th scope="col">{t('herb')}</th>
              <th scope="col">{t('catalogPrice')}</th>
              <th scope="col">{t('wholesalePrice')}</th>
              <th scope="col">{t('available')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.medicine.id}>
                <th scope="row">
                  <span lang="zh-Hans">{r.medicine.name}</span> <span className="muted">{r.medicine.pinyinName}</span>
                </th>
                <td>{formatMoney(r.medicine.price)}/{r.medicine.unit}</td>
                <td>
                  <Field
                    label={t('wholesaleOf', { name: r.medicine.name, unit: r.medicine.unit })}
                    inputMode="decimal"
                    value={r.wholesalePrice}
                    onChange={(e) => update(i, { wholesalePrice: e.target.value })}
                  />
                </td>
                <td>
                  <Checkbox label={t('availableOf', { name: r.medicine.name })} checked={r.available} onChange={(e) => update(i, { available: e.target.checked })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('save')}
        </button>
        {save.data && <Notice>{t('inventorySaved', { n: save.data.items.length })}</Notice>}
        <ErrorMessage error={save.error} />
      </form>
    </>
  );
}

export function ApiKeysPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: async () => unwrap(await api.GET('/api/v1/api-keys')) });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/api-keys', { body: { name: name.trim() } })),
    onSuccess: () => {
      setName('');
      queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => expectOk(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <>
      <h1>{t('navApiKeys')}</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label={t('apiKeyName')} required value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
          {t('createKey')}
        </button>
        <ErrorMessage error={create.error} />
      </form>
      {create.data && (
        <div className="notice" role="status">
          {t('keyShownOnce')} <code className="secret">{create.data.key}</code>
        </div>
      )}
      {keys.isPending ? (
        <Loading />
      ) : keys.error ? (
        <ErrorMessage error={keys.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('apiKeyName')}</th>
              <th scope="col">{t('prefix')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('lastUsed')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col"><span className="sr-only">{t('remove')}</span></th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td><code>{k.prefix}</code></td>
                <td><DateTime iso={k.createdAt} /></td>
                <td><DateTime iso={k.lastUsedAt} /></td>
                <td>{k.active ? t('active') : t('suspended')}</td>
                <td>
                  {k.active && (
                    <button type="button" className="danger" onClick={() => revoke.mutate(k.id)} aria-label={t('revokeKey', { name: k.name })}>
                      {t('revoke')}
                    </button>
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
