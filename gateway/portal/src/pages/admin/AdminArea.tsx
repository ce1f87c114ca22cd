import { useI18n } from '../../i18n/i18n';
import { match } from '../../router';
import { AdminSettlementsPage, DeliveriesPage, KpisPage, PharmaciesPage, ReviewsPage } from './AdminPages';
import { ClinicsPage, UsersPage } from './UsersClinics';

export default function AdminArea({ path }: { path: string }) {
  const { t } = useI18n();
  if (match('/admin/clinics', path)) return <ClinicsPage />;
  if (match('/admin/pharmacies', path)) return <PharmaciesPage />;
  if (match('/admin/reviews', path)) return <ReviewsPage />;
  if (match('/admin/settlements', path)) return <AdminSettlementsPage />;
  if (match('/admin/kpis', path)) return <KpisPage />;
  if (match('/admin/deliveries', path)) return <DeliveriesPage />;
  if (match('/admin/users', path) || match('/admin', path)) return <UsersPage />;
  return <p>{t('notFound')}</p>;
}
