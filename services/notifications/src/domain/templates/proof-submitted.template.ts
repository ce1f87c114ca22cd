import type { Locale } from '../locale';
import { formatMoney } from '../money';
import type { EmailContent } from './layout';

export interface ProofSubmittedData {
  fullName: string;
  proofId: string;
  orderId: string;
  pharmacyId: string;
  /** Null when the directory has not heard of the pharmacy yet. */
  pharmacyName: string | null;
  payoutCents: number;
  fileCount: number;
}

export function proofSubmitted(locale: Locale, d: ProofSubmittedData): EmailContent {
  const payout = formatMoney(d.payoutCents);
  if (locale === 'zh') {
    const pharmacy = d.pharmacyName ?? `药房 ${d.pharmacyId}`;
    return {
      subject: `待审核的配药凭证：${pharmacy}`,
      greeting: `${d.fullName}，您好：`,
      paragraphs: ['有药房提交了处方配药凭证，请在管理后台审核。批准后订单即完成，并为药房创建结算。'],
      facts: [
        ['药房', pharmacy],
        ['订单编号', d.orderId],
        ['凭证编号', d.proofId],
        ['文件数', String(d.fileCount)],
        ['批准后应付金额', payout],
      ],
      summary: `${pharmacy} 提交了订单 ${d.orderId} 的配药凭证（应付 ${payout}），等待审核。`,
    };
  }
  const pharmacy = d.pharmacyName ?? `pharmacy ${d.pharmacyId}`;
  return {
    subject: `Fulfilment proof to review from ${pharmacy}`,
    greeting: `Dear ${d.fullName},`,
    paragraphs: [
      'A pharmacy has submitted proof that it dispensed a prescription. Please review it in the admin portal: approving it fulfils the order and opens a settlement for the pharmacy.',
    ],
    facts: [
      ['Pharmacy', pharmacy],
      ['Order', d.orderId],
      ['Proof', d.proofId],
      ['Files', String(d.fileCount)],
      ['Payout on approval', payout],
    ],
    summary: `${pharmacy} submitted proof for order ${d.orderId} (payout ${payout}); it awaits review.`,
  };
}
