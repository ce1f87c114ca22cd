import { Injectable } from '@nestjs/common';
import type { CatalogueCaller, TemplateView } from '@prescriptchain/contracts';
import { assertPractitioner } from '../../catalogue/catalogue-caller';
import { MedicineCatalogue } from '../../ports/medicine-catalogue';
import { assertPrescribableItems } from '../template-items';
import { type TemplateData, TemplateRepository } from '../../ports/template-repository';
import { templateView } from '../template-view';

/** POST /prescription-templates — items checked against the catalogue as it is now. */
@Injectable()
export class CreateTemplateHandler {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly catalogue: MedicineCatalogue,
  ) {}

  async execute(caller: CatalogueCaller, data: TemplateData): Promise<TemplateView> {
    assertPractitioner(caller);
    await assertPrescribableItems(this.catalogue, data.items);
    return templateView(await this.templates.create(caller.userId, data));
  }
}
