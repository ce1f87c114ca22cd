import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, newIdempotencyKey, unwrap, unwrapPage } from '../../api/client';
import { DateTime, ErrorMessage, Field, Loading, Money, Notice, Pager, Select } from '../../components/ui';
import type { components } from '../../generated/api';
import { useDebounced } from '../../hooks/useDebounced';
import { useI18n } from '../../i18n/i18n';
import { toCents } from '../../lib/money';

type User = components['schemas']['User'];
const ROLE_LABEL = { practitioner: 'rolePractitioner', pharmacy_operator: 'rolePharmacy', admin: 'roleAdmin' } as const;

export function UsersPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('pending');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebounced(search.trim(), 250);
  const users = useQuery({
    queryKey: ['users', role, status, q, page],
    queryFn: async () =>
      unwrapPage(
        await api.GET('/api/v1/admin/users', {
          params: {
            query: {
              page,
              limit: 20,
              ...(role && { role: role as User['role'] }),
              ...(status && { status: status as User['status'] }),
              ...(q && { search: q }),
            },
          },
        }),
      ),
  });
  const act = useMutation({
    mutationFn: async ({ id, action }: { id: string; action: 'approve' | 'suspend' }) =>
      unwrap(
        action === 'approve'
          ? await api.POST('/api/v1/admin/users/{id}/approve', { params: { path: { id } } })
          : await api.POST('/api/v1/admin/users/{id}/suspend', { params: { path: { id } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <>
      <h1>{t('navUsers')}</h1>
      <div className="filters" role="search" aria-label={t('searchUsers')}>
        <Field label={t('searchUsers')} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select
          label={t('role')}
          value={role}
          onChange={(e) => setRole(e.target.value)}
          options={[
            { value: '', label: t('all') },
            { value: 'practitioner', label: t('rolePractitioner') },
            { value: 'pharmacy_operator', label: t('rolePharmacy') },
            { value: 'admin', label: t('roleAdmin') },
          ]}
        />
        <Select
          label={t('status')}
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={[
            { value: '', label: t('all') },
            { value: 'pending', label: t('us_pending') },
            { value: 'approved', label: t('us_approved') },
            { value: 'suspended', label: t('us_suspended') },
          ]}
        />
      </div>
      <ErrorMessage error={act.error} />
      {users.isPending ? (
        <Loading />
      ) : users.error ? (
        <ErrorMessage error={users.error} />
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('fullName')}</th>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('created')}</th>
                <th scope="col"><span className="sr-only">{t('approve')}</span></th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.fullName}</td>
                  <td>{u.email}</td>
                  <td>{t(ROLE_LABEL[u.role])}</td>
                  <td>{t(`us_${u.status}`)}</td>
                  <td><DateTime iso={u.createdAt} /></td>
                  <td>
                    {u.status !== 'approved' && (
                      <button type="button" className="primary" onClick={() => act.mutate({ id: u.id, action: 'approve' })} aria-label={t('approveUser', { name: u.fullName })}>
                        {t('approve')}
                      </button>
                    )}{' '}
                    {u.status !== 'suspended' && u.role !== 'admin' && (
                      <button type="button" className="danger" onClick={() => act.mutate({ id: u.id, action: 'suspend' })} aria-label={t('suspendUser', { name: u.fullName })}>
                        {t('suspend')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={users.data.pagination.totalPages} onPage={setPage} />
        </>
      )}
    </>
  );
}

/** Approved users of a role, for "add member" / "link operator" pickers. */
export function useApprovedUsers(role: User['role']) {
  return useQuery({
    queryKey: ['users', role, 'approved', 'picker'],
    queryFn: async () => unwrapPage(await api.GET('/api/v1/admin/users', { params: { query: { role, status: 'approved', limit: 100 } } })).items,
  });
}

/**
 * Clinics: create one, add practitioners, and its account (adjustments with a reason and one
 * Idempotency-Key per submit; credit line and status). The API has no list of clinics: the ones
 * known here are those with orders (admins see every order) and those created in this session.
 */
export function ClinicsPage() {
  const { t } = useI18n();
  const [created, setCreated] = useState<{ id: string; name: string }[]>([]);
  const [clinic, setClinic] = useState({ name: '', street: '', city: '', postalCode: '', country: 'NZ' });
  const [selected, setSelected] = useState('');
  const orders = useQuery({
    queryKey: ['orders', 'clinic-ids'],
    queryFn: async () => unwrapPage(await api.GET('/api/v1/orders', { params: { query: { limit: 100 } } })).items,
  });
  const known = [...new Map([...created.map((c) => [c.id, c.name] as const), ...(orders.data ?? []).map((o) => [o.clinicId, o.clinicId.slice(0, 8)] as const)]).entries()];
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/clinics', {
          body: { name: clinic.name, address: { street: clinic.street, city: clinic.city, postalCode: clinic.postalCode, country: clinic.country } },
        }),
      ),
    onSuccess: (c) => {
      setCreated([...created, { id: c.id, name: c.name }]);
      setSelected(c.id);
    },
  });
  const set = (k: keyof typeof clinic) => (e: { target: { value: string } }) => setClinic({ ...clinic, [k]: e.target.value });
  return (
    <>
      <h1>{t('navClinics')}</h1>
      <form
        className="card"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2>{t('createClinic')}</h2>
        <div className="grid two">
          <Field label={t('clinicName')} required value={clinic.name} onChange={set('name')} />
          <Field label={t('street')} required value={clinic.street} onChange={set('street')} />
          <Field label={t('city')} required value={clinic.city} onChange={set('city')} />
          <Field label={t('postalCode')} required value={clinic.postalCode} onChange={set('postalCode')} />
          <Field label={t('country')} required value={clinic.country} onChange={set('country')} />
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('createClinic')}
        </button>
        <ErrorMessage error={create.error} />
        {create.data && <Notice>{t('clinicCreated', { name: create.data.name, id: create.data.id })}</Notice>}
      </form>
      <div className="grid two">
        <Select label={t('clinic')} value={selected} onChange={(e) => setSelected(e.target.value)} options={[{ value: '', label: '—' }, ...known.map(([id, name]) => ({ value: id, label: `${name} (${id.slice(0, 8)})` }))]} />
        <Field label={t('clinicId')} value={selected} onChange={(e) => setSelected(e.target.value.trim())} />
      </div>
      {/^[0-9a-f-]{36}$/i.test(selected) && <ClinicPanel clinicId={selected} />}
    </>
  );
}

