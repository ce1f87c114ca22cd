import { Injectable } from '@nestjs/common';
import type { CatalogueCaller, MedicineView } from '@prescriptchain/contracts';
import { assertAdmin } from '../catalogue-caller';
import { MedicineRepository } from '../../ports/medicine-repository';
import { type MedicineInput, assertSoundDefinition, newMedicineDefinition } from '../medicine-definition';
import { medicineView } from '../medicine-record';

/** POST /medicines (admin). A taken SKU is CONFLICT. */
@Injectable()
export class CreateMedicineHandler {
  constructor(private readonly medicines: MedicineRepository) {}

  async execute(caller: CatalogueCaller, input: MedicineInput & { sku: string }): Promise<MedicineView> {
    assertAdmin(caller);
    const definition = newMedicineDefinition(input);
    assertSoundDefinition(definition);
    return medicineView(await this.medicines.create(input.sku, definition));
  }
}
