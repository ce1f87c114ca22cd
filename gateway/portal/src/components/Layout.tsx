import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, session } from '../api/client';
import { type Me, passwordPath } from '../auth';
import { useI18n } from '../i18n/i18n';
import { LANGS, type Lang, type MessageKey } from '../i18n/messages';
import { Link, navigate, usePath } from '../router';
import { Notifications } from './Notifications';

const NAV: Record<Me['role'], [string, MessageKey][]> = {
  practitioner: [
    ['/practitioner/pad', 'navPad'],
    ['/practitioner/orders', 'navOrders'],
    ['/practitioner/templates', 'navTemplates'],
    ['/practitioner/account', 'navAccount'],
  ],
  pharmacy_operator: [
    ['/pharmacy/redeem', 'navRedeem'],
    ['/pharmacy/orders', 'navClaims'],
    ['/pharmacy/settlements', 'navSettlements'],
    ['/pharmacy/inventory', 'navInventory'],
    ['/pharmacy/api-keys', 'navApiKeys'],
  ],
  admin: [
    ['/admin/users', 'navUsers'],
    ['/admin/clinics', 'navClinics'],
    ['/admin/pharmacies', 'navPharmacies'],
    ['/admin/reviews', 'navReviews'],
    ['/admin/settlements', 'navAdminSettlements'],
    ['/admin/kpis', 'navKpis'],
    ['/admin/deliveries', 'navDeliveries'],
  ],
};

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang">
      <label htmlFor="lang-select">{t('language')}</label>
      <select id="lang-select" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l.id} value={l.id} lang={l.id === 'zh' ? 'zh-Hans' : 'en'}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useI18n();
  const path = usePath();
  const queryClient = useQueryClient();
  const signOut = async () => {
    const refreshToken = session.refreshToken;
    if (refreshToken) await api.POST('/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
    session.signOut();
    queryClient.clear();
    navigate('/login', { replace: true });
  };
  return (
    <>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('appName')}>
          <ul>
            {NAV[me.role].map(([href, key]) => (
              <li key={href}>
                <Link href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>
                  {t(key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <Notifications />
          <LanguageSwitch />
          <span className="who">{me.fullName}</span>
          <Link href={passwordPath(me.role)} aria-current={path === passwordPath(me.role) ? 'page' : undefined}>
            {t('changePassword')}
          </Link>
          <button type="button" onClick={signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
