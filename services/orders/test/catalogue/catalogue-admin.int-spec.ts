import { CreateMedicineHandler } from '../../src/application/catalogue/create-medicine/create-medicine.handler';
import { GetMedicineHandler } from '../../src/application/catalogue/get-medicine/get-medicine.handler';
import { MedicineCatalogue } from '../../src/application/ports/medicine-catalogue';
import type { MedicineInput } from '../../src/application/catalogue/medicine-definition';
import { RetireMedicineHandler } from '../../src/application/catalogue/retire-medicine/retire-medicine.handler';
import { SearchMedicinesHandler } from '../../src/application/catalogue/search-medicines/search-medicines.handler';
import { UpdateMedicineHandler } from '../../src/application/catalogue/update-medicine/update-medicine.handler';
import { checkFormula } from '../../src/domain/safety/formula-safety';
import { type CatalogueKit, startCatalogue } from './catalogue-test-kit';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' as const };
const PRACTITIONER = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a02', role: 'practitioner' as const };
const MISSING = '0b7c8e0e-59a4-4d0c-9a0e-5d4f7d1f0c11';

const CHUAN_XIONG_PIAN: MedicineInput & { sku: string } = {
  sku: 'RAW-CHUANXIONGPIAN',
  name: '川芎片',
  herbName: '川芎',
  pinyin: 'chuān xiōng piàn',
  englishName: 'Sichuan Lovage Rhizome Slices',
  latinName: 'Chuanxiong Rhizoma',
  category: 'Invigorate Blood',
  unit: 'g',
  form: 'raw',
  price: 12,
  minDailyDose: '3',
  maxDailyDose: '10',
  pregnancy: 'caution',
  toxicity: 'none',
  nzRestricted: false,
};

describe('catalogue administration', () => {
  let kit: CatalogueKit;
  beforeAll(async () => {
    kit = await startCatalogue('catalogue_admin');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('creates a medicine an admin defines, found by id and by search, price in cents', async () => {
    const created = await kit.get(CreateMedicineHandler).execute(ADMIN, CHUAN_XIONG_PIAN);
    expect(created).toMatchObject({
      sku: 'RAW-CHUANXIONGPIAN',
      herbName: '川芎',
      pinyinName: 'chuān xiōng piàn',
      pinyinPlain: 'chuan xiong pian',
      price: 12,
      currency: 'NZD',
      maxDailyDose: '10',
      status: 'active',
    });
    expect(await kit.get(GetMedicineHandler).execute(created.id)).toEqual(created);
    const found = await kit
      .get(SearchMedicinesHandler)
      .execute({ q: 'cxp', page: 1, limit: 5, includeRetired: false });
    expect(found.items[0].id).toBe(created.id);
    const row = await kit.prisma.medicine.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.pricePerUnit.toFixed(2)).toBe('0.12');
  });

  it('refuses a taken SKU with CONFLICT and non-admins with 1003', async () => {
    await expect(
      kit.get(CreateMedicineHandler).execute(ADMIN, { ...CHUAN_XIONG_PIAN, sku: 'RAW-DANGGUI' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      kit.get(CreateMedicineHandler).execute(PRACTITIONER, { ...CHUAN_XIONG_PIAN, sku: 'RAW-OTHER' }),
    ).rejects.toMatchObject({ code: '1003' });
  });

  it('refuses an inconsistent medicine with VALIDATION_FAILED naming the fields', async () => {
    await expect(
      kit
        .get(CreateMedicineHandler)
        .execute(ADMIN, {
          ...CHUAN_XIONG_PIAN,
          sku: 'GRN-CHUANXIONGPIAN',
          form: 'granule',
          category: 'Misc',
        }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        expect.objectContaining({ path: 'category' }),
        expect.objectContaining({ path: 'granuleRatio' }),
      ],
    });
    expect(await kit.prisma.medicine.count({ where: { sku: 'GRN-CHUANXIONGPIAN' } })).toBe(0);
  });

  it('updates only the fields given, recomputing the pinyin search columns', async () => {
    const [huangQi] = (
      await kit
        .get(SearchMedicinesHandler)
        .execute({ q: 'RAW-HUANGQI', page: 1, limit: 1, includeRetired: false })
    ).items;
    const updated = await kit
      .get(UpdateMedicineHandler)
      .execute(ADMIN, huangQi.id, { price: 77, pinyin: 'huáng qí' });
    expect(updated).toMatchObject({ ...huangQi, price: 77, updatedAt: expect.any(String) });
    const row = await kit.prisma.medicine.findUniqueOrThrow({ where: { id: huangQi.id } });
    expect(row).toMatchObject({
      pinyinKey: 'huangqi',
      pinyinInitials: 'hq',
      adminEditedAt: expect.any(Date),
    });
    await expect(
      kit.get(UpdateMedicineHandler).execute(ADMIN, huangQi.id, { minDailyDose: '999' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(kit.get(UpdateMedicineHandler).execute(ADMIN, MISSING, { price: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('retires instead of deleting: hidden from search, still readable, returned to order lookups as retired', async () => {
    const [baiZhi] = (
      await kit
        .get(SearchMedicinesHandler)
        .execute({ q: 'RAW-BAIZHI', page: 1, limit: 1, includeRetired: false })
    ).items;
    const retired = await kit.get(RetireMedicineHandler).execute(ADMIN, baiZhi.id);
    expect(retired.status).toBe('retired');
    expect((await kit.get(GetMedicineHandler).execute(baiZhi.id)).status).toBe('retired');
    const search = await kit
      .get(SearchMedicinesHandler)
      .execute({ q: '白芷', page: 1, limit: 5, includeRetired: false });
    expect(search.items.map((m) => m.sku)).toEqual(['GRN-BAIZHI']);
    expect((await kit.get(MedicineCatalogue).findByIds([baiZhi.id])).get(baiZhi.id)?.status).toBe('retired');
    await expect(kit.get(RetireMedicineHandler).execute(PRACTITIONER, baiZhi.id)).rejects.toMatchObject({
      code: '1003',
    });
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of [MISSING, 'not-a-uuid']) {
      await expect(kit.get(GetMedicineHandler).execute(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(kit.get(RetireMedicineHandler).execute(ADMIN, id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });

  it('gives orders what formula pricing and safety need: cents, doses and flags that checkFormula reads', async () => {
    const skus = ['RAW-MAHUANG', 'RAW-DANGGUI', 'RAW-GANCAO'];
    const rows = await kit.prisma.medicine.findMany({ where: { sku: { in: skus } } });
    const found = await kit.get(MedicineCatalogue).findByIds([...rows.map((r) => r.id), MISSING, 'junk']);
    expect(found.size).toBe(3);
    const byId = (sku: string) => rows.find((r) => r.sku === sku)!.id;
    const dangGui = found.get(byId('RAW-DANGGUI'))!;
    expect(Number.isInteger(dangGui.priceCentsPerGram)).toBe(true);
    expect(dangGui).toMatchObject({ unit: 'g', maxDailyDoseGrams: 12, status: 'active', pinyin: 'dāng guī' });
    const violations = checkFormula(
      {
        items: [
          { medicineId: byId('RAW-MAHUANG'), quantityGrams: 6 },
          { medicineId: byId('RAW-DANGGUI'), quantityGrams: 20 },
        ],
        packs: 3,
        pregnant: false,
      },
      (id) => found.get(id),
    );
    expect(violations.map((v) => v.rule)).toEqual(['NZ_RESTRICTED', 'MAX_DAILY_DOSE']);
  });
});
