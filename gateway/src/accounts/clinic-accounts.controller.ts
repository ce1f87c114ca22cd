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
import type { Principal } from '../access/principal';
import { accountsCallerOf } from './accounts-caller';
import { Page } from '../http/envelope';
import { IdempotencyKey } from '../http/idempotency-key';
import { formatCents } from '../http/money';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { presentAccount, presentLedgerEntry } from './accounts.presenter';
import { assertClinicScope, CurrentPrincipal } from './caller-scope';
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
    const request: GetAccountRequest = { caller: accountsCallerOf(principal), clinicId };
    const reply = await this.rpc.call(ACCOUNTS_RPC.getAccount, request);
    return presentAccount(parseReply(ClinicAccountViewSchema, ACCOUNTS_RPC.getAccount, reply));
  }

  @Route(ROUTES.listClinicLedger)
  async listLedger(
    @Param() { clinicId }: In<'listClinicLedger', 'params'>,
    @Query() query: In<'listClinicLedger', 'query'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertClinicScope(principal, clinicId);
    const request: ListLedgerRequest = { caller: accountsCallerOf(principal), clinicId, page: query.page, limit: query.limit };
    const { items, pagination } = parseReply(
      LedgerPageSchema,
      ACCOUNTS_RPC.listLedger,
      await this.rpc.call(ACCOUNTS_RPC.listLedger, request),
    );
    return new Page(items.map(presentLedgerEntry), pagination.page, pagination.limit, pagination.total);
  }

  @Route(ROUTES.adjustClinicAccount)
  async adjust(
    @Param() { clinicId }: In<'adjustClinicAccount', 'params'>,
    @Body() body: In<'adjustClinicAccount', 'body'>,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: AdjustRequest = {
      caller: accountsCallerOf(principal),
      clinicId,
      amountCents: body.amount,
      reason: body.reason,
      idempotencyKey,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.adjust, request);
    return presentLedgerEntry(parseReply(LedgerEntryViewSchema, ACCOUNTS_RPC.adjust, reply));
  }

  @Route(ROUTES.updateClinicAccount)
  async update(
    @Param() { clinicId }: In<'updateClinicAccount', 'params'>,
    @Body() body: In<'updateClinicAccount', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: UpdateAccountRequest = {
      caller: accountsCallerOf(principal),
      clinicId,
      creditLimitCents: body.creditLimit,
      status: body.status,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.updateAccount, request);
    return presentAccount(parseReply(ClinicAccountViewSchema, ACCOUNTS_RPC.updateAccount, reply));
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
      caller: accountsCallerOf(principal),
      clinicId,
      amountCents: body.amount,
      idempotencyKey,
    };
    const reply = await this.rpc.call(ACCOUNTS_RPC.createRechargeIntent, request);
    const intent = parseReply(RechargeIntentViewSchema, ACCOUNTS_RPC.createRechargeIntent, reply);
    return {
      paymentIntentId: intent.paymentIntentId,
      clientSecret: intent.clientSecret,
      amount: formatCents(intent.amountCents),
      currency: intent.currency,
    };
  }
}
