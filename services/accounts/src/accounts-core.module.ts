import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Outbox } from '@prescriptchain/messaging';
import { type AccountsConfig, accountsConfigFromEnv } from './accounts.config';
import { type QrPaymentsConfig, qrPaymentsConfigFromEnv } from './qr-payments.config';
import { PaymentSessionsController } from './adapters/inbound/rpc/payment-sessions.controller';
import { ReconcilePaymentsPoller } from './adapters/inbound/scheduler/reconcile-payments.poller';
import { AlipayQrGateway } from './adapters/outbound/qr/alipay-qr.gateway';
import { AlipaySandboxGateway } from './adapters/outbound/qr/alipay-sandbox.gateway';
import { type QrNoticeDelivery, httpQrNoticeDelivery } from './adapters/outbound/qr/sandbox-settler';
import { WechatPayQrGateway } from './adapters/outbound/qr/wechat-qr.gateway';
import { WechatSandboxGateway } from './adapters/outbound/qr/wechat-sandbox.gateway';
import { ApplyProviderPayment } from './application/payment-sessions/apply-provider-payment';
import {
  CancelPaymentSessionHandler,
  CreateQrSessionHandler,
  GetPaymentSessionHandler,
  HandleQrNoticeHandler,
  ReconcilePaymentSessionsHandler,
} from './application/payment-sessions/payment-sessions.handlers';
import { QrSessionSettings } from './application/payment-sessions/qr-settings';
import { ClinicCreatedConsumer } from './adapters/inbound/amqp/clinic-created.consumer';
import { DebitRequestedConsumer } from './adapters/inbound/amqp/debit-requested.consumer';
import { OrderFulfilledConsumer } from './adapters/inbound/amqp/order-fulfilled.consumer';
import { RefundRequestedConsumer } from './adapters/inbound/amqp/refund-requested.consumer';
import { ClinicAccountsController } from './adapters/inbound/rpc/clinic-accounts.controller';
import { PaymentsController } from './adapters/inbound/rpc/payments.controller';
import { SettlementsController } from './adapters/inbound/rpc/settlements.controller';
import { AccountsPrismaService } from './adapters/outbound/prisma/accounts-prisma.service';
import { PrismaAccountsStore } from './adapters/outbound/prisma/prisma-accounts.store';
import {
  SandboxPaymentGateway,
  type WebhookDelivery,
  httpWebhookDelivery,
} from './adapters/outbound/sandbox/sandbox-payment.gateway';
import { StripePaymentGateway } from './adapters/outbound/stripe/stripe-payment.gateway';
import { AdjustBalanceHandler } from './application/adjust-balance/adjust-balance.handler';
import { CreateRechargeIntentHandler } from './application/create-recharge-intent/create-recharge-intent.handler';
import { DebitOrderHandler } from './application/debit-order/debit-order.handler';
import { GetAccountHandler } from './application/get-account/get-account.handler';
import { GetPharmacySettlementsHandler } from './application/get-pharmacy-settlements/get-pharmacy-settlements.handler';
import { HandlePaymentWebhookHandler } from './application/handle-payment-webhook/handle-payment-webhook.handler';
import { ListLedgerHandler } from './application/list-ledger/list-ledger.handler';
import { ListSettlementsHandler } from './application/list-settlements/list-settlements.handler';
import { MarkSettlementPaidHandler } from './application/mark-settlement-paid/mark-settlement-paid.handler';
import { OpenAccountHandler } from './application/open-account/open-account.handler';
import { OpenSettlementHandler } from './application/open-settlement/open-settlement.handler';
import { AccountsStore } from './application/ports/accounts-store';
import { type PaymentGateway, PaymentGateways, StaticPaymentGateways } from './application/ports/payment-gateway';
import { RefundOrderHandler } from './application/refund-order/refund-order.handler';
import { UpdateAccountHandler } from './application/update-account/update-account.handler';

export const ACCOUNTS_HANDLERS = [
  OpenAccountHandler,
  DebitOrderHandler,
  RefundOrderHandler,
  OpenSettlementHandler,
  GetAccountHandler,
  ListLedgerHandler,
  AdjustBalanceHandler,
  UpdateAccountHandler,
  CreateRechargeIntentHandler,
  HandlePaymentWebhookHandler,
  ListSettlementsHandler,
  MarkSettlementPaidHandler,
  GetPharmacySettlementsHandler,
  ApplyProviderPayment,
  CreateQrSessionHandler,
  GetPaymentSessionHandler,
  CancelPaymentSessionHandler,
  HandleQrNoticeHandler,
  ReconcilePaymentSessionsHandler,
];

/**
 * The scan-to-pay gateways ALIPAY_PROVIDER / WECHATPAY_PROVIDER ask for: the real adapter, the
 * sandbox (its notices to PAYMENTS_NOTIFY_BASE_URL when set, else straight to the notice use case
 * in this process), or none (`off`).
 */
