import { Injectable } from '@nestjs/common';
import { type CatalogueCaller, CodedError } from '@prescriptchain/contracts';
import { assertPractitioner } from '../../catalogue/catalogue-caller';
import { TemplateRepository } from '../../ports/template-repository';

/** DELETE /prescription-templates/:id — gone for good (no order refers to a template). */
@Injectable()
export class DeleteTemplateHandler {
  constructor(private readonly templates: TemplateRepository) {}

  async execute(caller: CatalogueCaller, id: string): Promise<{ id: string; deleted: true }> {
    assertPractitioner(caller);
    if (!(await this.templates.delete(caller.userId, id)))
      throw new CodedError('NOT_FOUND', 'Template not found.');
    return { id, deleted: true };
  }
}
