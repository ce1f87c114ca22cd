import { Injectable } from '@nestjs/common';
import type { CatalogueCaller, TemplatePage } from '@prescriptchain/contracts';
import { assertPractitioner } from '../../catalogue/catalogue-caller';
import { TemplateRepository } from '../../ports/template-repository';
import { templateView } from '../template-view';

/** GET /prescription-templates: the caller's own, most recently changed first. */
@Injectable()
export class ListTemplatesHandler {
  constructor(private readonly templates: TemplateRepository) {}

  async execute(caller: CatalogueCaller, page: { page: number; limit: number }): Promise<TemplatePage> {
    assertPractitioner(caller);
    const { items, total } = await this.templates.list(caller.userId, page);
    return { items: items.map(templateView), total, page: page.page, limit: page.limit };
  }
}
