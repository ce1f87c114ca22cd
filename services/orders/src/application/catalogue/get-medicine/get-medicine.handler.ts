import { Injectable } from '@nestjs/common';
import { CodedError, type MedicineView } from '@prescriptchain/contracts';
import { MedicineRepository } from '../../ports/medicine-repository';
import { medicineView } from '../medicine-record';

/** GET /medicines/:id — retired medicines too (old orders and templates still show them). */
@Injectable()
export class GetMedicineHandler {
  constructor(private readonly medicines: MedicineRepository) {}

  async execute(id: string): Promise<MedicineView> {
    const medicine = await this.medicines.get(id);
    if (!medicine) throw new CodedError('NOT_FOUND', 'Medicine not found.');
    return medicineView(medicine);
  }
}
