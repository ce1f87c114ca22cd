import { Logger, Module } from '@nestjs/common';
import { PiiCipher, VerificationCodeHmac } from '@prescriptchain/messaging';
import { DebitResultsConsumer } from './adapters/inbound/amqp/debit-results.consumer';
import { PartyNamesConsumer } from './adapters/inbound/amqp/party-names.consumer';
import { OrdersDeadlinesPoller } from './adapters/inbound/scheduler/orders-deadlines.poller';
import { OrdersRpcController } from './adapters/inbound/rpc/orders-rpc.controller';
import { JoseCredentialsIssuer } from './adapters/outbound/credentials/jose-credentials.issuer';
import { PdfCredentialsRenderer } from './adapters/outbound/credentials/pdf-credentials.renderer';
import { CredentialKeyStore } from './adapters/outbound/prisma/credential-key.store';
import { PrismaOrdersStore } from './adapters/outbound/prisma/prisma-orders.store';
import { CancelOrderHandler } from './application/orders/cancel-order/cancel-order.handler';
import { CheckOrderHandler } from './application/orders/check-order/check-order.handler';
import { ClaimOrderHandler } from './application/orders/claim-order/claim-order.handler';
import { Clock } from './application/orders/clock';
import { CreateOrderHandler } from './application/orders/create-order/create-order.handler';
import { EnforceDeadlinesHandler } from './application/orders/enforce-deadlines/enforce-deadlines.handler';
import { GetCredentialHandler } from './application/orders/get-credential/get-credential.handler';
import { GetOrderHandler } from './application/orders/get-order/get-order.handler';
import { ListOrdersHandler } from './application/orders/list-orders/list-orders.handler';
import { OrderPricing } from './application/orders/order-pricing';
import { OrdersConfig } from './application/orders/orders-config';
import { RecordDebitResultHandler } from './application/orders/record-debit-result/record-debit-result.handler';
import { RecordPartyNameHandler } from './application/orders/record-party-name/record-party-name.handler';
import { ReleaseClaimHandler } from './application/orders/release-claim/release-claim.handler';
import { RenderCredentialHandler } from './application/orders/render-credential/render-credential.handler';
import { RetryPaymentHandler } from './application/orders/retry-payment/retry-payment.handler';
import { ReviewOrderHandler } from './application/orders/review-order/review-order.handler';
import { SubmitForReviewHandler } from './application/orders/submit-for-review/submit-for-review.handler';
import { SubmitOrderHandler } from './application/orders/submit-order/submit-order.handler';
import { VerifyCredentialHandler } from './application/orders/verify-credential/verify-credential.handler';
import { CredentialsIssuer } from './application/ports/credentials-issuer';
import { CredentialsRenderer } from './application/ports/credentials-renderer';
import { OrdersStore } from './application/ports/orders-store';
import { CatalogueModule } from './catalogue.module';

export const ORDER_HANDLERS = [
  CreateOrderHandler,
  CheckOrderHandler,
  SubmitOrderHandler,
  RetryPaymentHandler,
  CancelOrderHandler,
  GetOrderHandler,
  ListOrdersHandler,
  GetCredentialHandler,
  RenderCredentialHandler,
  RecordDebitResultHandler,
  ClaimOrderHandler,
  ReleaseClaimHandler,
  SubmitForReviewHandler,
  ReviewOrderHandler,
  EnforceDeadlinesHandler,
  VerifyCredentialHandler,
  RecordPartyNameHandler,
];

/**
 * Orders, the payment saga, credentials and the deadline jobs: `orders.orders.*` and
 * `orders.credentials.*` RPC, accounts' debit results and identity's names as events. Needs the
 * global OrdersPrismaService (OrdersPrismaModule.forRoot) and Outbox (MessagingModule.forService);
 * prices against the CatalogueModule's MedicineCatalogue.
 */
@Module({
  imports: [CatalogueModule],
  controllers: [OrdersRpcController, DebitResultsConsumer, PartyNamesConsumer],
  providers: [
    { provide: OrdersConfig, useFactory: () => OrdersConfig.fromEnv() },
    Clock,
    {
      provide: PiiCipher,
      useFactory: () => PiiCipher.fromEnv(process.env, (m) => new Logger('Orders').warn(m)),
    },
    {
      provide: VerificationCodeHmac,
      useFactory: () => VerificationCodeHmac.fromEnv(process.env, (m) => new Logger('Orders').warn(m)),
    },
    { provide: OrdersStore, useClass: PrismaOrdersStore },
    CredentialKeyStore,
    { provide: CredentialsIssuer, useClass: JoseCredentialsIssuer },
    { provide: CredentialsRenderer, useFactory: () => new PdfCredentialsRenderer() },
    OrderPricing,
    ...ORDER_HANDLERS,
    OrdersDeadlinesPoller,
  ],
})
export class OrderingModule {}