function ClinicPanel({ clinicId }: { clinicId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const practitioners = useApprovedUsers('practitioner');
  const [userId, setUserId] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [creditLimit, setCreditLimit] = useState('');
  const account = useQuery({
    queryKey: ['account', clinicId],
    queryFn: async () => unwrap(await api.GET('/api/v1/clinic-accounts/{clinicId}', { params: { path: { clinicId } } })),
  });
  const addMember = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/admin/clinics/{id}/members', { params: { path: { id: clinicId } }, body: { userId } })),
  });
  const adjust = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/clinic-accounts/{clinicId}/adjustments', {
          params: { path: { clinicId } },
          body: { amount, reason },
          // One key per submit: a double click or a retried request never adjusts twice.
          headers: { 'Idempotency-Key': newIdempotencyKey() },
        }),
      ),
    onSuccess: () => {
      setAmount('');
      setReason('');
      queryClient.invalidateQueries({ queryKey: ['account', clinicId] });
    },
  });
  const patch = useMutation({
    mutationFn: async (body: { creditLimit?: string; status?: 'active' | 'suspended' }) =>
      unwrap(await api.PATCH('/api/v1/admin/clinic-accounts/{clinicId}', { params: { path: { clinicId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['account', clinicId] }),
  });
  return (
    <section className="card" aria-label={t('clinic')}>
      <ErrorMessage error={account.error} />
      {account.data && (
        <dl className="figures">
          <div><dt>{t('balance')}</dt><dd><Money amount={account.data.balance} /></dd></div>
          <div><dt>{t('creditLimit')}</dt><dd><Money amount={account.data.creditLimit} /></dd></div>
          <div><dt>{t('usedCredit')}</dt><dd><Money amount={account.data.usedCredit} /></dd></div>
          <div><dt>{t('available')}</dt><dd><Money amount={account.data.available} /></dd></div>
          <div><dt>{t('status')}</dt><dd>{account.data.status}</dd></div>
        </dl>
      )}
      <form onSubmit={(e) => { e.preventDefault(); addMember.mutate(); }}>
        <h3>{t('addMember')}</h3>
        <Select label={t('practitioner')} value={userId} onChange={(e) => setUserId(e.target.value)} options={[{ value: '', label: '—' }, ...(practitioners.data ?? []).map((u) => ({ value: u.id, label: `${u.fullName} <${u.email}>` }))]} />
        <button type="submit" disabled={!userId || addMember.isPending}>{t('addMember')}</button>
        {addMember.isSuccess && <Notice>{t('memberAdded')}</Notice>}
        <ErrorMessage error={addMember.error} />
      </form>
      <form onSubmit={(e) => { e.preventDefault(); adjust.mutate(); }}>
        <h3>{t('applyAdjustment')}</h3>
        <Field label={t('adjustment')} required inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <Field label={t('reason')} required value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" disabled={toCents(amount) === null || !reason.trim() || adjust.isPending}>{t('applyAdjustment')}</button>
        {adjust.isSuccess && <Notice>{t('adjusted')}</Notice>}
        <ErrorMessage error={adjust.error} />
      </form>
      <form onSubmit={(e) => { e.preventDefault(); patch.mutate({ creditLimit }); }}>
        <h3>{t('updateAccount')}</h3>
        <Field label={t('creditLimit')} inputMode="decimal" value={creditLimit} onChange={(e) => setCreditLimit(e.target.value)} />
        <button type="submit" disabled={toCents(creditLimit) === null || patch.isPending}>{t('save')}</button>{' '}
        {account.data && (
          <button type="button" className={account.data.status === 'active' ? 'danger' : ''} onClick={() => patch.mutate({ status: account.data!.status === 'active' ? 'suspended' : 'active' })}>
            {account.data.status === 'active' ? t('suspend') : t('reactivate')}
          </button>
        )}
        <ErrorMessage error={patch.error} />
      </form>
    </section>
  );
}
