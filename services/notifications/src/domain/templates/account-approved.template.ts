import type { Locale } from '../locale';
import type { UserRole } from '../recipient';
import type { EmailContent } from './layout';

export interface AccountApprovedData {
  fullName: string;
  role: UserRole;
}

const ROLE: Record<Locale, Record<UserRole, string>> = {
  en: { practitioner: 'practitioner', pharmacy_operator: 'pharmacy operator', admin: 'administrator' },
  zh: { practitioner: '中医师', pharmacy_operator: '药房操作员', admin: '管理员' },
};

export function accountApproved(locale: Locale, d: AccountApprovedData): EmailContent {
  if (locale === 'zh') {
    return {
      subject: '您的 PrescriptChain 账户已获批准',
      greeting: `${d.fullName}，您好：`,
      paragraphs: [
        `管理员已批准您的 PrescriptChain 账户。您现在可以登录，并以${ROLE.zh[d.role]}身份使用平台。`,
      ],
      facts: [],
      summary: '您的账户已获批准，现在可以登录使用。',
    };
  }
  return {
    subject: 'Your PrescriptChain account is approved',
    greeting: `Dear ${d.fullName},`,
    paragraphs: [
      `An administrator has approved your PrescriptChain account. You can now sign in and use the platform as a ${ROLE.en[d.role]}.`,
    ],
    facts: [],
    summary: 'Your account is approved; you can now sign in.',
  };
}
