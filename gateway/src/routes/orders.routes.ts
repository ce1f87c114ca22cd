import {
  CreateOrderRequestSchema,
  CredentialViewSchema,
  OrderCheckViewSchema,
  OrderCredentialSummaryViewSchema,
  OrderItemViewSchema,
  OrderViewSchema,
  DecimalGramsSchema,
  type ErrorKey,
  ORDER_STATUSES,
  OrderItemInputSchema,
} from '@prescriptchain/contracts';
import { z } from 'zod';
import { MoneySchema, wireShape } from '../http/money';
import { API_PREFIX, defineRoute, type RouteDef } from './route';
import { BACKEND, DateOrInstant, IdParams, pageQuery, PRACTITIONER } from './atoms';

/** How a payment attempt can end besides 201: refused by the clinic account (402), or failed (502). */
const PAYMENT: ErrorKey[] = ['INSUFFICIENT_FUNDS', 'ACCOUNT_SUSPENDED', 'PAYMENT_FAILED'];
const ALL = ['practitioner', 'pharmacy_operator', 'admin'] as const;
const Status = z.enum(ORDER_STATUSES);

const PAYMENT_ANSWERS =
  ' Answers **201** with the order `PAID` and its `credential`; **402** `3002` INSUFFICIENT_FUNDS or `PAY_002` ACCOUNT_SUSPENDED with `details.orderId` (the order is kept as `PAYMENT_FAILED`: fund the account and retry-payment); or, when the payment has not finished within the wait window (`ORDER_WAIT_MS`, 5 s by default, counted from the request), **202** with the order still `PENDING_PAYMENT` (poll `GET /orders/{id}`). A payment that failed for another reason (the clinic has no account yet, the saga timed out) is 502 `3001` with `details.orderId`.';

// ------------------------------------------------------------------ data shapes

/** Money fields of orders' views not called `<name>` on the wire. */
export const ORDER_MONEY_NAMES = { totalCents: 'totalAmount' } as const;

export const OrderItemSchema = wireShape(OrderItemViewSchema).meta({ id: 'OrderItem' });

export const OrderCredentialSummarySchema = OrderCredentialSummaryViewSchema.extend({
  qrPngUrl: z.string().optional().meta({ description: 'Path of the QR image (prescriber only).' }),
  pdfUrl: z.string().optional().meta({ description: 'Path of the printable prescription (prescriber only).' }),
}).meta({ id: 'OrderCredentialSummary' });

export const OrderSchema = wireShape(OrderViewSchema, ORDER_MONEY_NAMES)
  .extend({ items: z.array(OrderItemSchema), credential: OrderCredentialSummarySchema.nullable() })
  .meta({ id: 'Order' });

export const CredentialSchema = CredentialViewSchema.extend({
  qrPngUrl: z.string().meta({ description: 'Path (under this host) of the QR image.' }),
  pdfUrl: z.string().meta({ description: 'Path (under this host) of the printable prescription.' }),
}).meta({ id: 'Credential' });

const NewOrderItem = OrderItemInputSchema.extend({
  quantity: DecimalGramsSchema.meta({
    description: 'Grams per pack, a decimal string ("12.5") or number, at most 3 decimals.',
  }),
});

export const NewOrderSchema = CreateOrderRequestSchema.omit({
  caller: true,
  idempotencyKey: true,
  requestHash: true,
})
  .extend({ items: z.array(NewOrderItem).min(1).max(60) })
  .meta({ id: 'NewOrder' });

export const OrderCheckSchema = wireShape(OrderCheckViewSchema, ORDER_MONEY_NAMES)
  .extend({ available: MoneySchema.meta({ description: "The clinic account's available amount now." }) })
  .meta({ id: 'OrderCheck' });

// ------------------------------------------------------------------ routes