export async function createQrPaymentGateways(
  config: QrPaymentsConfig,
  prisma: AccountsPrismaService,
  inProcessDelivery: QrNoticeDelivery,
): Promise<PaymentGateway[]> {
  const notifyUrl = (method: string) => (config.notifyBaseUrl ? `${config.notifyBaseUrl}/payments/${method}/notify` : null);
  const deliver = config.notifyBaseUrl ? httpQrNoticeDelivery(config.notifyBaseUrl) : inProcessDelivery;
  const gateways: PaymentGateway[] = [];
  if (config.alipay.mode === 'alipay')
    gateways.push(new AlipayQrGateway({ ...config.alipay, notifyUrl: notifyUrl('alipay') }));
  else if (config.alipay.mode === 'sandbox')
    gateways.push(await AlipaySandboxGateway.create(prisma, { deliver, settleAfterMs: config.sandboxSettleMs, notifyUrl: notifyUrl('alipay') }));
  if (config.wechat.mode === 'wechat')
    gateways.push(
      new WechatPayQrGateway({
        ...config.wechat,
        platformCert: config.wechat.platformCert,
        baseUrl: config.wechat.apiUrl,
        notifyUrl: notifyUrl('wechat'),
      }),
    );
  else if (config.wechat.mode === 'sandbox')
    gateways.push(await WechatSandboxGateway.create(prisma, { deliver, settleAfterMs: config.sandboxSettleMs, notifyUrl: notifyUrl('wechat') }));
  return gateways;
}

/**
 * Stripe with PAYMENT_PROVIDER=stripe; the sandbox (development and test only), whose signed events
 * go to PAYMENTS_WEBHOOK_URL when set, else straight to the webhook use case in this process.
 */
export function createPaymentGateway(
  config: AccountsConfig['payments'],
  prisma: AccountsPrismaService,
  inProcessDelivery: WebhookDelivery,
): PaymentGateway {
  if (config.provider === 'stripe') {
    if (!config.stripeSecretKey) throw new Error('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY');
    return new StripePaymentGateway({
      secretKey: config.stripeSecretKey,
      webhookSecret: config.webhookSecret,
      api: config.stripeApi ?? undefined,
    });
  }
  return new SandboxPaymentGateway({
    prisma,
    webhookSecret: config.webhookSecret,
    deliver: config.webhookUrl ? httpWebhookDelivery(config.webhookUrl) : inProcessDelivery,
    settleAfterMs: config.sandboxSettleMs,
  });
}

export interface AccountsCoreOptions {
  /** Default: from process.env. */
  config?: AccountsConfig;
}

/**
 * Accounts' use cases, consumers, RPC controllers and adapters. Needs AccountsPrismaService and the
 * messaging kit's Outbox from global modules (AccountsPrismaModule, MessagingModule.forService).
 */
@Module({})
export class AccountsCoreModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PaymentGateways) private readonly gateways: PaymentGateways,
    @Inject(ReconcilePaymentsPoller) private readonly reconciler: ReconcilePaymentsPoller,
  ) {}

  static forRoot(options: AccountsCoreOptions = {}): DynamicModule {
    const config = options.config ?? accountsConfigFromEnv();
    const qr = config.qr ?? qrPaymentsConfigFromEnv({});
    return {
      module: AccountsCoreModule,
      controllers: [
        ClinicCreatedConsumer,
        DebitRequestedConsumer,
        RefundRequestedConsumer,
        OrderFulfilledConsumer,
        ClinicAccountsController,
        PaymentsController,
        SettlementsController,
        PaymentSessionsController,
      ],
      providers: [
        {
          provide: AccountsStore,
          useFactory: (prisma: AccountsPrismaService, outbox: Outbox) =>
            new PrismaAccountsStore(prisma, outbox),
          inject: [AccountsPrismaService, Outbox],
        },
        {
          provide: PaymentGateways,
          // The notice handlers need the gateways (to verify), the sandboxes need the handlers (to
          // deliver): resolve the handler at delivery time, not at construction.
          useFactory: async (prisma: AccountsPrismaService, moduleRef: ModuleRef) =>
            new StaticPaymentGateways([
              createPaymentGateway(config.payments, prisma, async (rawBody, signature) => {
                await moduleRef.get(HandlePaymentWebhookHandler).execute({ rawBody, signature });
              }),
              ...(await createQrPaymentGateways(qr, prisma, async (method, notice) => {
                await moduleRef.get(HandleQrNoticeHandler).execute({ method, ...notice });
              })),
            ]),
          inject: [AccountsPrismaService, ModuleRef],
        },
        {
          provide: QrSessionSettings,
          useValue: { ttlMinutes: qr.ttlMinutes, reconcileAfterMs: qr.reconcileAfterMs } satisfies QrSessionSettings,
        },
        {
          provide: ReconcilePaymentsPoller,
          useFactory: (job: ReconcilePaymentSessionsHandler) => new ReconcilePaymentsPoller(job, qr.reconcileIntervalMs),
          inject: [ReconcilePaymentSessionsHandler],
        },
        ...ACCOUNTS_HANDLERS,
      ],
      exports: [AccountsStore, PaymentGateways, ...ACCOUNTS_HANDLERS],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const s of this.sandboxSettlers()) await s.start();
    this.reconciler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.reconciler.stop();
    for (const s of this.sandboxSettlers().reverse()) await s.stop();
  }

  /** The sandboxes' settlement timers (the composition root knows its adapters; the use cases do not). */
  private sandboxSettlers(): { start(): Promise<void>; stop(): Promise<void> }[] {
    return this.gateways.all().flatMap((g): { start(): Promise<void>; stop(): Promise<void> }[] =>
      g instanceof SandboxPaymentGateway ? [g] : g instanceof AlipaySandboxGateway || g instanceof WechatSandboxGateway ? [g.settler] : [],
    );
  }
}
