import { formatCents } from '@prescriptchain/contracts';

/** Integer cents → "123.45": the contract's one formatting (libs/contracts/src/money.ts). */
export { formatCents };

/** "123.45 NZD" — how amounts appear in e-mails. */
export function formatMoney(cents: number, currency = 'NZD'): string {
  return `${formatCents(cents)} ${currency}`;
}
