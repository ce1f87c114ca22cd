import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  ACCOUNTS_RPC,
  type AdjustRequest,
  ClinicAccountViewSchema,
  type CreateRechargeIntentRequest,
  type GetAccountRequest,
  LedgerEntryViewSchema,
  LedgerPageSchema,
  type ListLedgerRequest,
  RechargeIntentViewSchema,
  type UpdateAccountRequest,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { assertClinicScope } from '../access/scope';
import { Page } from '../http/envelope';
import { IdempotencyKey } from '../http/idempotency-key';
import { toWire } from '../http/money';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { parseReply } from '../http/rpc-reply';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/**
 * A clinic's prepaid balance and credit line. Membership is checked here, from the clinics identity
 * says the caller belongs to now (accounts trusts the gateway for it); accounts records the caller
 * as the actor of every change and keeps the Idempotency-Key with a hash of the request.
 */
@Controller()
export class ClinicAccountsController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.getClinicAccount)
  async getAccount(
    @Param() { clinicId }: In<'getClinicAccount', 'params'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertClinicScope(principal, clinicId);
    const request: GetAccountRequest = { caller: scopedCallerOf(principal), clinicId };
    const reply = await this.rpc.call(ACCOUNTS_RPC.getAccount, request);
    return toWire(parseReply(ClinicAccountViewSchema, ACCOUNTS_RPC.getAccount, reply));
  }

  @Route(ROUTES.listClinicLedger)
  async listLedger(
    @Param() { clinicId }: In<'listClinicLedger', 'params'>,
    @Query() query: In<'listClinicLedger', 'query'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertClinicScope(principal, clinicId);
    const request: ListLedgerRequest = {
      caller: scopedCallerOf(principal),
      clinicId,
      page: query.page,
      limit: query.limit,
    };
    const { items, pagination } = parseReply(
      LedgerPageSchema,
      ACCOUNTS_RPC.listLedger,
      await this.rpc.call(ACCOUNTS_RPC.listLedger, request),
    );
    return new Page(toWire(items), pagination.page, pagination.limit, pagination.total);
  }

  @Route(ROUTES.adjustClinicAccount)
  async adjust(
    @Param() { clinicId }: In<'adjustClinicAccount', 'params'>,
    @Body() body: In<'adjustClinicAccount', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: AdjustRequest = {
      caller: scopedCallerOf(principal),
      clinicId,
      amountCents: body.amount,
      reason: body.reason,
      idempotencyKey,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.adjust, request);
    return toWire(parseReply(LedgerEntryViewSchema, ACCOUNTS_RPC.adjust, reply));
  }

  @Route(ROUTES.updateClinicAccount)
  async update(
    @Param() { clinicId }: In<'updateClinicAccount', 'params'>,
    @Body() body: In<'updateClinicAccount', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: UpdateAccountRequest = {
      caller: scopedCallerOf(principal),
      clinicId,
      creditLimitCents: body.creditLimit,
      status: body.status,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.updateAccount, request);
    return toWire(parseReply(ClinicAccountViewSchema, ACCOUNTS_RPC.updateAccount, reply));
  }

  @Route(ROUTES.createRechargeIntent)
  async createRechargeIntent(
    @Param() { clinicId }: In<'createRechargeIntent', 'params'>,
    @Body() body: In<'createRechargeIntent', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertClinicScope(principal, clinicId);
    const request: CreateRechargeIntentRequest = {
      caller: scopedCallerOf(principal),
      clinicId,
      amountCents: body.amount,
      idempotencyKey,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.createRechargeIntent, request);
    return toWire(parseReply(RechargeIntentViewSchema, ACCOUNTS_RPC.createRechargeIntent, reply));
  }
}