/** Amounts come back from orders as integer cents and leave as "12.34" strings with the currency. */
export const ORDERS_ROUTES = {
  createOrder: defineRoute({
    id: 'createOrder',
    method: 'post',
    path: `${API_PREFIX}/orders`,
    access: PRACTITIONER,
    rateLimit: 'orders',
    summary: `Prescribe for a clinic the caller belongs to. The formula is safety-checked (422 PRESCRIPTION_SAFETY with \`details: [{ rule, medicineIds, message }]\`; all but the NZ-supply rule may be overridden with \`safetyOverrideReason\`) and priced, then the clinic account is debited. \`draft: true\` stores a DRAFT (201, no debit).${PAYMENT_ANSWERS} Requires an \`Idempotency-Key\` header (≤ 255 characters): the same key with the same body within 24 h answers with the same order (never a second debit); with another body, 409 IDEMPOTENCY_KEY_REUSED. Under load placing the order can itself outlast the wait window (the answer is then 202 as soon as it is placed); only an order orders could not place within \`ORDER_PLACE_DEADLINE_MS\` (30 s by default) is answered 504 GATEWAY_TIMEOUT, and a retry with the same key answers with it if it was placed after all.`,
    tags: ['orders'],
    body: NewOrderSchema,
    response: { status: 201, data: OrderSchema },
    errors: ['PRESCRIPTION_SAFETY', 'IDEMPOTENCY_KEY_REUSED', ...PAYMENT, ...BACKEND],
  }),
  checkOrder: defineRoute({
    id: 'checkOrder',
    method: 'post',
    path: `${API_PREFIX}/orders/check`,
    access: PRACTITIONER,
    rateLimit: 'search',
    summary:
      'Price and safety-check a formula as it is written (the body of POST /orders): the lines and total as an order would be charged, every safety finding (十八反, 十九畏, pregnancy when `patientInfo.pregnant`, maximum daily dose, NZ-restricted) with whether it may be overridden, and the clinic account’s `available` amount. Creates no order and moves no money. An invalid formula (unknown or retired medicine, bad quantity) is 422 VALIDATION_FAILED; a clinic the caller is not a member of, 403 `1003`',
    tags: ['orders'],
    body: NewOrderSchema,
    response: { status: 200, data: OrderCheckSchema },
    errors: ['INSUFFICIENT_PERMISSIONS', ...BACKEND],
  }),
  submitOrder: defineRoute({
    id: 'submitOrder',
    method: 'post',
    path: `${API_PREFIX}/orders/:id/submit`,
    access: PRACTITIONER,
    summary: `Send one of the caller's DRAFT orders to payment: the formula is checked and priced again against today's catalogue.${PAYMENT_ANSWERS} Anything but a DRAFT is 409 \`2003\`.`,
    tags: ['orders'],
    params: IdParams,
    response: { status: 201, data: OrderSchema },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', 'PRESCRIPTION_SAFETY', ...PAYMENT, ...BACKEND],
  }),
  retryPayment: defineRoute({
    id: 'retryOrderPayment',
    method: 'post',
    path: `${API_PREFIX}/orders/:id/retry-payment`,
    access: PRACTITIONER,
    summary: `Try the payment of one of the caller's PAYMENT_FAILED orders again, for the amount priced the first time.${PAYMENT_ANSWERS} Anything but PAYMENT_FAILED is 409 \`2003\`.`,
    tags: ['orders'],
    params: IdParams,
    response: { status: 201, data: OrderSchema },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', ...PAYMENT, ...BACKEND],
  }),
  cancelOrder: defineRoute({
    id: 'cancelOrder',
    method: 'post',
    path: `${API_PREFIX}/orders/:id/cancel`,
    access: ['practitioner', 'admin'],
    summary:
      'Cancel an order (its prescriber or an admin); a paid one (PAID, or REJECTED after a proof) is refunded to the clinic account in full. A state that cannot be cancelled is 409 `2003`',
    tags: ['orders'],
    params: IdParams,
    body: z.object({ reason: z.string().trim().min(1).max(500) }),
    response: { status: 200, data: OrderSchema },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', ...BACKEND],
  }),
  listOrders: defineRoute({
    id: 'listOrders',
    method: 'get',
    path: `${API_PREFIX}/orders`,
    access: ALL,
    summary:
      "Orders the caller may see: a practitioner's own, those a pharmacy operator's pharmacy claimed, every order for an admin. `dateFrom`/`dateTo` bound `createdAt` (a bare `dateTo` includes that day)",
    tags: ['orders'],
    query: z.object({
      status: Status.optional(),
      page: pageQuery(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      sort: z
        .string()
        .regex(/^(createdAt|updatedAt|totalAmount|status):(asc|desc)$/, 'must be field:asc or field:desc')
        .default('createdAt:desc')
        .meta({ description: '`createdAt`, `updatedAt`, `totalAmount` or `status`, `:asc` or `:desc`.' }),
      dateFrom: DateOrInstant.optional(),
      dateTo: DateOrInstant.optional(),
    }),
    response: { status: 200, data: z.array(OrderSchema), paginated: true },
    errors: BACKEND,
  }),
  getOrder: defineRoute({
    id: 'getOrder',
    method: 'get',
    path: `${API_PREFIX}/orders/:id`,
    access: ALL,
    summary: 'One order with its items and history, if the caller may see it (404 `2001` otherwise)',
    tags: ['orders'],
    params: IdParams,
    response: { status: 200, data: OrderSchema },
    errors: ['ORDER_NOT_FOUND', ...BACKEND],
  }),
  getCredential: defineRoute({
    id: 'getOrderCredential',
    method: 'get',
    path: `${API_PREFIX}/orders/:id/credential`,
    access: PRACTITIONER,
    summary:
      "The prescription credential of one of the caller's paid orders: the QR token and the 6-digit verification code to hand to the patient. Before payment, or once cancelled or expired, 409 `2003`",
    tags: ['orders'],
    params: IdParams,
    response: { status: 200, data: CredentialSchema },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', ...BACKEND],
  }),
  getCredentialPng: defineRoute({
    id: 'getOrderCredentialPng',
    method: 'get',
    path: `${API_PREFIX}/orders/:id/credential.png`,
    access: PRACTITIONER,
    summary: "The QR code of one of the caller's paid orders, as a PNG image",
    tags: ['orders'],
    params: IdParams,
    response: {
      status: 200,
      raw: { contentType: 'image/png', schema: z.string().meta({ format: 'binary' }) },
    },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', ...BACKEND],
  }),
  getCredentialPdf: defineRoute({
    id: 'getOrderCredentialPdf',
    method: 'get',
    path: `${API_PREFIX}/orders/:id/credential.pdf`,
    access: PRACTITIONER,
    summary:
      "The printable prescription of one of the caller's paid orders (PDF): QR code, verification code, items in Chinese and English, instructions",
    tags: ['orders'],
    params: IdParams,
    response: {
      status: 200,
      raw: { contentType: 'application/pdf', schema: z.string().meta({ format: 'binary' }) },
    },
    errors: ['ORDER_NOT_FOUND', 'INVALID_ORDER_STATUS', ...BACKEND],
  }),
} satisfies Record<string, RouteDef>;
