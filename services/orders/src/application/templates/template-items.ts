import { CodedError } from '@prescriptchain/contracts';
import type { MedicineCatalogue } from '../ports/medicine-catalogue';
import type { TemplateItemData } from '../ports/template-repository';

/**
 * A template may only name medicines that can be prescribed now: unknown or retired ones are
 * VALIDATION_FAILED, each detail naming the item by index (`items.2.medicineId`).
 */
export async function assertPrescribableItems(
  catalogue: MedicineCatalogue,
  items: readonly TemplateItemData[],
): Promise<void> {
  const found = await catalogue.findByIds(items.map((i) => i.medicineId));
  const details = items.flatMap((item, index) => {
    const medicine = found.get(item.medicineId);
    if (medicine?.status === 'active') return [];
    return [
      {
        path: `items.${index}.medicineId`,
        index,
        medicineId: item.medicineId,
        message: medicine
          ? `${medicine.name} (${medicine.englishName}) is retired and can no longer be prescribed.`
          : 'This medicine is not in the catalogue.',
      },
    ];
  });
  if (details.length)
    throw new CodedError('VALIDATION_FAILED', 'Some template items cannot be prescribed.', details);
}
