import type { Locale } from '../locale';
import type { EmailContent } from './layout';

export interface PaymentFailedData {
  fullName: string;
  orderId: string;
  /** The saga's reason code (INSUFFICIENT_FUNDS, ACCOUNT_SUSPENDED, ...). */
  reason: string;
}

const REASONS: Record<Locale, Record<string, string>> = {
  en: {
    INSUFFICIENT_FUNDS: 'the clinic account does not have enough balance and credit',
    ACCOUNT_SUSPENDED: 'the clinic account is suspended',
    ACCOUNT_NOT_FOUND: 'the clinic has no account yet',
    TIMEOUT: 'the payment step did not finish in time',
    ORDER_CANCELLED: 'the order was cancelled before payment',
  },
  zh: {
    INSUFFICIENT_FUNDS: '诊所账户余额和信用额度不足',
    ACCOUNT_SUSPENDED: '诊所账户已被暂停',
    ACCOUNT_NOT_FOUND: '该诊所尚未开通账户',
    TIMEOUT: '付款处理超时',
    ORDER_CANCELLED: '订单在付款前已被取消',
  },
};

export const describeReason = (locale: Locale, reason: string) => REASONS[locale][reason] ?? reason;

export function paymentFailed(locale: Locale, d: PaymentFailedData): EmailContent {
  const reason = describeReason(locale, d.reason);
  if (locale === 'zh') {
    return {
      subject: '处方订单付款失败',
      greeting: `${d.fullName}，您好：`,
      paragraphs: [
        `未能从诊所账户扣款支付您的处方订单：${reason}。`,
        '订单目前处于“付款失败”状态。账户问题解决后，您可以重新付款，或取消该订单。',
      ],
      facts: [
        ['订单编号', d.orderId],
        ['原因', reason],
      ],
      summary: `订单 ${d.orderId} 付款失败：${reason}。`,
    };
  }
  return {
    subject: 'Payment failed for your prescription order',
    greeting: `Dear ${d.fullName},`,
    paragraphs: [
      `We could not take payment for your prescription order from the clinic account: ${reason}.`,
      'The order is on hold as PAYMENT_FAILED. Once the account is in order you can retry the payment, or cancel the order.',
    ],
    facts: [
      ['Order', d.orderId],
      ['Reason', reason],
    ],
    summary: `Payment failed for order ${d.orderId}: ${reason}.`,
  };
}
