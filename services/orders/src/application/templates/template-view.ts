import type { TemplateView } from '@prescriptchain/contracts';
import type { TemplateRecord } from '../ports/template-repository';

export function templateView(t: TemplateRecord): TemplateView {
  return {
    id: t.id,
    practitionerId: t.practitionerId,
    name: t.name,
    notes: t.notes,
    items: t.items.map((item) => ({
      medicineId: item.medicineId,
      quantity: item.quantity,
      dosageInstructions: item.dosageInstructions,
      medicine: {
        sku: item.medicine.sku,
        name: item.medicine.name,
        pinyinName: item.medicine.pinyin,
        englishName: item.medicine.englishName,
        unit: item.medicine.unit,
        status: item.medicine.status,
      },
    })),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
