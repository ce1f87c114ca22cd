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
import { PaymentGateway } from './application/ports/payment-gateway';
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
];

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
  constructor(@Inject(PaymentGateway) private readonly payments: PaymentGateway) {}

  static forRoot(options: AccountsCoreOptions = {}): DynamicModule {
    const config = options.config ?? accountsConfigFromEnv();
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
      ],
      providers: [
        {
          provide: AccountsStore,
          useFactory: (prisma: AccountsPrismaService, outbox: Outbox) =>
            new PrismaAccountsStore(prisma, outbox),
          inject: [AccountsPrismaService, Outbox],
        },
        {
          provide: PaymentGateway,
          // The webhook handler needs the gateway (to verify), the sandbox needs the handler (to
          // deliver): resolve the handler at delivery time, not at construction.
          useFactory: (prisma: AccountsPrismaService, moduleRef: ModuleRef) =>
            createPaymentGateway(config.payments, prisma, async (rawBody, signature) => {
              await moduleRef.get(HandlePaymentWebhookHandler).execute({ rawBody, signature });
            }),
          inject: [AccountsPrismaService, ModuleRef],
        },
        ...ACCOUNTS_HANDLERS,
      ],
      exports: [AccountsStore, PaymentGateway, ...ACCOUNTS_HANDLERS],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.payments instanceof SandboxPaymentGateway) await this.payments.start();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.payments instanceof SandboxPaymentGateway) await this.payments.stop();
  }
}
