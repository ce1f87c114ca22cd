import type { Locale } from '../locale';
import { formatMoney } from '../money';
import type { EmailContent } from './layout';

/** A clinic's practitioners hear that money reached the clinic account. */
export interface TopUpCreditedData {
  fullName: string;
  amountCents: number;
  method: 'card' | 'alipay' | 'wechat';
  reference: string;
}

const METHOD: Record<Locale, Record<TopUpCreditedData['method'], string>> = {
  en: { card: 'card', alipay: 'Alipay', wechat: 'WeChat Pay' },
  zh: { card: '银行卡', alipay: '支付宝', wechat: '微信支付' },
};

export function topUpCredited(locale: Locale, d: TopUpCreditedData): EmailContent {
  const amount = formatMoney(d.amountCents);
  if (locale === 'zh') {
    return {
      subject: `诊所账户已充值 ${amount}`,
      greeting: d.fullName ? `${d.fullName}，您好：` : '您好：',
      paragraphs: [`您所在诊所的预付账户已通过${METHOD.zh[d.method]}充值成功，款项现已可用于开具处方。`],
      facts: [
        ['金额', amount],
        ['支付方式', METHOD.zh[d.method]],
        ['支付参考号', d.reference],
      ],
      closing: ['如非本诊所成员操作，请立即联系我们。'],
      summary: `诊所账户已通过${METHOD.zh[d.method]}充值 ${amount}。`,
    };
  }
  return {
    subject: `Clinic account topped up: ${amount}`,
    greeting: d.fullName ? `Dear ${d.fullName},` : 'Hello,',
    paragraphs: [`Your clinic's prepaid account has been topped up by ${METHOD.en[d.method]}; the money is available for prescriptions now.`],
    facts: [
      ['Amount', amount],
      ['Paid with', METHOD.en[d.method]],
      ['Payment reference', d.reference],
    ],
    closing: ['If nobody at your clinic made this payment, contact us at once.'],
    summary: `${amount} added to your clinic account by ${METHOD.en[d.method]}.`,
  };
}
