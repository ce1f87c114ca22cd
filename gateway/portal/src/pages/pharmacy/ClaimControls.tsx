import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { DateTime, ErrorMessage, Money, TextArea } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import type { Credential } from './RedeemPage';

type Scan = components['schemas']['CredentialScan'];

/**
 * "Start dispensing" (POST /pharmacies/claims: the order is then held by this pharmacy alone, its
 * payout fixed) and release (the order back to PAID, the patient may go elsewhere).
 */
export function ClaimControls({ credential, scan, onChange }: { credential: Credential; scan: Scan; onChange(): void }) {
  const { t } = useI18n();
  const claim = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/pharmacies/claims', { body: credential })),
    onSuccess: onChange,
  });
  const held = scan.claimedBy === 'you';
  return (
    <div className="claim">
      {scan.claimedBy === 'another' && <p className="warning">{t('heldElsewhere')}</p>}
      {!held && scan.redeemable && (
        <button type="button" className="primary" onClick={() => claim.mutate()} disabled={claim.isPending}>
          {t('claim')}
        </button>
      )}
      {claim.data && (
        <p role="status" className="notice" data-testid="claim-result">
          {t('claimed', { until: '' })} <DateTime iso={claim.data.holdExpiresAt} /> · {t('payout')}: <Money amount={claim.data.payout} currency={claim.data.currency} />
        </p>
      )}
      <ErrorMessage error={claim.error} />
      {held && scan.order.status === 'DISPENSING' && <ReleaseForm orderId={scan.order.id} onReleased={onChange} />}
    </div>
  );
}

/** Release a held order (with a reason): back to PAID, the patient may take it elsewhere. */
export function ReleaseForm({ orderId, onReleased }: { orderId: string; onReleased(): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const release = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/pharmacies/claims/{orderId}/release', { params: { path: { orderId } }, body: { reason } })),
    onSuccess: () => {
      setReason('');
      queryClient.invalidateQueries({ queryKey: ['orders'] });
      queryClient.invalidateQueries({ queryKey: ['claims'] });
      onReleased();
    },
  });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        release.mutate();
      }}
    >
      <TextArea label={t('releaseReason')} required value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="danger" disabled={!reason.trim() || release.isPending}>
        {t('release')}
      </button>
      <ErrorMessage error={release.error} />
    </form>
  );
}
