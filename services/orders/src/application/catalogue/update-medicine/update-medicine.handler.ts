import { Injectable } from '@nestjs/common';
import { type CatalogueCaller, CodedError, type MedicineView } from '@prescriptchain/contracts';
import { assertAdmin } from '../catalogue-caller';
import { MedicineRepository } from '../../ports/medicine-repository';
import { type MedicinePatch, applyPatch, assertSoundDefinition, definitionOf } from '../medicine-definition';
import { type MedicineStatus, medicineView } from '../medicine-record';

/**
 * PUT /medicines/:id (admin). Only the given fields are written, so two admins editing different
 * fields do not undo each other; `status: 'active'` brings a retired medicine back.
 */
@Injectable()
export class UpdateMedicineHandler {
  constructor(private readonly medicines: MedicineRepository) {}

  async execute(
    caller: CatalogueCaller,
    id: string,
    patch: MedicinePatch & { status?: MedicineStatus },
  ): Promise<MedicineView> {
    assertAdmin(caller);
    const current = await this.medicines.get(id);
    if (!current) throw new CodedError('NOT_FOUND', 'Medicine not found.');
    const { status, ...fields } = patch;
    const { changes, next } = applyPatch(definitionOf(current), fields);
    assertSoundDefinition(next);
    const updated = await this.medicines.update(id, { ...changes, ...(status ? { status } : {}) });
    if (!updated) throw new CodedError('NOT_FOUND', 'Medicine not found.');
    return medicineView(updated);
  }
}
