import { RPC } from '../rpc';
import { ACCOUNTS_RPC } from './accounts.rpc';
import { IDENTITY_RPC } from './identity.rpc';
import { NOTIFICATIONS_RPC } from './notifications.rpc';
import { ORDERS_CATALOGUE_RPC } from './orders-catalogue.rpc';
import { ORDERS_REPORTS_RPC } from './orders-reports.rpc';
import { ORDERS_RPC } from './orders.rpc';
import { PHARMACY_RPC } from './pharmacy.rpc';

const BY_SERVICE: Record<string, Record<string, string>[]> = {
  identity: [IDENTITY_RPC],
  orders: [ORDERS_RPC, ORDERS_CATALOGUE_RPC, ORDERS_REPORTS_RPC],
  accounts: [ACCOUNTS_RPC],
  pharmacy: [PHARMACY_RPC],
  notifications: [NOTIFICATIONS_RPC],
};

describe('RPC pattern names', () => {
  const all = Object.entries(BY_SERVICE).flatMap(([service, maps]) =>
    [...maps.flatMap((m) => Object.values(m)), RPC.ping(service)].map((pattern) => ({ service, pattern })),
  );

  it('are all <service>.<resource>.<verb>, the service being the one that answers', () => {
    const offStyle = all.filter(
      ({ service, pattern }) => !new RegExp(`^${service}\\.[a-z][A-Za-z]*\\.[a-z][A-Za-z]*$`).test(pattern),
    );
    expect(offStyle).toEqual([]);
  });

  it('name one request each', () => {
    const patterns = all.map((p) => p.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
  });
});
