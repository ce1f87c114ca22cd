import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  type CreateMedicineRequest,
  MedicinePageSchema,
  MedicineSchema as MedicineViewSchema,
  type MedicineSearchRequest,
  ORDERS_CATALOGUE_RPC,
  type UpdateMedicineRequest,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { Page } from '../http/envelope';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { catalogueCallerOf, presentMedicine } from './catalogue.presenter';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/** The medicine catalogue orders keeps: public search and reads, admin changes (orders checks the role too). */
@Controller()
export class MedicinesController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.searchMedicines)
  async search(@Query() query: In<'searchMedicines', 'query'>) {
    const request: MedicineSearchRequest = query;
    const reply = parseReply(
      MedicinePageSchema,
      ORDERS_CATALOGUE_RPC.searchMedicines,
      await this.rpc.call(ORDERS_CATALOGUE_RPC.searchMedicines, request),
    );
    return new Page(reply.items.map(presentMedicine), reply.page, reply.limit, reply.total);
  }

  @Route(ROUTES.getMedicine)
  async get(@Param() { id }: In<'getMedicine', 'params'>) {
    return this.medicine(ORDERS_CATALOGUE_RPC.getMedicine, { id });
  }

  @Route(ROUTES.createMedicine)
  async create(@Body() body: In<'createMedicine', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: CreateMedicineRequest = { ...body, caller: catalogueCallerOf(principal) };
    return this.medicine(ORDERS_CATALOGUE_RPC.createMedicine, request);
  }

  @Route(ROUTES.updateMedicine)
  async update(
    @Param() { id }: In<'updateMedicine', 'params'>,
    @Body() body: In<'updateMedicine', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: UpdateMedicineRequest = { ...body, id, caller: catalogueCallerOf(principal) };
    return this.medicine(ORDERS_CATALOGUE_RPC.updateMedicine, request);
  }

  @Route(ROUTES.retireMedicine)
  async retire(@Param() { id }: In<'retireMedicine', 'params'>, @CurrentPrincipal() principal: Principal) {
    return this.medicine(ORDERS_CATALOGUE_RPC.retireMedicine, { id, caller: catalogueCallerOf(principal) });
  }

  private async medicine(pattern: string, request: unknown) {
    return presentMedicine(parseReply(MedicineViewSchema, pattern, await this.rpc.call(pattern, request)));
  }
}
