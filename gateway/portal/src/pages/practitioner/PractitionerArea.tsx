import type { Me } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { match } from '../../router';
import { AccountPage } from './AccountPage';
import { OrderDetailPage, OrdersPage } from './OrdersPage';
import { PadPage } from './PadPage';
import { TemplatesPage } from './TemplatesPage';

export default function PractitionerArea({ me, path }: { me: Me; path: string }) {
  const { t } = useI18n();
  const order = match('/practitioner/orders/:id', path);
  if (order) return <OrderDetailPage id={order.id} />;
  if (match('/practitioner/orders', path)) return <OrdersPage />;
  if (match('/practitioner/account', path)) return <AccountPage me={me} />;
  if (match('/practitioner/templates', path)) return <TemplatesPage />;
  if (match('/practitioner/pad', path) || match('/practitioner', path)) return <PadPage me={me} />;
  return <p>{t('notFound')}</p>;
}
