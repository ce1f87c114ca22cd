import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  type CreateTemplateRequest,
  DeletedTemplateSchema,
  ORDERS_CATALOGUE_RPC,
  TemplatePageSchema,
  TemplateSchema,
  type UpdateTemplateRequest,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { Page } from '../http/envelope';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { catalogueCallerOf } from './catalogue.presenter';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/**
 * A practitioner's own prescription templates. orders looks every one up by (caller, id), so
 * another practitioner's template is 404, never 403.
 */
@Controller()
export class TemplatesController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.listTemplates)
  async list(@Query() query: In<'listTemplates', 'query'>, @CurrentPrincipal() principal: Principal) {
    const request = { caller: catalogueCallerOf(principal), ...query };
    const reply = parseReply(
      TemplatePageSchema,
      ORDERS_CATALOGUE_RPC.listTemplates,
      await this.rpc.call(ORDERS_CATALOGUE_RPC.listTemplates, request),
    );
    return new Page(reply.items, reply.page, reply.limit, reply.total);
  }

  @Route(ROUTES.getTemplate)
  get(@Param() { id }: In<'getTemplate', 'params'>, @CurrentPrincipal() principal: Principal) {
    return this.template(ORDERS_CATALOGUE_RPC.getTemplate, { caller: catalogueCallerOf(principal), id });
  }

  @Route(ROUTES.createTemplate)
  create(@Body() body: In<'createTemplate', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: CreateTemplateRequest = { ...body, caller: catalogueCallerOf(principal) };
    return this.template(ORDERS_CATALOGUE_RPC.createTemplate, request);
  }

  @Route(ROUTES.updateTemplate)
  update(
    @Param() { id }: In<'updateTemplate', 'params'>,
    @Body() body: In<'updateTemplate', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: UpdateTemplateRequest = { ...body, id, caller: catalogueCallerOf(principal) };
    return this.template(ORDERS_CATALOGUE_RPC.updateTemplate, request);
  }

  @Route(ROUTES.deleteTemplate)
  async remove(@Param() { id }: In<'deleteTemplate', 'params'>, @CurrentPrincipal() principal: Principal) {
    const reply = await this.rpc.call(ORDERS_CATALOGUE_RPC.deleteTemplate, {
      caller: catalogueCallerOf(principal),
      id,
    });
    parseReply(DeletedTemplateSchema, ORDERS_CATALOGUE_RPC.deleteTemplate, reply);
  }

  private async template(pattern: string, request: unknown) {
    return parseReply(TemplateSchema, pattern, await this.rpc.call(pattern, request));
  }
}
