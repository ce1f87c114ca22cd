import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, newIdempotencyKey, toApiError, unwrap } from '../../api/client';
import type { Me } from '../../auth';
import { Checkbox, ErrorMessage, Field, Money, Notice, Select, TextArea } from '../../components/ui';
import type { components } from '../../generated/api';
import { useDebounced } from '../../hooks/useDebounced';
import { useI18n } from '../../i18n/i18n';
import { formatMoney, gramsToMg, toCents } from '../../lib/money';
import { DECOCTION_METHODS, type PadLine, padTotals } from '../../lib/pad';
import { Link, navigate } from '../../router';

type Medicine = components['schemas']['Medicine'];
type NewOrder = components['schemas']['NewOrder'];
type Template = components['schemas']['PrescriptionTemplate'];

export const PAD_TEMPLATE_KEY = 'prescriptchain.pad.template';

const lineOf = (m: Pick<Medicine, 'id' | 'name' | 'pinyinName' | 'englishName' | 'unit' | 'price' | 'decoction'>, quantity = ''): PadLine => ({
  medicineId: m.id,
  name: m.name,
  pinyin: m.pinyinName,
  englishName: m.englishName,
  unit: m.unit,
  price: m.price,
  quantity,
  decoctionMethod: m.decoction ?? '',
  dosageInstructions: '',
});

