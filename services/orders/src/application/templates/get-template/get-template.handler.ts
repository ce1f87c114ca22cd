import { Injectable } from '@nestjs/common';
import { type CatalogueCaller, CodedError, type TemplateView } from '@prescriptchain/contracts';
import { assertPractitioner } from '../../catalogue/catalogue-caller';
import { TemplateRepository } from '../../ports/template-repository';
import { templateView } from '../template-view';

/** GET /prescription-templates/:id — another practitioner's template is NOT_FOUND, never 403. */
@Injectable()
export class GetTemplateHandler {
  constructor(private readonly templates: TemplateRepository) {}

  async execute(caller: CatalogueCaller, id: string): Promise<TemplateView> {
    assertPractitioner(caller);
    const template = await this.templates.get(caller.userId, id);
    if (!template) throw new CodedError('NOT_FOUND', 'Template not found.');
    return templateView(template);
  }
}
