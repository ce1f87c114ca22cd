import { Injectable } from '@nestjs/common';
import type {
  OrderDispensingV1,
  OrderPaymentFailedV1,
  OrderReleasedV1,
  PayloadOf,
  ProofReviewedV1,
  ProofSubmittedV1,
  SettlementPaidV1,
  TopUpCompletedV1,
  UserApprovedV1,
} from '@prescriptchain/contracts';
import type { PharmacyRecipient, UserRecipient } from '../../domain/recipient';
import { type TemplateData, type TemplateName, renderTemplate } from '../../domain/templates/email-templates';
import type { NotificationsTx, SourceMessage } from '../ports/notifications-store';

/** What one event caused: rows written, and recipients that could not be reached (for the log). */
export interface NotifyResult {
  emails: number;
  inApp: number;
  skipped: string[];
}

/**
 * Turns an event into notifications: chooses the recipients from the directory, renders each one's
 * message in their language, and writes the in-app rows and the pending e-mail deliveries in the
 * consuming transaction. Sending is the dispatcher's job.
 */
@Injectable()
export class NotifyHandler {
  /** identity.user.approved → the user. Not for the bootstrap admin, who approved themselves. */
  async accountApproved(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof UserApprovedV1>,
  ): Promise<NotifyResult> {
    const result = empty();
    if (p.approvedBy === p.userId) return result;
    const user = await tx.findUser(p.userId);
    const recipient: UserRecipient = user ?? {
      userId: p.userId,
      email: p.email,
      fullName: p.fullName,
      role: p.role,
      locale: p.locale,
      status: 'approved',
      pharmacyId: null,
    };
    await this.toUser(tx, source, result, recipient, 'account_approved', (u) => ({
      fullName: u.fullName ?? p.fullName,
      role: p.role,
    }));
    return result;
  }

  /** orders.order.payment_failed → the practitioner who wrote the order. */
  async paymentFailed(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof OrderPaymentFailedV1>,
  ): Promise<NotifyResult> {
    const result = empty();
    const user = await tx.findUser(p.practitionerId);
    if (!user) {
      result.skipped.push(`practitioner ${p.practitionerId} is not in the directory`);
      return result;
    }
    await this.toUser(tx, source, result, user, 'payment_failed', (u) => ({
      fullName: u.fullName ?? '',
      orderId: p.orderId,
      reason: p.reason,
    }));
    return result;
  }

  /**
   * orders.order.dispensing → the practitioner, in the app: a pharmacy claimed the prescription and
   * is dispensing it (only the events listed in this service's README also e-mail; this one does not).
   */
  async orderDispensing(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof OrderDispensingV1>,
  ): Promise<NotifyResult> {
    const pharmacy = await tx.findPharmacy(p.pharmacyId);
    return this.toPractitionerInApp(tx, source, p.practitionerId, 'order_dispensing', (u) => ({
      fullName: u.fullName ?? '',
      orderId: p.orderId,
      platformOrderId: p.platformOrderId,
      pharmacyName: pharmacy?.name ?? null,
      holdExpiresAt: p.holdExpiresAt,
    }));
  }

  /** orders.order.released → the practitioner, in the app: the order is PAID again. */
  async orderReleased(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof OrderReleasedV1>,
  ): Promise<NotifyResult> {
    const pharmacy = await tx.findPharmacy(p.pharmacyId);
    return this.toPractitionerInApp(tx, source, p.practitionerId, 'order_released', (u) => ({
      fullName: u.fullName ?? '',
      orderId: p.orderId,
      platformOrderId: p.platformOrderId,
      pharmacyName: pharmacy?.name ?? null,
      reason: p.reason,
    }));
  }

  /** pharmacy.proof.submitted → every approved admin. */
  async proofSubmitted(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof ProofSubmittedV1>,
  ): Promise<NotifyResult> {
    const result = empty();
    const [admins, pharmacy] = [await tx.approvedAdmins(), await tx.findPharmacy(p.pharmacyId)];
    if (admins.length === 0) result.skipped.push('no approved admin in the directory');
    for (const admin of admins) {
      await this.toUser(tx, source, result, admin, 'proof_submitted', (u) => ({
        fullName: u.fullName ?? '',
        proofId: p.proofId,
        orderId: p.orderId,
        pharmacyId: p.pharmacyId,
        pharmacyName: pharmacy?.name ?? null,
        payoutCents: p.payoutCents,
        fileCount: p.fileCount,
      }));
    }
    return result;
  }