/** The herb search box: results as the practitioner types (Chinese, pinyin, initials, English, Latin). */
function HerbSearch({ onAdd }: { onAdd(m: Medicine): void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 200);
  const results = useQuery({
    queryKey: ['medicines', query],
    enabled: query.length > 0,
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/medicines', { params: { query: { q: query, limit: 8 } } })),
  });
  return (
    <div role="search" className="herb-search" aria-label={t('herbSearch')}>
      <Field
        label={t('herbSearch')}
        hint={t('herbSearchHint')}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      {query && results.data && (
        <ul className="results" aria-live="polite">
          {results.data.length === 0 && <li>{t('noHerbsFound')}</li>}
          {results.data.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                onClick={() => {
                  onAdd(m);
                  setQ('');
                }}
                aria-label={t('addHerb', { name: `${m.name} ${m.pinyinName}` })}
              >
                <span lang="zh-Hans" className="zh">{m.name}</span> <span>{m.pinyinName}</span>{' '}
                <span className="muted">{lang === 'zh' ? m.latinName ?? m.englishName : m.englishName}</span>{' '}
                <span className="muted">
                  {formatMoney(m.price, m.currency)}/{m.unit}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={results.error} />
    </div>
  );
}

/** The formula as POST /orders and /orders/check take it. */
function orderBody(clinicId: string, patient: Patient, lines: PadLine[], packs: number, notes: string, override: string): NewOrder {
  return {
    clinicId,
    patientInfo: {
      name: patient.name.trim() || '—',
      ...(patient.phone.trim() && { phone: patient.phone.trim() }),
      ...(patient.dateOfBirth && { dateOfBirth: patient.dateOfBirth }),
      pregnant: patient.pregnant,
    },
    items: lines.map((l) => ({
      medicineId: l.medicineId,
      quantity: l.quantity.trim(),
      ...(l.decoctionMethod && { decoctionMethod: l.decoctionMethod }),
      ...(l.dosageInstructions.trim() && { dosageInstructions: l.dosageInstructions.trim() }),
    })),
    packs,
    ...(notes.trim() && { notes: notes.trim() }),
    ...(override.trim() && { safetyOverrideReason: override.trim() }),
  } as NewOrder;
}

interface Patient {
  name: string;
  phone: string;
  dateOfBirth: string;
  pregnant: boolean;
}

export function PadPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [clinicId, setClinicId] = useState(me.clinics[0]?.id ?? '');
  const [patient, setPatient] = useState<Patient>({ name: '', phone: '', dateOfBirth: '', pregnant: false });
  const [lines, setLines] = useState<PadLine[]>([]);
  const [packs, setPacks] = useState(7);
  const [notes, setNotes] = useState('');
  const [override, setOverride] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'funds' | 'pending' | 'error'; error?: unknown; orderId?: string } | null>(null);
  // One Idempotency-Key per formula: pressing submit twice (or a retry after a dropped answer) never pays twice.
  const keyRef = useRef<{ body: string; key: string } | null>(null);

  // A template chosen on the templates page starts the pad.
  useEffect(() => {
    const raw = sessionStorage.getItem(PAD_TEMPLATE_KEY);
    if (!raw) return;
    sessionStorage.removeItem(PAD_TEMPLATE_KEY);
    const tpl = JSON.parse(raw) as Template;
    setLines(
      tpl.items.map((i) => ({
        ...lineOf({ id: i.medicineId, name: i.medicine.name, pinyinName: i.medicine.pinyinName, englishName: i.medicine.englishName, unit: i.medicine.unit, price: '0.00', decoction: null }, i.quantity),
        dosageInstructions: i.dosageInstructions ?? '',
      })),
    );
    if (tpl.notes) setNotes(tpl.notes);
  }, []);

  const totals = padTotals(lines, packs);
  const formula = useMemo(
    () => (clinicId && lines.length ? orderBody(clinicId, patient, lines, packs, notes, '') : null),
    [clinicId, patient, lines, packs, notes],
  );
  const debounced = useDebounced(formula, 250);
  // Ask the server only for a formula it can read (every quantity a positive amount of grams).
  const checkable = debounced !== null && debounced.items.every((i) => gramsToMg(String(i.quantity)) !== null);
  const check = useQuery({
    queryKey: ['order-check', debounced],
    enabled: checkable,
    placeholderData: (previous) => previous,
    queryFn: async () => unwrap(await api.POST('/api/v1/orders/check', { body: debounced! })),
  });
  const checked = check.data && formula && JSON.stringify(debounced) === JSON.stringify(formula) ? check.data : null;
  const safety = check.data?.safety ?? [];
  const blocked = safety.some((s) => !s.overridable);
  const needsOverride = safety.length > 0 && !blocked && !override.trim();
  const availableCents = check.data ? toCents(check.data.available) : null;
  const totalCents = checked ? toCents(checked.totalAmount) ?? totals.totalCents : totals.totalCents;
  // Line prices the server fixed (templates start without the price; the check fills it in).
  const priceOf = (medicineId: string) => check.data?.items.find((i) => i.medicineId === medicineId)?.unitPrice;

  const submit = useMutation({
    mutationFn: async (draft: boolean) => {
      const body = { ...orderBody(clinicId, patient, lines, packs, notes, override), ...(draft && { draft: true }) };
      const text = JSON.stringify(body);
      if (keyRef.current?.body !== text) keyRef.current = { body: text, key: newIdempotencyKey() };
      const r = await api.POST('/api/v1/orders', { body, headers: { 'Idempotency-Key': keyRef.current.key } });
      if (r.data) return { order: r.data.data, status: r.response.status };
      throw toApiError(r.response, r.error);
    },
    onSuccess: ({ order, status }) => {
      queryClient.invalidateQueries({ queryKey: ['orders'] });
      queryClient.invalidateQueries({ queryKey: ['account'] });
      if (status === 202) setOutcome({ kind: 'pending', orderId: order.id });
      navigate(`/practitioner/orders/${order.id}`);
    },
    onError: (error) => {
      const details = error instanceof ApiError ? (error.details as { orderId?: string } | undefined) : undefined;
      if (error instanceof ApiError && error.status === 402) setOutcome({ kind: 'funds', error, orderId: details?.orderId });
      else setOutcome({ kind: 'error', error });
    },
  });

  const saveTemplate = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/prescription-templates', {
          body: {
            name: templateName.trim(),
            items: lines.map((l) => ({ medicineId: l.medicineId, quantity: l.quantity, ...(l.dosageInstructions && { dosageInstructions: l.dosageInstructions }) })),
            ...(notes && { notes }),
          } as components['schemas']['NewPrescriptionTemplate'],
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['templates'] }),
  });

  const update = (i: number, patch: Partial<PadLine>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    submit.mutate(false);
  };

  return (
    <form className="pad" onSubmit={onSubmit} aria-labelledby="pad-title">
      <h1 id="pad-title">{t('navPad')}</h1>
      <div className="grid two">
        <fieldset>
          <legend>{t('patient')}</legend>
          {me.clinics.length > 1 && (
            <Select label={t('clinic')} value={clinicId} onChange={(e) => setClinicId(e.target.value)} options={me.clinics.map((c) => ({ value: c.id, label: c.name }))} />
          )}
          <Field label={t('patientName')} required value={patient.name} onChange={(e) => setPatient({ ...patient, name: e.target.value })} autoComplete="off" />
          <Field label={t('phone')} type="tel" value={patient.phone} onChange={(e) => setPatient({ ...patient, phone: e.target.value })} autoComplete="off" />
          <Field label={t('dateOfBirth')} type="date" value={patient.dateOfBirth} onChange={(e) => setPatient({ ...patient, dateOfBirth: e.target.value })} />
          <Checkbox label={t('pregnant')} checked={patient.pregnant} onChange={(e) => setPatient({ ...patient, pregnant: e.target.checked })} />
        </fieldset>
        <HerbSearch
          onAdd={(m) => {
            if (!lines.some((l) => l.medicineId === m.id)) setLines([...lines, lineOf(m)]);
          }}
        />
      </div>

      <section aria-labelledby="formula-title">
        <h2 id="formula-title">{t('formula')}</h2>
        {lines.length === 0 ? (
          <p>{t('emptyFormula')}</p>
        ) : (
          <table className="lines">
            <thead>
              <tr>
                <th scope="col">{t('herb')}</th>
                <th scope="col">{t('quantity')}</th>
                <th scope="col">{t('decoction')}</th>
                <th scope="col">{t('instructions')}</th>
                <th scope="col">{t('unitPrice')}</th>
                <th scope="col">{t('lineTotal')}</th>
                <th scope="col"><span className="sr-only">{t('remove')}</span></th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => {
                const serverLine = checked?.items[i];
                const lineCents = serverLine ? toCents(serverLine.totalPrice) : totals.lines[i];
                return (
                  <tr key={l.medicineId}>
                    <th scope="row">
                      <span lang="zh-Hans" className="zh">{l.name}</span> <span className="muted">{l.pinyin}</span>
                    </th>
                    <td>
                      <label className="sr-only" htmlFor={`qty-${l.medicineId}`}>{t('quantityOf', { name: l.name, unit: l.unit })}</label>
                      <input id={`qty-${l.medicineId}`} className="qty" inputMode="decimal" required value={l.quantity} onChange={(e) => update(i, { quantity: e.target.value })} />{' '}
                      {l.unit}
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={`dec-${l.medicineId}`}>{t('decoctionOf', { name: l.name })}</label>
                      <select id={`dec-${l.medicineId}`} value={l.decoctionMethod} onChange={(e) => update(i, { decoctionMethod: e.target.value })}>
                        <option value="">—</option>
                        {DECOCTION_METHODS.map((d) => (
                          <option key={d} value={d} lang="zh-Hans">{d}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <label className="sr-only" htmlFor={`ins-${l.medicineId}`}>{t('instructionsOf', { name: l.name })}</label>
                      <input id={`ins-${l.medicineId}`} value={l.dosageInstructions} onChange={(e) => update(i, { dosageInstructions: e.target.value })} />
                    </td>
                    <td>{formatMoney(priceOf(l.medicineId) ?? l.price)}/{l.unit}</td>
                    <td>{lineCents === null || lineCents === undefined ? '—' : formatMoney(lineCents)}</td>
                    <td>
                      <button type="button" onClick={() => setLines(lines.filter((_, j) => j !== i))} aria-label={t('removeHerb', { name: l.name })}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="grid two">
          <Field label={t('packs')} type="number" min={1} max={365} required value={packs} onChange={(e) => setPacks(Math.max(1, Number(e.target.value) || 1))} />
          <TextArea label={t('notes')} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <p className="total" aria-live="polite">
          {t('total')}: <strong data-testid="pad-total">{formatMoney(totalCents)}</strong>
          {formula && !checked && check.fetchStatus === 'fetching' && <span className="muted"> ({t('totalChecking')})</span>}
          {check.data && (
            <span className="muted">
              {' '}· {t('available')}: <Money amount={check.data.available} />
            </span>
          )}
        </p>
        {availableCents !== null && totalCents > availableCents && (
          <p className="warning" role="status">
            {t('exceedsAvailable', { available: formatMoney(check.data!.available) })} <Link href="/practitioner/account">{t('goTopUp')}</Link>
          </p>
        )}
        <ErrorMessage error={check.error} />
      </section>

      {lines.length > 0 && (
        <section aria-labelledby="safety-title" className={safety.length ? 'safety has-findings' : 'safety'}>
          <h2 id="safety-title">{t('safetyFindings')}</h2>
          {safety.length === 0 ? (
            <p>{t('safetyClear')}</p>
          ) : (
            <div role="alert">
            <ul data-testid="safety-findings">
              {safety.map((s) => (
                <li key={`${s.rule}-${s.medicineIds.join()}`}>
                  <strong>{s.rule}</strong>: {s.message}
                  {!s.overridable && <em> ({t('notOverridable')})</em>}
                </li>
              ))}
            </ul>
            </div>
          )}
          {blocked && <p className="error">{t('blockedFormula')}</p>}
          {safety.length > 0 && !blocked && (
            <TextArea label={t('overrideReason')} required value={override} onChange={(e) => setOverride(e.target.value)} />
          )}
        </section>
      )}

      {outcome?.kind === 'funds' && (
        <div className="warning" role="alert" data-testid="insufficient-funds">
          <p>{t('insufficientFunds', { code: (outcome.error as ApiError).code })}</p>
          <p>
            <Link href="/practitioner/account">{t('goTopUp')}</Link>
            {outcome.orderId && (
              <>
                {' · '}
                <Link href={`/practitioner/orders/${outcome.orderId}`}>{t('viewOrder')}</Link>
              </>
            )}
          </p>
        </div>
      )}
      {outcome?.kind === 'pending' && <Notice>{t('pendingPayment')}</Notice>}
      {outcome?.kind === 'error' && <ErrorMessage error={outcome.error} />}
      {needsOverride && <p className="hint">{t('overrideNeeded')}</p>}

      <div className="actions">
        <button type="submit" className="primary" disabled={!lines.length || !clinicId || blocked || needsOverride || submit.isPending}>
          {submit.isPending ? t('submitting') : t('submitPrescription')}
        </button>
        <button type="button" disabled={!lines.length || !clinicId || submit.isPending} onClick={() => submit.mutate(true)}>
          {t('saveDraft')}
        </button>
      </div>

      {lines.length > 0 && (
        <fieldset className="template-save">
          <legend>{t('saveTemplate')}</legend>
          <Field label={t('templateName')} value={templateName} onChange={(e) => setTemplateName(e.target.value)} />
          <button type="button" disabled={!templateName.trim() || saveTemplate.isPending} onClick={() => saveTemplate.mutate()}>
            {t('saveTemplate')}
          </button>
          {saveTemplate.isSuccess && <Notice>{t('templateSaved')}</Notice>}
          <ErrorMessage error={saveTemplate.error} />
        </fieldset>
      )}
    </form>
  );
}
