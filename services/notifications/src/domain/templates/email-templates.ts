import type { Locale } from '../locale';
import { type AccountApprovedData, accountApproved } from './account-approved.template';
import { type RenderedMessage, render } from './layout';
import {
  type OrderDispensingData,
  type OrderReleasedData,
  orderDispensing,
  orderReleased,
} from './order-dispensing.template';
import { type PaymentFailedData, paymentFailed } from './payment-failed.template';
import { type ProofReviewedData, proofReviewed } from './proof-reviewed.template';
import { type ProofSubmittedData, proofSubmitted } from './proof-submitted.template';
import { type SettlementPaidData, settlementPaid } from './settlement-paid.template';

/** Every message people receive, by template name, with the data each one needs. */
export interface TemplateData {
  account_approved: AccountApprovedData;
  payment_failed: PaymentFailedData;
  proof_submitted: ProofSubmittedData;
  proof_reviewed: ProofReviewedData;
  settlement_paid: SettlementPaidData;
  order_dispensing: OrderDispensingData;
  order_released: OrderReleasedData;
}
export type TemplateName = keyof TemplateData;

const TEMPLATES: {
  [K in TemplateName]: (locale: Locale, data: TemplateData[K]) => ReturnType<typeof accountApproved>;
} = {
  account_approved: accountApproved,
  payment_failed: paymentFailed,
  proof_submitted: proofSubmitted,
  proof_reviewed: proofReviewed,
  settlement_paid: settlementPaid,
  order_dispensing: orderDispensing,
  order_released: orderReleased,
};

/** Subject, plain text, HTML and the in-app title/body, in the recipient's language. */
export function renderTemplate<K extends TemplateName>(
  name: K,
  locale: Locale,
  data: TemplateData[K],
): RenderedMessage {
  return render(locale, TEMPLATES[name](locale, data));
}

export type { RenderedMessage } from './layout';
