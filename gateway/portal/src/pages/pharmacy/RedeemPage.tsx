import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { Me } from '../../auth';
import { ErrorMessage, Field, Money, Notice, StatusChip } from '../../components/ui';
import type { components } from '../../generated/api';
import { useI18n } from '../../i18n/i18n';
import { ClaimControls } from './ClaimControls';
import { ProofUpload } from './ProofUpload';
import { QrScanner } from './QrScanner';

type Scan = components['schemas']['CredentialScan'];
export type Credential = { qrCodeData: string } | { platformOrderId: string; verificationCode: string };

/** The counter: scan (camera or photo) or type the order number and code; see the order; claim; prove. */
export function RedeemPage(_: { me: Me }) {
  const { t } = useI18n();
  const [orderNumber, setOrderNumber] = useState('');
  const [code, setCode] = useState('');
  const [credential, setCredential] = useState<Credential | null>(null);
  // Kept across a re-scan (after a claim or a proof) so the panel does not vanish while it reloads.
  const [result, setResult] = useState<Scan | undefined>();
  const scan = useMutation({
    mutationFn: async (body: Credential) => unwrap(await api.POST('/api/v1/pharmacies/scan-credential', { body })),
    onSuccess: setResult,
  });
  const lookUp = (c: Credential) => {
    setCredential(c);
    setResult(undefined);
    scan.mutate(c);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lookUp({ platformOrderId: orderNumber.trim().toUpperCase(), verificationCode: code.trim() });
  };
  return (
    <>
      <h1>{t('scanTitle')}</h1>
      <div className="grid two">
        <form className="card" onSubmit={submit}>
          <Field label={t('orderNumber')} required value={orderNumber} onChange={(e) => setOrderNumber(e.target.value)} autoComplete="off" placeholder="PC-XXXX-XXXX-X" />
          <Field label={t('verificationCode')} required inputMode="numeric" pattern="\d{6}" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
          <button type="submit" className="primary" disabled={scan.isPending}>
            {t('lookUp')}
          </button>
        </form>
        <div className="card">
          <QrScanner onScan={(qrCodeData) => lookUp({ qrCodeData })} />
        </div>
      </div>
      <ErrorMessage error={scan.error} />
      {result && credential && (
        <section className="card scan-result" aria-labelledby="scan-title">
          <h2 id="scan-title">
            {result.order.platformOrderId} <StatusChip status={result.order.status} />
          </h2>
          <dl>
            <dt>{t('patientNameLabel')}</dt>
            <dd data-testid="scan-patient">{result.order.patientName}</dd>
            <dt>{t('payout')}</dt>
            <dd data-testid="scan-payout">
              <Money amount={result.estimatedPayout} currency={result.currency} />
            </dd>
            <dt>{t('redeemable')}</dt>
            <dd>{result.redeemable ? t('yes') : t('no')}</dd>
            {result.claimedBy === 'you' && (
              <>
                <dt>{t('status')}</dt>
                <dd>{t('heldHere')}</dd>
              </>
            )}
          </dl>
          {!result.redeemable && <p className="warning">{t('notRedeemable')}</p>}
          <table>
            <caption>{t('formula')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('herb')}</th>
                <th scope="col">{t('quantity')}</th>
                <th scope="col">{t('packs')}</th>
              </tr>
            </thead>
            <tbody>
              {result.order.items.map((i) => (
                <tr key={i.medicineId} className={result.undeclaredMedicineIds.includes(i.medicineId) ? 'undeclared' : undefined}>
                  <th scope="row">
                    <span lang="zh-Hans">{i.name}</span> <span className="muted">{i.pinyin} · {i.englishName}</span>
                  </th>
                  <td>
                    {i.quantity} {i.unit}
                  </td>
                  <td>{i.packs}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ClaimControls credential={credential} scan={result} onChange={() => scan.mutate(credential)} />
          {result.claimedBy === 'you' && result.order.status === 'PENDING_REVIEW' && <Notice>{t('proofSubmitted')}</Notice>}
          {result.claimedBy === 'you' && ['DISPENSING', 'REJECTED'].includes(result.order.status) && (
            <ProofUpload orderId={result.order.id} onSubmitted={() => scan.mutate(credential)} />
          )}
        </section>
      )}
    </>
  );
}
