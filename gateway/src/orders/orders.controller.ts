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
  isCodedError,
  paymentAttemptOf,
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

/** A payment attempt refused, as its payment_failed event tells it. */
interface FailedAttempt {
  id: string;
  status: 'PAYMENT_FAILED';
  paymentFailureReason: string | null;
}

/**
 * The least time a read after the outcome is given once the wait window is (nearly) over: it is
 * part of the wait, so it ends with the window, but a paid order is worth a moment to answer 201.
 */
const READ_GRACE_MS = 1_000;

/** A read that cannot be answered now: the order is answered as last known (202) rather than 5xx. */
const TRANSIENT = new Set(['GATEWAY_TIMEOUT', 'SERVICE_UNAVAILABLE']);

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
    const started = Date.now();
    return this.answerPayment(await this.step(ORDERS_RPC.create, request), started, principal, res);
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
    const started = Date.now();
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: id };
    return this.answerPayment(await this.step(ORDERS_RPC.submit, request), started, principal, res);
  }

  @Route(ROUTES.retryPayment)
  async retryPayment(
    @Param() { id }: In<'retryPayment', 'params'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Reply,
  ) {
    const started = Date.now();
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: id };
    return this.answerPayment(await this.step(ORDERS_RPC.retryPayment, request), started, principal, res);
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
   * A payment step's answer. An order still PENDING_PAYMENT is waited for until its outcome event
   * arrives or ORDER_WAIT_MS has passed since the request came in. The wait matches the outcome to
   * the payment attempt orders answered (paymentAttemptOf), and an outcome heard before orders'
   * answer counts, so nothing is read to close that race: a refusal is answered from the event
   * alone (402 with details.orderId), a payment with ONE read of the order for its credential
   * (whose secrets never travel on the broker); no outcome in the window, 202 with the order as
   * orders answered it. PAYMENT_FAILED is an error with the order id; anything else, 201.
   */
  private async answerPayment(order: OrderView, started: number, principal: Principal, res: Reply) {
    const settled = order.status === 'PENDING_PAYMENT' ? await this.settle(order, started, principal) : order;
    if (settled.status === 'PAYMENT_FAILED') throw paymentFailedError(settled);
    if (settled.status === 'PENDING_PAYMENT') res.status(202);
    return presentOrder(settled);
  }

  /** The order once its payment attempt ended, or as orders answered it if it did not in the window. */
  private async settle(
    order: OrderView,
    started: number,
    principal: Principal,
  ): Promise<OrderView | FailedAttempt> {
    const paymentAttempt = paymentAttemptOf(order.history);
    let since = started;
    let current = order;
    for (;;) {
      const left = started + this.config.orderWaitMs - Date.now();
      const notice = await this.outcomes.outcomeOf(order.id, { paymentAttempt, since, timeoutMs: left })
        .outcome;
      if (!notice) {
        // Nothing heard in the window; if the outcome queue was down meanwhile, look once more.
        return this.outcomes.isListening() ? current : await this.readOrKeep(principal, current, left);
      }
      if (notice.paymentAttempt !== undefined) {
        // This attempt's own outcome: a refusal says all the 402 needs; a payment's credential is orders'.
        if (notice.outcome === 'payment_failed')
          return { id: order.id, status: 'PAYMENT_FAILED', paymentFailureReason: notice.reason ?? null };
        return await this.readOrKeep(principal, current, left);
      }
      // An outcome from an orders that does not name the attempt: maybe an earlier attempt's. Look.
      since = Date.now() + 1;
      current = await this.readOrKeep(principal, current, left);
      if (current.status !== 'PENDING_PAYMENT') return current;
    }
  }

  /**
   * The order as it is now, within what is left of the wait window (at least READ_GRACE_MS); as last
   * known when orders cannot answer in that time — a 202, not a 5xx, behind a queue of other orders.
   */
  private async readOrKeep(principal: Principal, known: OrderView, leftMs: number): Promise<OrderView> {
    const deadlineMs = Math.min(this.config.rpcDeadlineMs, Math.max(leftMs, READ_GRACE_MS));
    try {
      const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: known.id };
      const reply = await this.rpc.call(ORDERS_RPC.get, request, { deadlineMs });
      return parseReply(OrderViewSchema, ORDERS_RPC.get, reply);
    } catch (err) {
      if (isCodedError(err) && TRANSIENT.has(err.key)) return known;
      throw err;
    }
  }

  /**
   * create, submit or retry-payment: with ORDER_PLACE_DEADLINE_MS, so a step queued behind many
   * others in a burst is still taken (and answered 202 if the window has passed) instead of
   * expiring in orders' queue with no order for the client to follow.
   */
  private async step(pattern: string, request: unknown): Promise<OrderView> {
    const reply = await this.rpc.call(pattern, request, { deadlineMs: this.config.orderPlaceDeadlineMs });
    return parseReply(OrderViewSchema, pattern, reply);
  }

  private read(principal: Principal, orderId: string): Promise<OrderView> {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId };
    return this.order(ORDERS_RPC.get, request);
  }

  private async order(pattern: string, request: unknown): Promise<OrderView> {
    return parseReply(OrderViewSchema, pattern, await this.rpc.call(pattern, request));
  }
}
