import type { Locale } from '../locale';
import { formatMoney } from '../money';
import { type EmailContent, formatNzDate } from './layout';

/** The remittance advice a pharmacy gets when its settlement is paid. */
export interface SettlementPaidData {
  pharmacyName: string;
  settlementId: string;
  orderId: string;
  amountCents: number;
  reference: string | null;
  paidAt: string;
}

export function settlementPaid(locale: Locale, d: SettlementPaidData): EmailContent {
  const amount = formatMoney(d.amountCents);
  const date = formatNzDate(d.paidAt, locale);
  if (locale === 'zh') {
    return {
      subject: `汇款通知：已支付 ${amount}`,
      greeting: `${d.pharmacyName}，您好：`,
      paragraphs: ['我们已向贵药房支付以下处方配药结算款项。'],
      facts: [
        ['金额', amount],
        ['付款参考号', d.reference ?? '—'],
        ['订单编号', d.orderId],
        ['结算编号', d.settlementId],
        ['付款日期', date],
      ],
      closing: ['请保留此汇款通知以备查账。'],
      summary: `已支付 ${amount}（订单 ${d.orderId}，参考号 ${d.reference ?? '—'}）。`,
    };
  }
  return {
    subject: `Remittance advice: ${amount} paid`,
    greeting: `Dear ${d.pharmacyName},`,
    paragraphs: ['We have paid the settlement below for a prescription you dispensed.'],
    facts: [
      ['Amount', amount],
      ['Payment reference', d.reference ?? '—'],
      ['Order', d.orderId],
      ['Settlement', d.settlementId],
      ['Payment date', date],
    ],
    closing: ['Please keep this remittance advice for your records.'],
    summary: `${amount} paid for order ${d.orderId} (reference ${d.reference ?? '—'}).`,
  };
}
