import { Injectable } from '@nestjs/common';
import type { CredentialView, OrderCaller } from '@prescriptchain/contracts';
import { CredentialsIssuer } from '../../ports/credentials-issuer';
import { OrdersStore } from '../../ports/orders-store';
import { liveCredential } from '../credential-access';
import { ownedOrNotFound } from '../order-access';

/** GET /orders/:id/credential (owner): the QR token and the verification code to print or pass on. */
@Injectable()
export class GetCredentialHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly credentials: CredentialsIssuer,
  ) {}

  async execute(caller: OrderCaller, orderId: string): Promise<CredentialView> {
    const order = ownedOrNotFound(caller, await this.store.findById(orderId));
    const credential = liveCredential(order);
    return {
      orderId: order.id,
      platformOrderId: credential.platformOrderId,
      qrCodeData: credential.token,
      verificationCode: this.credentials.revealVerificationCode(credential),
      expiresAt: credential.expiresAt.toISOString(),
    };
  }
}
