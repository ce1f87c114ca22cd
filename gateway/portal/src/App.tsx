import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { PASSWORD_CHANGED, SESSION_EXPIRED } from './api/client';
import { AREA, HOME, passwordPath, useMe, useSignedIn } from './auth';
import { Layout } from './components/Layout';
import { ErrorMessage, Loading } from './components/ui';
import { useI18n } from './i18n/i18n';
import { LoginPage, RegisterPage } from './pages/LoginPage';
import { PasswordPage } from './pages/PasswordPage';
import { navigate, usePath } from './router';

// Each role's area is its own chunk: a pharmacist's tablet never downloads the admin pages.
const PractitionerArea = lazy(() => import('./pages/practitioner/PractitionerArea'));
const PharmacyArea = lazy(() => import('./pages/pharmacy/PharmacyArea'));
const AdminArea = lazy(() => import('./pages/admin/AdminArea'));


export function App() {
  const signedIn = useSignedIn();
  const path = usePath();
  const queryClient = useQueryClient();
  /** Why the login page is shown again, if the user did not sign out. */
  const [ended, setEnded] = useState<'expired' | 'passwordChanged' | null>(null);

  useEffect(() => {
    const onExpired = () => {
      queryClient.clear();
      setEnded('expired');
      navigate('/login', { replace: true });
    };
    const onPasswordChanged = () => setEnded('passwordChanged');
    window.addEventListener(SESSION_EXPIRED, onExpired);
    window.addEventListener(PASSWORD_CHANGED, onPasswordChanged);
    return () => {
      window.removeEventListener(SESSION_EXPIRED, onExpired);
      window.removeEventListener(PASSWORD_CHANGED, onPasswordChanged);
    };
  }, [queryClient]);

  if (!signedIn) {
    if (path.startsWith('/register')) return <RegisterPage />;
    return <LoginPage ended={ended} onSignedIn={() => setEnded(null)} />;
  }
  return <SignedIn path={path} />;
}

function SignedIn({ path }: { path: string }) {
  const me = useMe();
  const { t } = useI18n();
  const role = me.data?.role;

  useEffect(() => {
    if (role && !path.startsWith(AREA[role])) navigate(HOME[role], { replace: true });
  }, [role, path]);

  if (me.isPending) return <Loading />;
  if (me.error || !role) return <ErrorMessage error={me.error ?? new Error(t('notFound'))} />;
  return (
    <Layout me={me.data}>
      <Suspense fallback={<Loading />}>
        {path === passwordPath(role) ? (
          <PasswordPage />
        ) : role === 'practitioner' ? (
          <PractitionerArea me={me.data} path={path} />
        ) : role === 'pharmacy_operator' ? (
          <PharmacyArea me={me.data} path={path} />
        ) : (
          <AdminArea path={path} />
        )}
      </Suspense>
    </Layout>
  );
}
