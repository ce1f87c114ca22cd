import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, unwrapPage } from '../../api/client';
import type { Me } from '../../auth';
import { DateTime, ErrorMessage, Loading, Money, Pager, Select } from '../../components/ui';
import { useI18n } from '../../i18n/i18n';
import { CardTopUp } from './CardTopUp';
import { QrTopUp } from './QrTopUp';

/** The clinic's balance, credit and available amount, its ledger, and a top-up. */
export function AccountPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [clinicId, setClinicId] = useState(me.clinics[0]?.id ?? '');
  const [page, setPage] = useState(1);
  const account = useQuery({
    queryKey: ['account', clinicId],
    enabled: !!clinicId,
    refetchInterval: 10_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/clinic-accounts/{clinicId}', { params: { path: { clinicId } } })),
  });
  const ledger = useQuery({
    queryKey: ['account', clinicId, 'ledger', page],
    enabled: !!clinicId,
    refetchInterval: 10_000,
    queryFn: async () =>
      unwrapPage(await api.GET('/api/v1/clinic-accounts/{clinicId}/ledger', { params: { path: { clinicId }, query: { page, limit: 20 } } })),
  });
  if (!clinicId) return <p>{t('none')}</p>;
  return (
    <>
      <h1>{t('navAccount')}</h1>
      {me.clinics.length > 1 && (
        <Select label={t('clinic')} value={clinicId} onChange={(e) => setClinicId(e.target.value)} options={me.clinics.map((c) => ({ value: c.id, label: c.name }))} />
      )}
      {account.error && <ErrorMessage error={account.error} />}
      {account.data && (
        <dl className="figures" data-testid="account-figures">
          <div>
            <dt>{t('balance')}</dt>
            <dd><Money amount={account.data.balance} /></dd>
          </div>
          <div>
            <dt>{t('creditLimit')}</dt>
            <dd><Money amount={account.data.creditLimit} /></dd>
          </div>
          <div>
            <dt>{t('usedCredit')}</dt>
            <dd><Money amount={account.data.usedCredit} /></dd>
          </div>
          <div>
            <dt>{t('available')}</dt>
            <dd data-testid="available"><Money amount={account.data.available} /></dd>
          </div>
        </dl>
      )}
      <CardTopUp clinicId={clinicId} />
      <QrTopUp clinicId={clinicId} />
      <section aria-labelledby="ledger-title">
        <h2 id="ledger-title">{t('ledger')}</h2>
        {ledger.isPending ? (
          <Loading />
        ) : ledger.error ? (
          <ErrorMessage error={ledger.error} />
        ) : (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('entryType')}</th>
                  <th scope="col">{t('amount')}</th>
                  <th scope="col">{t('balanceAfter')}</th>
                  <th scope="col">{t('reference')}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.items.map((e) => (
                  <tr key={e.id}>
                    <td><DateTime iso={e.createdAt} /></td>
                    <td>{t(`le_${e.type}`)}</td>
                    <td><Money amount={e.amount} currency={e.currency} /></td>
                    <td><Money amount={e.balanceAfter} currency={e.currency} /></td>
                    <td>{e.reference ?? e.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={page} pages={ledger.data.pagination.totalPages} onPage={setPage} />
          </>
        )}
      </section>
    </>
  );
}
