import { Injectable } from '@nestjs/common';
import { type CatalogueCaller, CodedError, type TemplateView } from '@prescriptchain/contracts';
import { assertPractitioner } from '../../catalogue/catalogue-caller';
import { MedicineCatalogue } from '../../ports/medicine-catalogue';
import { assertPrescribableItems } from '../template-items';
import { type TemplateData, TemplateRepository } from '../../ports/template-repository';
import { templateView } from '../template-view';

/**
 * PUT /prescription-templates/:id. New items are checked against the catalogue; a rename alone
 * leaves existing items as they are, even if one has since been retired (the portal shows it).
 */
@Injectable()
export class UpdateTemplateHandler {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly catalogue: MedicineCatalogue,
  ) {}

  async execute(caller: CatalogueCaller, id: string, data: Partial<TemplateData>): Promise<TemplateView> {
    assertPractitioner(caller);
    if (data.items) await assertPrescribableItems(this.catalogue, data.items);
    const updated = await this.templates.update(caller.userId, id, data);
    if (!updated) throw new CodedError('NOT_FOUND', 'Template not found.');
    return templateView(updated);
  }
}
