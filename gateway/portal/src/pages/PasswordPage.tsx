import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, expectOk, PASSWORD_CHANGED, session } from '../api/client';
import { ErrorMessage, Field } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

/**
 * POST /auth/password: 204, and every refresh token of the user is revoked (access tokens issued
 * before the change stop working at once) — so, as the API does, the portal ends this session too
 * and asks for the new password on the login page.
 */
export function PasswordPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && confirm !== newPassword;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      expectOk(await api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));
    } catch (err) {
      setBusy(false);
      return setError(err);
    }
    session.signOut();
    queryClient.clear();
    window.dispatchEvent(new Event(PASSWORD_CHANGED));
    navigate('/login', { replace: true });
  };

  return (
    <>
      <h1>{t('changePassword')}</h1>
      <form className="card narrow" onSubmit={submit}>
        <Field label={t('currentPassword')} type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
        <Field label={t('newPassword')} type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNew(e.target.value)} />
        <Field
          label={t('confirmPassword')}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={mismatch || undefined}
        />
        {mismatch && (
          <p role="alert" className="error">
            {t('passwordsDiffer')}
          </p>
        )}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy || mismatch}>
          {t('changePassword')}
        </button>
      </form>
    </>
  );
}
