import { Injectable } from '@nestjs/common';
import { type CatalogueCaller, CodedError, type MedicineView } from '@prescriptchain/contracts';
import { assertAdmin } from '../catalogue-caller';
import { MedicineRepository } from '../../ports/medicine-repository';
import { medicineView } from '../medicine-record';

/**
 * DELETE /medicines/:id (admin): the medicine is retired, never deleted — hidden from search and
 * refused in new orders and templates; orders keep their item snapshot, templates their reference.
 */
@Injectable()
export class RetireMedicineHandler {
  constructor(private readonly medicines: MedicineRepository) {}

  async execute(caller: CatalogueCaller, id: string): Promise<MedicineView> {
    assertAdmin(caller);
    const retired = await this.medicines.update(id, { status: 'retired' });
    if (!retired) throw new CodedError('NOT_FOUND', 'Medicine not found.');
    return medicineView(retired);
  }
}
