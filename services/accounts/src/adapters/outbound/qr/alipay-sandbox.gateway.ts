import type { CreatePaymentRequest, PaymentHandle } from '../../../application/ports/payment-gateway';
import type { AccountsPrismaService } from '../prisma/accounts-prisma.service';
import { AlipayQrGateway } from './alipay-qr.gateway';
import { AlipaySim } from './alipay-sim';
import { SandboxSettler, type QrNoticeDelivery } from './sandbox-settler';
import { sandboxKeyPair } from './sandbox-keys';
import { PrismaSimOrderStore, type SimOrderStore } from './sim-order.store';

export const ALIPAY_SANDBOX_APP_ID = '2021000000000000';

/**
 * Alipay Face-to-Face offline: the real adapter (same SDK verification of notices, same parsing of
 * answers) whose OpenAPI calls are answered in-process by AlipaySim over `sandbox_qr_order`. Its keys
 * (our app key and "Alipay's") are generated locally on first use; payments are settled after
 * PAYMENTS_SANDBOX_SETTLE_MS with an RSA2-signed `trade_status_sync` notice delivered to the same
 * notice path as Alipay's. Development and tests only.
 */
export class AlipaySandboxGateway extends AlipayQrGateway {
  override readonly provider = 'sandbox';
  readonly settler: SandboxSettler;

  private constructor(
    readonly sim: AlipaySim,
    readonly store: SimOrderStore,
    keys: { app: { privateKey: string }; alipay: { publicKey: string } },
    options: { deliver: QrNoticeDelivery; settleAfterMs: number | null; notifyUrl: string | null; retryDelaysMs?: readonly number[] },
  ) {
    super({
      appId: ALIPAY_SANDBOX_APP_ID,
      privateKey: keys.app.privateKey,
      alipayPublicKey: keys.alipay.publicKey,
      notifyUrl: options.notifyUrl,
    });
    this.settler = new SandboxSettler({ method: 'alipay', sim, store, ...options });
  }

  static async create(
    prisma: AccountsPrismaService,
    options: { deliver: QrNoticeDelivery; settleAfterMs: number | null; notifyUrl?: string | null; retryDelaysMs?: readonly number[] },
  ): Promise<AlipaySandboxGateway> {
    const [app, alipay] = await Promise.all([sandboxKeyPair(prisma, 'alipay-app'), sandboxKeyPair(prisma, 'alipay-platform')]);
    const store = new PrismaSimOrderStore(prisma);
    const sim = new AlipaySim({ appId: ALIPAY_SANDBOX_APP_ID, alipayPrivateKey: alipay.privateKey, store });
    return new AlipaySandboxGateway(sim, store, { app, alipay }, { ...options, notifyUrl: options.notifyUrl ?? null });
  }

  override createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    return this.settler.creating(request.reference, () => super.createPayment(request));
  }

  protected override async exec(method: string, bizContent: Record<string, unknown>): Promise<Record<string, string>> {
    return this.sim.call(method, bizContent, this.options.notifyUrl);
  }
}
