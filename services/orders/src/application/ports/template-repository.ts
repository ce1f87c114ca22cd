import type { MedicineStatus } from '../catalogue/medicine-record';

export interface TemplateItemData {
  medicineId: string;
  /** Canonical decimal grams per pack (`"12.5"`). */
  quantity: string;
  dosageInstructions: string | null;
}

export interface TemplateRecord {
  id: string;
  practitionerId: string;
  name: string;
  notes: string | null;
  items: (TemplateItemData & {
    medicine: {
      sku: string;
      name: string;
      pinyin: string;
      englishName: string;
      unit: string;
      status: MedicineStatus;
    };
  })[];
  createdAt: Date;
  updatedAt: Date;
}

export interface TemplateData {
  name: string;
  notes: string | null;
  items: TemplateItemData[];
}

/**
 * Practitioners' prescription templates. Every method takes the owner: a template of someone else
 * is simply not there (null / false), so scoping cannot be forgotten.
 */
export abstract class TemplateRepository {
  abstract list(
    practitionerId: string,
    page: { page: number; limit: number },
  ): Promise<{ items: TemplateRecord[]; total: number }>;
  abstract get(practitionerId: string, id: string): Promise<TemplateRecord | null>;
  abstract create(practitionerId: string, data: TemplateData): Promise<TemplateRecord>;
  /** Replaces the given parts (items as a whole); null when the owner has no such template. */
  abstract update(
    practitionerId: string,
    id: string,
    data: Partial<TemplateData>,
  ): Promise<TemplateRecord | null>;
  abstract delete(practitionerId: string, id: string): Promise<boolean>;
}
