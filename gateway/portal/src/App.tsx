import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { SESSION_EXPIRED } from './api/client';
import { useMe, useSignedIn } from './auth';
import { Layout } from './components/Layout';
import { ErrorMessage, Loading } from './components/ui';
import { useI18n } from './i18n/i18n';
import { LoginPage, RegisterPage } from './pages/LoginPage';
import { navigate, usePath } from './router';

// Each role's area is its own chunk: a pharmacist's tablet never downloads the admin pages.
const PractitionerArea = lazy(() => import('./pages/practitioner/PractitionerArea'));
const PharmacyArea = lazy(() => import('./pages/pharmacy/PharmacyArea'));
const AdminArea = lazy(() => import('./pages/admin/AdminArea'));

const HOME = { practitioner: '/practitioner/pad', pharmacy_operator: '/pharmacy/redeem', admin: '/admin/users' } as const;
const AREA = { practitioner: '/practitioner', pharmacy_operator: '/pharmacy', admin: '/admin' } as const;

export function App() {
  const signedIn = useSignedIn();
  const path = usePath();
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const onExpired = () => {
      queryClient.clear();
      setExpired(true);
      navigate('/login', { replace: true });
    };
    window.addEventListener(SESSION_EXPIRED, onExpired);
    return () => window.removeEventListener(SESSION_EXPIRED, onExpired);
  }, [queryClient]);

  if (!signedIn) {
    if (path.startsWith('/register')) return <RegisterPage />;
    return <LoginPage expired={expired} onSignedIn={() => setExpired(false)} />;
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
        {role === 'practitioner' && <PractitionerArea me={me.data} path={path} />}
        {role === 'pharmacy_operator' && <PharmacyArea me={me.data} path={path} />}
        {role === 'admin' && <AdminArea path={path} />}
      </Suspense>
    </Layout>
  );
}
