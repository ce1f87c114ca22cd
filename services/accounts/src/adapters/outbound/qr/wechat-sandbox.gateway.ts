import type { CreatePaymentRequest, PaymentHandle } from '../../../application/ports/payment-gateway';
import type { AccountsPrismaService } from '../prisma/accounts-prisma.service';
import { SandboxSettler, type QrNoticeDelivery } from './sandbox-settler';
import { sandboxKeyPair, sandboxSecret } from './sandbox-keys';
import { PrismaSimOrderStore, type SimOrderStore } from './sim-order.store';
import { WechatPayQrGateway } from './wechat-qr.gateway';
import { WechatSim } from './wechat-sim';

export const WECHAT_SANDBOX = {
  mchid: '1900000109',
  appid: 'wx0000sandbox0000',
  merchantSerial: 'SANDBOX_MERCHANT_SERIAL',
  platformSerial: 'PUB_KEY_ID_SANDBOX',
};

/**
 * WeChat Pay Native offline: the real adapter, SDK included — every API v3 request signed with the
 * merchant key and checked by WechatSim, every answer signed with the platform key and verified by
 * the SDK, notices verified and decrypted the same way — with the network replaced by an in-process
 * call to WechatSim over `sandbox_qr_order`. Its merchant, platform and APIv3 keys are generated
 * locally on first use; payments are settled after
 * PAYMENTS_SANDBOX_SETTLE_MS by a signed, encrypted TRANSACTION.SUCCESS notice delivered to the same
 * notice path as WeChat Pay's. Development and tests only.
 */
export class WechatSandboxGateway extends WechatPayQrGateway {
  override readonly provider = 'sandbox';
  readonly settler: SandboxSettler;

  private constructor(
    readonly sim: WechatSim,
    readonly store: SimOrderStore,
    keys: { merchantPrivateKey: string; platformPublicKey: string; apiV3Key: string },
    options: { deliver: QrNoticeDelivery; settleAfterMs: number | null; notifyUrl: string | null; retryDelaysMs?: readonly number[] },
  ) {
    super({
      mchid: WECHAT_SANDBOX.mchid,
      appid: WECHAT_SANDBOX.appid,
      merchantSerial: WECHAT_SANDBOX.merchantSerial,
      privateKey: keys.merchantPrivateKey,
      platformSerial: WECHAT_SANDBOX.platformSerial,
      platformCert: keys.platformPublicKey,
      apiV3Key: keys.apiV3Key,
      notifyUrl: options.notifyUrl,
      inProcess: (request) => sim.serve(request),
    });
    this.settler = new SandboxSettler({ method: 'wechat', sim, store, ...options });
  }

  static async create(
    prisma: AccountsPrismaService,
    options: { deliver: QrNoticeDelivery; settleAfterMs: number | null; notifyUrl?: string | null; retryDelaysMs?: readonly number[] },
  ): Promise<WechatSandboxGateway> {
    const [merchant, platform, apiV3Key] = await Promise.all([
      sandboxKeyPair(prisma, 'wechat-merchant'),
      sandboxKeyPair(prisma, 'wechat-platform'),
      sandboxSecret(prisma, 'wechat-apiv3'),
    ]);
    const store = new PrismaSimOrderStore(prisma);
    const sim = new WechatSim({
      ...WECHAT_SANDBOX,
      apiV3Key,
      platformPrivateKey: platform.privateKey,
      store,
      merchant: { serial: WECHAT_SANDBOX.merchantSerial, publicKey: merchant.publicKey },
    });
    return new WechatSandboxGateway(
      sim,
      store,
      { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey, apiV3Key },
      { ...options, notifyUrl: options.notifyUrl ?? null },
    );
  }

  override createPayment(request: CreatePaymentRequest): Promise<PaymentHandle> {
    return this.settler.creating(request.reference, () => super.createPayment(request));
  }
}
