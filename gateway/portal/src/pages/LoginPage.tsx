import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, session, toApiError } from '../api/client';
import { LanguageSwitch } from '../components/Layout';
import { ErrorMessage, Field, Notice, Select } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../router';

function Shell({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <div className="tools">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="narrow">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}

export function LoginPage({ ended, onSignedIn }: { ended: 'expired' | 'passwordChanged' | null; onSignedIn(): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api.POST('/api/v1/auth/login', { body: { email, password } });
    setBusy(false);
    if (!r.data) return setError(toApiError(r.response, r.error));
    queryClient.clear();
    session.signIn(r.data.data.tokens);
    onSignedIn();
    navigate('/', { replace: true });
  };

  return (
    <Shell title={t('signIn')}>
      {ended && <Notice>{t(ended === 'expired' ? 'sessionExpired' : 'passwordChanged')}</Notice>}
      <form onSubmit={submit} className="card">
        <Field label={t('email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field
          label={t('password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
      <p>
        <Link href="/register">{t('register')}</Link>
      </p>
    </Shell>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const [form, setForm] = useState({ email: '', password: '', fullName: '', phone: '', licenseNumber: '', role: 'practitioner' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const r = await api.POST('/api/v1/auth/register', {
      body: {
        email: form.email,
        password: form.password,
        fullName: form.fullName,
        role: form.role as 'practitioner' | 'pharmacy_operator',
        ...(form.phone && { phone: form.phone }),
        ...(form.licenseNumber && { licenseNumber: form.licenseNumber }),
      },
    });
    if (!r.data) return setError(toApiError(r.response, r.error));
    setDone(true);
  };

  if (done)
    return (
      <Shell title={t('register')}>
        <Notice>{t('awaitingApproval')}</Notice>
        <Link href="/login">{t('signIn')}</Link>
      </Shell>
    );
  return (
    <Shell title={t('register')}>
      <form onSubmit={submit} className="card">
        <Select
          label={t('role')}
          value={form.role}
          onChange={set('role')}
          options={[
            { value: 'practitioner', label: t('rolePractitioner') },
            { value: 'pharmacy_operator', label: t('rolePharmacy') },
          ]}
        />
        <Field label={t('fullName')} required value={form.fullName} onChange={set('fullName')} autoComplete="name" />
        <Field label={t('email')} type="email" required value={form.email} onChange={set('email')} autoComplete="email" />
        <Field label={t('password')} type="password" required value={form.password} onChange={set('password')} autoComplete="new-password" />
        <Field label={t('phone')} type="tel" value={form.phone} onChange={set('phone')} autoComplete="tel" />
        <Field label={t('licenseNumber')} value={form.licenseNumber} onChange={set('licenseNumber')} />
        <ErrorMessage error={error} />
        <button type="submit" className="primary">
          {t('register')}
        </button>
      </form>
      <p>
        <Link href="/login">{t('haveAccount')}</Link>
      </p>
    </Shell>
  );
}
