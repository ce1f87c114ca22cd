import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateTemplateRequestSchema,
  DeleteTemplateRequestSchema,
  GetTemplateRequestSchema,
  ListTemplatesRequestSchema,
  ORDERS_CATALOGUE_RPC,
  UpdateTemplateRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { CreateTemplateHandler } from '../../../application/templates/create-template/create-template.handler';
import { DeleteTemplateHandler } from '../../../application/templates/delete-template/delete-template.handler';
import { GetTemplateHandler } from '../../../application/templates/get-template/get-template.handler';
import { ListTemplatesHandler } from '../../../application/templates/list-templates/list-templates.handler';
import { UpdateTemplateHandler } from '../../../application/templates/update-template/update-template.handler';
import type { TemplateItemData } from '../../../application/ports/template-repository';

type ItemInput = { medicineId: string; quantity: string; dosageInstructions?: string | null };
const items = (list: ItemInput[]): TemplateItemData[] =>
  list.map((i) => ({
    medicineId: i.medicineId,
    quantity: i.quantity,
    dosageInstructions: i.dosageInstructions ?? null,
  }));

/** `orders.templates.*` for the calling practitioner (`caller`), who only ever sees their own. */
@Controller()
export class TemplatesRpcController {
  constructor(
    private readonly listTemplates: ListTemplatesHandler,
    private readonly getTemplate: GetTemplateHandler,
    private readonly createTemplate: CreateTemplateHandler,
    private readonly updateTemplate: UpdateTemplateHandler,
    private readonly deleteTemplate: DeleteTemplateHandler,
  ) {}

  @MessagePattern(ORDERS_CATALOGUE_RPC.listTemplates)
  list(@Payload() data: unknown) {
    const { caller, page, limit } = parseRequest(ListTemplatesRequestSchema, data);
    return this.listTemplates.execute(caller, { page, limit });
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.getTemplate)
  get(@Payload() data: unknown) {
    const { caller, id } = parseRequest(GetTemplateRequestSchema, data);
    return this.getTemplate.execute(caller, id);
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.createTemplate)
  create(@Payload() data: unknown) {
    const { caller, name, notes, items: list } = parseRequest(CreateTemplateRequestSchema, data);
    return this.createTemplate.execute(caller, { name, notes: notes || null, items: items(list) });
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.updateTemplate)
  update(@Payload() data: unknown) {
    const { caller, id, name, notes, items: list } = parseRequest(UpdateTemplateRequestSchema, data);
    return this.updateTemplate.execute(caller, id, {
      name,
      // undefined keeps the notes; null or "" clears them.
      notes: notes === undefined ? undefined : notes || null,
      items: list && items(list),
    });
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.deleteTemplate)
  remove(@Payload() data: unknown) {
    const { caller, id } = parseRequest(DeleteTemplateRequestSchema, data);
    return this.deleteTemplate.execute(caller, id);
  }
}