  /** pharmacy.proof.reviewed → the pharmacy's contact address, and its operators in the app. */
  async proofReviewed(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof ProofReviewedV1>,
  ): Promise<NotifyResult> {
    return this.toPharmacy(tx, source, p.pharmacyId, 'proof_reviewed', (name) => ({
      pharmacyName: name,
      proofId: p.proofId,
      orderId: p.orderId,
      decision: p.decision,
      comments: p.comments,
    }));
  }

  /** accounts.settlement.paid → a remittance advice to the pharmacy, and its operators in the app. */
  async settlementPaid(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof SettlementPaidV1>,
  ): Promise<NotifyResult> {
    return this.toPharmacy(tx, source, p.pharmacyId, 'settlement_paid', (name) => ({
      pharmacyName: name,
      settlementId: p.settlementId,
      orderId: p.orderId,
      amountCents: p.amountCents,
      reference: p.reference,
      paidAt: p.paidAt,
    }));
  }

  /** accounts.topup.completed → every approved practitioner of the clinic (e-mail + in-app). */
  async topUpCredited(
    tx: NotificationsTx,
    source: SourceMessage,
    p: PayloadOf<typeof TopUpCompletedV1>,
  ): Promise<NotifyResult> {
    const result = empty();
    const practitioners = await tx.practitionersOf(p.clinicId);
    if (practitioners.length === 0) result.skipped.push(`no approved practitioner of clinic ${p.clinicId} in the directory`);
    for (const user of practitioners) {
      await this.toUser(tx, source, result, user, 'topup_credited', (u) => ({
        fullName: u.fullName ?? '',
        amountCents: p.amountCents,
        method: p.method ?? 'card',
        reference: p.paymentIntentId,
      }));
    }
    return result;
  }

  /** E-mail (when the address is known) and in-app, both in the user's language. */
  private async toUser<K extends TemplateName>(
    tx: NotificationsTx,
    source: SourceMessage,
    result: NotifyResult,
    user: UserRecipient,
    template: K,
    data: (u: UserRecipient) => TemplateData[K],
  ): Promise<void> {
    const message = renderTemplate(template, user.locale, data(user));
    if (await tx.addInApp(source, { userId: user.userId, type: template, ...message.inApp })) result.inApp++;
    if (!user.email) {
      result.skipped.push(`user ${user.userId} has no known e-mail address`);
      return;
    }
    const added = await tx.addEmail(source, {
      to: user.email,
      toName: user.fullName,
      recipientUserId: user.userId,
      recipientPharmacyId: null,
      template,
      locale: user.locale,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    if (added) result.emails++;
  }

  /** In the app only, in the practitioner's language. */
  private async toPractitionerInApp<K extends TemplateName>(
    tx: NotificationsTx,
    source: SourceMessage,
    practitionerId: string,
    template: K,
    data: (u: UserRecipient) => TemplateData[K],
  ): Promise<NotifyResult> {
    const result = empty();
    const user = await tx.findUser(practitionerId);
    if (!user) {
      result.skipped.push(`practitioner ${practitionerId} is not in the directory`);
      return result;
    }
    const message = renderTemplate(template, user.locale, data(user));
    if (await tx.addInApp(source, { userId: user.userId, type: template, ...message.inApp })) result.inApp++;
    return result;
  }

  private async toPharmacy<K extends TemplateName>(
    tx: NotificationsTx,
    source: SourceMessage,
    pharmacyId: string,
    template: K,
    data: (pharmacyName: string) => TemplateData[K],
  ): Promise<NotifyResult> {
    const result = empty();
    const pharmacy: PharmacyRecipient | null = await tx.findPharmacy(pharmacyId);
    if (pharmacy) {
      const message = renderTemplate(template, pharmacy.locale, data(pharmacy.name));
      const added = await tx.addEmail(source, {
        to: pharmacy.contactEmail,
        toName: pharmacy.name,
        recipientUserId: null,
        recipientPharmacyId: pharmacy.pharmacyId,
        template,
        locale: pharmacy.locale,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      if (added) result.emails++;
    } else {
      result.skipped.push(`pharmacy ${pharmacyId} is not in the directory`);
    }
    // Operators read the app in their own language.
    for (const operator of await tx.operatorsOf(pharmacyId)) {
      const message = renderTemplate(template, operator.locale, data(pharmacy?.name ?? pharmacyId));
      if (await tx.addInApp(source, { userId: operator.userId, type: template, ...message.inApp }))
        result.inApp++;
    }
    return result;
  }
}

const empty = (): NotifyResult => ({ emails: 0, inApp: 0, skipped: [] });
