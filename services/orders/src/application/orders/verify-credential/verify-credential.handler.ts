import { Injectable } from '@nestjs/common';
import {
  CodedError,
  type CredentialJwk,
  type VerifiedCredentialView,
  parsePlatformOrderId,
} from '@prescriptchain/contracts';
import type { Order } from '../../../domain/order/order.entity';
import { CredentialsIssuer } from '../../ports/credentials-issuer';
import { OrdersStore } from '../../ports/orders-store';
import { Clock } from '../clock';

export type VerifyCredentialInput =
  { qrCodeData: string } | { platformOrderId: string; verificationCode: string };

/**
 * For pharmacy: which order a scanned QR token, or a typed platformOrderId + verification code,
 * names. Forged, expired, unknown or mistyped → INVALID_CREDENTIAL, with no hint which.
 */
@Injectable()
export class VerifyCredentialHandler {
  constructor(
    private readonly store: OrdersStore,
    private readonly credentials: CredentialsIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(input: VerifyCredentialInput): Promise<VerifiedCredentialView> {
    let order: Order | null;
    if ('qrCodeData' in input) {
      const claims = await this.credentials.verifyToken(input.qrCodeData);
      order = await this.store.findById(claims.oid);
      if (order?.credential?.platformOrderId !== claims.pid) order = null;
    } else {
      const platformOrderId = parsePlatformOrderId(input.platformOrderId);
      order = platformOrderId ? await this.store.findByPlatformOrderId(platformOrderId) : null;
      if (
        order?.credential &&
        !this.credentials.verificationCodeMatches(order.id, order.credential, input.verificationCode)
      ) {
        order = null;
      }
    }
    const credential = order?.credential;
    if (!order || !credential || credential.expiresAt <= this.clock.now())
      throw new CodedError('INVALID_CREDENTIAL');
    return {
      orderId: order.id,
      platformOrderId: credential.platformOrderId,
      status: order.status,
      expiresAt: credential.expiresAt.toISOString(),
    };
  }

  publicKeys(): Promise<CredentialJwk[]> {
    return this.credentials.publicKeys();
  }
}
