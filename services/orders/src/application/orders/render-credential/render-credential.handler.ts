import { Injectable } from '@nestjs/common';
import type { CredentialFileView, OrderCaller } from '@prescriptchain/contracts';
import { formatMg } from '../../../domain/order/order-money';
import { CredentialsIssuer } from '../../ports/credentials-issuer';
import { CredentialsRenderer } from '../../ports/credentials-renderer';
import { OrdersStore } from '../../ports/orders-store';
import { liveCredential } from '../credential-access';
import { ownedOrNotFound } from '../order-access';

/** GET /orders/:id/credential.png and .pdf (owner): the QR image, the printable prescription. */
@Injectable()
export class RenderCredentialHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly credentials: CredentialsIssuer,
    private readonly renderer: CredentialsRenderer,
  ) {}

  async png(caller: OrderCaller, orderId: string): Promise<CredentialFileView> {
    const order = ownedOrNotFound(caller, await this.store.findById(orderId));
    const credential = liveCredential(order);
    const png = await this.renderer.qrPng(credential.token);
    return {
      contentType: 'image/png',
      fileName: `${credential.platformOrderId}.png`,
      base64: png.toString('base64'),
    };
  }

  async pdf(caller: OrderCaller, orderId: string): Promise<CredentialFileView> {
    const order = ownedOrNotFound(caller, await this.store.findById(orderId));
    const credential = liveCredential(order);
    const o = order.snapshot;
    const names = await this.store.partyNames({ clinicId: o.clinicId, userId: o.practitionerId });
    const pdf = await this.renderer.prescriptionPdf({
      platformOrderId: credential.platformOrderId,
      qrCodeData: credential.token,
      verificationCode: this.credentials.revealVerificationCode(credential),
      issuedAt: credential.issuedAt,
      expiresAt: credential.expiresAt,
      clinicName: names.clinic,
      practitionerName: names.user,
      patientName: o.patient.name,
      packs: o.packs,
      notes: o.notes,
      items: o.lines.map((l) => ({
        name: l.name,
        pinyin: l.pinyin,
        englishName: l.englishName,
        quantity: formatMg(l.quantityMg),
        unit: l.unit,
        processing: l.processing,
        decoctionMethod: l.decoctionMethod,
        dosageInstructions: l.dosageInstructions,
      })),
    });
    return {
      contentType: 'application/pdf',
      fileName: `${credential.platformOrderId}.pdf`,
      base64: pdf.toString('base64'),
    };
  }
}
