import type { Me } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { match } from '../../router';
import { ApiKeysPage, InventoryPage, PharmacyOrderDetailPage, PharmacyOrdersPage, SettlementsPage } from './PharmacyPages';
import { RedeemPage } from './RedeemPage';

export default function PharmacyArea({ me, path }: { me: Me; path: string }) {
  const { t } = useI18n();
  if (!me.pharmacyId) return <p>{t('notRedeemable')}</p>;
  const order = match('/pharmacy/orders/:id', path);
  if (order) return <PharmacyOrderDetailPage id={order.id} />;
  if (match('/pharmacy/orders', path)) return <PharmacyOrdersPage me={me} />;
  if (match('/pharmacy/settlements', path)) return <SettlementsPage me={me} />;
  if (match('/pharmacy/inventory', path)) return <InventoryPage me={me} />;
  if (match('/pharmacy/api-keys', path)) return <ApiKeysPage />;
  if (match('/pharmacy/redeem', path) || match('/pharmacy', path)) return <RedeemPage me={me} />;
  return <p>{t('notFound')}</p>;
}
