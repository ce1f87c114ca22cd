import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  type ListSettlementsRequest,
  type MarkSettlementPaidRequest,
  PharmacySettlementsSchema,
  type PharmacySettlementsRequest,
  SettlementPageSchema,
  SettlementViewSchema,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { assertPharmacyScope } from '../access/scope';
import { Page } from '../http/envelope';
import { IdempotencyKey } from '../http/idempotency-key';
import { toWire } from '../http/money';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { presentPharmacySettlements } from './accounts.presenter';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/** What PrescriptChain owes pharmacies for fulfilled orders: the admin's ledger of payouts and each pharmacy's own view. */
@Controller()
export class SettlementsController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.listSettlements)
  async list(@Query() query: In<'listSettlements', 'query'>, @CurrentPrincipal() principal: Principal) {
    const request: ListSettlementsRequest = { caller: scopedCallerOf(principal), ...query };
    const { items, pagination } = parseReply(
      SettlementPageSchema,
      ACCOUNTS_RPC.listSettlements,
      await this.rpc.call(ACCOUNTS_RPC.listSettlements, request),
    );
    return new Page(toWire(items), pagination.page, pagination.limit, pagination.total);
  }

  @Route(ROUTES.markSettlementPaid)
  async markPaid(
    @Param() { id }: In<'markSettlementPaid', 'params'>,
    @Body() body: In<'markSettlementPaid', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: MarkSettlementPaidRequest = {
      caller: scopedCallerOf(principal),
      settlementId: id,
      reference: body.reference,
      idempotencyKey,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.markSettlementPaid, request);
    return toWire(parseReply(SettlementViewSchema, ACCOUNTS_RPC.markSettlementPaid, reply));
  }

  @Route(ROUTES.listPharmacySettlements)
  async forPharmacy(
    @Param() { id }: In<'listPharmacySettlements', 'params'>,
    @Query() query: In<'listPharmacySettlements', 'query'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPharmacyScope(principal, id);
    const request: PharmacySettlementsRequest = {
      caller: scopedCallerOf(principal),
      pharmacyId: id,
      ...query,
    };
    const reply = parseReply(
      PharmacySettlementsSchema,
      ACCOUNTS_RPC.pharmacySettlements,
      await this.rpc.call(ACCOUNTS_RPC.pharmacySettlements, request),
    );
    const { page, limit, total } = reply.pagination;
    // The envelope takes a Page's items as `data`: here that is the list together with its totals.
    return new Page(presentPharmacySettlements(reply) as never, page, limit, total);
  }
}
