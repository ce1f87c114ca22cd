import type { Locale } from '../locale';
import type { EmailContent } from './layout';

export interface ProofReviewedData {
  pharmacyName: string;
  proofId: string;
  orderId: string;
  decision: 'approved' | 'rejected';
  comments: string | null;
}

export function proofReviewed(locale: Locale, d: ProofReviewedData): EmailContent {
  const approved = d.decision === 'approved';
  if (locale === 'zh') {
    return {
      subject: approved ? '您的配药凭证已通过审核' : '您的配药凭证未通过审核',
      greeting: `${d.pharmacyName}，您好：`,
      paragraphs: [
        approved
          ? `订单 ${d.orderId} 的配药凭证已通过审核。订单已完成，平台已为您创建结算，付款后您将收到汇款通知。`
          : `订单 ${d.orderId} 的配药凭证未通过审核。请查看以下审核意见，并重新提交凭证。`,
      ],
      facts: [
        ['订单编号', d.orderId],
        ['凭证编号', d.proofId],
        ['审核结果', approved ? '通过' : '未通过'],
        ...(d.comments ? ([['审核意见', d.comments]] as [string, string][]) : []),
      ],
      summary: approved
        ? `订单 ${d.orderId} 的配药凭证已通过审核。`
        : `订单 ${d.orderId} 的配药凭证未通过审核，请重新提交。`,
    };
  }
  return {
    subject: approved ? 'Your fulfilment proof was approved' : 'Your fulfilment proof was not accepted',
    greeting: `Dear ${d.pharmacyName},`,
    paragraphs: [
      approved
        ? `Your proof for order ${d.orderId} was approved. The order is fulfilled and a settlement is open for your payout; you will receive a remittance advice when it is paid.`
        : `Your proof for order ${d.orderId} was not accepted. Please read the reviewer's comments below and submit a new proof.`,
    ],
    facts: [
      ['Order', d.orderId],
      ['Proof', d.proofId],
      ['Decision', approved ? 'Approved' : 'Rejected'],
      ...(d.comments ? ([['Comments', d.comments]] as [string, string][]) : []),
    ],
    summary: approved
      ? `Your proof for order ${d.orderId} was approved.`
      : `Your proof for order ${d.orderId} was rejected; please resubmit.`,
  };
}
