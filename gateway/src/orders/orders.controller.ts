import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  type CheckOrderRequest,
  ClinicAccountViewSchema,
  type CreateOrderRequest,
  type GetAccountRequest,
  type ListOrdersRequest,
  ORDERS_RPC,
  OrderCheckViewSchema,
  type OrderIdRequest,
  OrderListViewSchema,
  type OrderView,
  OrderViewSchema,
  requestHash,
} from '@prescriptchain/contracts';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { GatewayConfig } from '../gateway.config';
import { Page } from '../http/envelope';
import { IdempotencyKey } from '../http/idempotency-key';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { OrderOutcomeWaiter } from './order-outcome.waiter';
import { paymentFailedError, presentOrderCheck, presentOrder } from './orders.presenter';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;
type Reply = ServerResponse & { status(code: number): unknown };

/**
 * Orders and their payment. orders checks ownership, clinic membership and every state move; the
 * gateway's part is the wait for the payment saga's outcome (ROUTES.createOrder: 201 paid, 402 refused, 202
 * still pending after ORDER_WAIT_MS) and the formatting.
 */
@Controller()
export class OrdersController {
  constructor(
    private readonly rpc: BackendRpc,
    private readonly outcomes: OrderOutcomeWaiter,
    private readonly config: GatewayConfig,
  ) {}

  @Route(ROUTES.createOrder)
  async create(
    @Body() body: In<'createOrder', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Reply,
  ) {
    const request: CreateOrderRequest = {
      ...body,
      caller: scopedCallerOf(principal),
      idempotencyKey,
      // The validated body (defaults applied, quantities canonical): the same order asked twice hashes the same.
      requestHash: requestHash(body),
    };
    return this.answerPayment(await this.order(ORDERS_RPC.create, request), principal, res);
  }

  /**
   * Prices and checks the formula (orders, which also checks the caller prescribes for the clinic),
   * then reads the clinic account's available amount (accounts); nothing is written.
   */
  @Route(ROUTES.checkOrder)
  async check(@Body() body: In<'checkOrder', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: CheckOrderRequest = {
      caller: scopedCallerOf(principal),
      clinicId: body.clinicId,
      items: body.items,
      packs: body.packs,
      pregnant: body.patientInfo.pregnant === true,
    };
    const checked = parseReply(
      OrderCheckViewSchema,
      ORDERS_RPC.check,
      await this.rpc.call(ORDERS_RPC.check, request),
    );
    // Only once orders has confirmed the caller is a practitioner of this clinic is its account read
    // (and accounts checks the same caller's scope again).
    const accountRequest: GetAccountRequest = { caller: scopedCallerOf(principal), clinicId: body.clinicId };
    const account = parseReply(
      ClinicAccountViewSchema,
      ACCOUNTS_RPC.getAccount,
      await this.rpc.call(ACCOUNTS_RPC.getAccount, accountRequest),
    );
    return presentOrderCheck(checked, account);
  }

  @Route(ROUTES.submitOrder)
  async submit(
    @Param() { id }: In<'submitOrder', 'params'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Reply,
  ) {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: id };
    return this.answerPayment(await this.order(ORDERS_RPC.submit, request), principal, res);
  }

  @Route(ROUTES.retryPayment)
  async retryPayment(
    @Param() { id }: In<'retryPayment', 'params'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Reply,
  ) {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: id };
    return this.answerPayment(await this.order(ORDERS_RPC.retryPayment, request), principal, res);
  }

  @Route(ROUTES.cancelOrder)
  async cancel(
    @Param() { id }: In<'cancelOrder', 'params'>,
    @Body() { reason }: In<'cancelOrder', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request = { caller: scopedCallerOf(principal), orderId: id, reason };
    return presentOrder(await this.order(ORDERS_RPC.cancel, request));
  }

  @Route(ROUTES.listOrders)
  async list(@Query() query: In<'listOrders', 'query'>, @CurrentPrincipal() principal: Principal) {
    const request: ListOrdersRequest = { caller: scopedCallerOf(principal), ...query };
    const reply = parseReply(
      OrderListViewSchema,
      ORDERS_RPC.list,
      await this.rpc.call(ORDERS_RPC.list, request),
    );
    return new Page(reply.items.map(presentOrder), reply.page, reply.limit, reply.total);
  }

  @Route(ROUTES.getOrder)
  async get(@Param() { id }: In<'getOrder', 'params'>, @CurrentPrincipal() principal: Principal) {
    return presentOrder(await this.read(principal, id));
  }

  /**
   * A payment step's answer: an order still PENDING_PAYMENT is waited for — the outcome waiter is
   * registered BEFORE the order is read again, so an outcome published in between is not missed —
   * until its outcome event arrives or ORDER_WAIT_MS passes; then the order is read as it is now.
   * PAYMENT_FAILED is an error with the order id; PENDING_PAYMENT still, 202; anything else, 201.
   */
  private async answerPayment(order: OrderView, principal: Principal, res: Reply) {
    const settled = order.status === 'PENDING_PAYMENT' ? await this.settle(order.id, principal) : order;
    if (settled.status === 'PAYMENT_FAILED') throw paymentFailedError(settled);
    if (settled.status === 'PENDING_PAYMENT') res.status(202);
    return presentOrder(settled);
  }

  private async settle(orderId: string, principal: Principal): Promise<OrderView> {
    const wait = this.outcomes.wait(orderId, this.config.orderWaitMs);
    try {
      const now = await this.read(principal, orderId);
      if (now.status !== 'PENDING_PAYMENT') return now;
      await wait.outcome;
      return await this.read(principal, orderId);
    } finally {
      wait.cancel();
    }
  }

  private read(principal: Principal, orderId: string): Promise<OrderView> {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId };
    return this.order(ORDERS_RPC.get, request);
  }

  private async order(pattern: string, request: unknown): Promise<OrderView> {
    return parseReply(OrderViewSchema, pattern, await this.rpc.call(pattern, request));
  }
}
