import { FakeMedicineRepository } from '../../../test/catalogue/fake-medicine.repository';
import { assertPrescribableItems } from './template-items';

describe(assertPrescribableItems.name, () => {
  it('names every unknown or retired item by its index, and passes active ones', async () => {
    const catalogue = FakeMedicineRepository.withSeed((m) => ['RAW-DANGGUI', 'RAW-GANCAO'].includes(m.sku));
    const dangGui = catalogue.bySku('RAW-DANGGUI');
    const ganCao = catalogue.bySku('RAW-GANCAO');
    await catalogue.update(ganCao.id, { status: 'retired' });
    const unknown = '0b7c8e0e-59a4-4d0c-9a0e-5d4f7d1f0c11';
    const item = (medicineId: string) => ({ medicineId, quantity: '9', dosageInstructions: null });

    await expect(assertPrescribableItems(catalogue, [item(dangGui.id)])).resolves.toBeUndefined();
    await expect(
      assertPrescribableItems(catalogue, [item(dangGui.id), item(ganCao.id), item(unknown)]),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          path: 'items.1.medicineId',
          index: 1,
          medicineId: ganCao.id,
          message: expect.stringMatching(/retired/),
        },
        {
          path: 'items.2.medicineId',
          index: 2,
          medicineId: unknown,
          message: expect.stringMatching(/not in the catalogue/),
        },
      ],
    });
  });
});
