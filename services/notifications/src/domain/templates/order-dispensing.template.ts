import type { Locale } from '../locale';
import { type EmailContent, formatNzDate } from './layout';

/** A pharmacy claimed the practitioner's prescription: it is being dispensed there. */
export interface OrderDispensingData {
  fullName: string;
  orderId: string;
  platformOrderId: string;
  /** Null when the directory does not know the pharmacy yet. */
  pharmacyName: string | null;
  holdExpiresAt: string;
}

/** The pharmacy (or an admin) released the claim: the order is PAID again, any pharmacy may take it. */
export interface OrderReleasedData {
  fullName: string;
  orderId: string;
  platformOrderId: string;
  pharmacyName: string | null;
  reason: string;
}

export function orderDispensing(locale: Locale, d: OrderDispensingData): EmailContent {
  const until = formatNzDate(d.holdExpiresAt, locale);
  if (locale === 'zh') {
    const where = d.pharmacyName ?? '一家合作药房';
    return {
      subject: `处方 ${d.platformOrderId} 正在配药`,
      greeting: `${d.fullName}，您好：`,
      paragraphs: [
        `${where}已接收处方 ${d.platformOrderId}，正在为患者配药。`,
        `药房须在 ${until} 前提交配药凭证；逾期未提交，订单将失效并全额退款至诊所账户。配药期间无法取消该订单。`,
      ],
      facts: [
        ['处方编号', d.platformOrderId],
        ['药房', where],
        ['配药期限', until],
      ],
      summary: `处方 ${d.platformOrderId} 正在 ${where} 配药。`,
    };
  }
  const where = d.pharmacyName ?? 'a partner pharmacy';
  return {
    subject: `Prescription ${d.platformOrderId} is being dispensed`,
    greeting: `Dear ${d.fullName},`,
    paragraphs: [
      `${where} has claimed prescription ${d.platformOrderId} and is dispensing it for your patient.`,
      `The pharmacy has until ${until} to submit its proof of dispensing; otherwise the order expires and the clinic account is refunded in full. While it is being dispensed the order can no longer be cancelled.`,
    ],
    facts: [
      ['Prescription', d.platformOrderId],
      ['Pharmacy', where],
      ['Dispense by', until],
    ],
    summary: `Prescription ${d.platformOrderId} is being dispensed at ${where}.`,
  };
}

export function orderReleased(locale: Locale, d: OrderReleasedData): EmailContent {
  if (locale === 'zh') {
    const where = d.pharmacyName ?? '药房';
    return {
      subject: `处方 ${d.platformOrderId} 已被药房释放`,
      greeting: `${d.fullName}，您好：`,
      paragraphs: [
        `${where}已停止为处方 ${d.platformOrderId} 配药，原因：${d.reason}。`,
        '该订单已恢复为“已付款”状态，患者可以持同一处方到其他合作药房取药。',
      ],
      facts: [
        ['处方编号', d.platformOrderId],
        ['药房', where],
        ['原因', d.reason],
      ],
      summary: `处方 ${d.platformOrderId} 已被${where}释放：${d.reason}。`,
    };
  }
  const where = d.pharmacyName ?? 'The pharmacy';
  return {
    subject: `Prescription ${d.platformOrderId} was released by the pharmacy`,
    greeting: `Dear ${d.fullName},`,
    paragraphs: [
      `${where} stopped dispensing prescription ${d.platformOrderId}: ${d.reason}.`,
      'The order is PAID again: your patient may take the same prescription to another partner pharmacy.',
    ],
    facts: [
      ['Prescription', d.platformOrderId],
      ['Pharmacy', where],
      ['Reason', d.reason],
    ],
    summary: `Prescription ${d.platformOrderId} was released by ${where}: ${d.reason}.`,
  };
}
