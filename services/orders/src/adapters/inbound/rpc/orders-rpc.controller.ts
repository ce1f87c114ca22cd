import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CancelOrderRequestSchema,
  CheckOrderRequestSchema,
  ClaimOrderRequestSchema,
  CreateOrderRequestSchema,
  ListOrdersRequestSchema,
  ORDERS_RPC,
  OrderIdRequestSchema,
  ReleaseClaimRequestSchema,
  ReviewOrderRequestSchema,
  SubmitForReviewRequestSchema,
  VerifyCredentialRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { CancelOrderHandler } from '../../../application/orders/cancel-order/cancel-order.handler';
import { CheckOrderHandler } from '../../../application/orders/check-order/check-order.handler';
import { ClaimOrderHandler } from '../../../application/orders/claim-order/claim-order.handler';
import { CreateOrderHandler } from '../../../application/orders/create-order/create-order.handler';
import { GetCredentialHandler } from '../../../application/orders/get-credential/get-credential.handler';
import { GetOrderHandler } from '../../../application/orders/get-order/get-order.handler';
import { ListOrdersHandler } from '../../../application/orders/list-orders/list-orders.handler';
import { ReleaseClaimHandler } from '../../../application/orders/release-claim/release-claim.handler';
import { RenderCredentialHandler } from '../../../application/orders/render-credential/render-credential.handler';
import { RetryPaymentHandler } from '../../../application/orders/retry-payment/retry-payment.handler';
import { ReviewOrderHandler } from '../../../application/orders/review-order/review-order.handler';
import { SubmitForReviewHandler } from '../../../application/orders/submit-for-review/submit-for-review.handler';
import { SubmitOrderHandler } from '../../../application/orders/submit-order/submit-order.handler';
import { VerifyCredentialHandler } from '../../../application/orders/verify-credential/verify-credential.handler';

/** `orders.orders.*` and `orders.credentials.*`: the contract is parsed here, the use cases scope by caller. */
@Controller()
export class OrdersRpcController {
  constructor(
    private readonly createOrder: CreateOrderHandler,
    private readonly checkOrder: CheckOrderHandler,
    private readonly submitOrder: SubmitOrderHandler,
    private readonly retryPaymentHandler: RetryPaymentHandler,
    private readonly cancelOrder: CancelOrderHandler,
    private readonly getOrder: GetOrderHandler,
    private readonly listOrders: ListOrdersHandler,
    private readonly getCredentialHandler: GetCredentialHandler,
    private readonly renderCredential: RenderCredentialHandler,
    private readonly claimOrder: ClaimOrderHandler,
    private readonly releaseClaimHandler: ReleaseClaimHandler,
    private readonly submitForReviewHandler: SubmitForReviewHandler,
    private readonly reviewOrder: ReviewOrderHandler,
    private readonly verifyCredentialHandler: VerifyCredentialHandler,
  ) {}

  @MessagePattern(ORDERS_RPC.create)
  create(@Payload() data: unknown) {
    return this.createOrder.execute(parseRequest(CreateOrderRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.check)
  check(@Payload() data: unknown) {
    return this.checkOrder.execute(parseRequest(CheckOrderRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.submit)
  submit(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.submitOrder.execute(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.retryPayment)
  retryPayment(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.retryPaymentHandler.execute(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.cancel)
  cancel(@Payload() data: unknown) {
    const { caller, orderId, reason } = parseRequest(CancelOrderRequestSchema, data);
    return this.cancelOrder.execute(caller, orderId, reason);
  }

  @MessagePattern(ORDERS_RPC.get)
  get(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.getOrder.execute(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.list)
  list(@Payload() data: unknown) {
    const { caller, ...query } = parseRequest(ListOrdersRequestSchema, data);
    return this.listOrders.execute(caller, query);
  }

  @MessagePattern(ORDERS_RPC.getCredential)
  getCredential(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.getCredentialHandler.execute(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.credentialPng)
  credentialPng(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.renderCredential.png(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.credentialPdf)
  credentialPdf(@Payload() data: unknown) {
    const { caller, orderId } = parseRequest(OrderIdRequestSchema, data);
    return this.renderCredential.pdf(caller, orderId);
  }

  @MessagePattern(ORDERS_RPC.claim)
  claim(@Payload() data: unknown) {
    const { orderId, pharmacyId, declaredPayoutCents } = parseRequest(ClaimOrderRequestSchema, data);
    return this.claimOrder.execute({ orderId, pharmacyId, declaredPayoutCents });
  }

  @MessagePattern(ORDERS_RPC.releaseClaim)
  releaseClaim(@Payload() data: unknown) {
    return this.releaseClaimHandler.execute(parseRequest(ReleaseClaimRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.submitForReview)
  submitForReview(@Payload() data: unknown) {
    return this.submitForReviewHandler.execute(parseRequest(SubmitForReviewRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.review)
  review(@Payload() data: unknown) {
    return this.reviewOrder.execute(parseRequest(ReviewOrderRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.verifyCredential)
  verifyCredential(@Payload() data: unknown) {
    return this.verifyCredentialHandler.execute(parseRequest(VerifyCredentialRequestSchema, data));
  }

  @MessagePattern(ORDERS_RPC.jwks)
  async jwks() {
    return { keys: await this.verifyCredentialHandler.publicKeys() };
  }
}
