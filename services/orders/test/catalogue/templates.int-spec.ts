import { RetireMedicineHandler } from '../../src/application/catalogue/retire-medicine/retire-medicine.handler';
import { CreateTemplateHandler } from '../../src/application/templates/create-template/create-template.handler';
import { DeleteTemplateHandler } from '../../src/application/templates/delete-template/delete-template.handler';
import { GetTemplateHandler } from '../../src/application/templates/get-template/get-template.handler';
import { ListTemplatesHandler } from '../../src/application/templates/list-templates/list-templates.handler';
import { UpdateTemplateHandler } from '../../src/application/templates/update-template/update-template.handler';
import { type CatalogueKit, startCatalogue } from './catalogue-test-kit';

const ADMIN = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a01', role: 'admin' as const };
const DR_LI = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a02', role: 'practitioner' as const };
const DR_WANG = { userId: '6f1c1f3e-3d1a-4c55-9a43-1c1b7c9c1a03', role: 'practitioner' as const };
const MISSING = '0b7c8e0e-59a4-4d0c-9a0e-5d4f7d1f0c11';

describe('prescription templates', () => {
  let kit: CatalogueKit;
  const ids: Record<string, string> = {};
  const item = (sku: string, quantity: string, dosageInstructions: string | null = null) => ({
    medicineId: ids[sku],
    quantity,
    dosageInstructions,
  });
  const siWuTang = () => ({
    name: '四物汤 Si Wu Tang',
    notes: 'Blood deficiency',
    items: [
      item('RAW-SHUDIHUANG', '12'),
      item('RAW-DANGGUI', '9.5', '酒洗'),
      item('RAW-BAISHAO', '9'),
      item('RAW-CHUANXIONG', '6.25'),
    ],
  });

  beforeAll(async () => {
    kit = await startCatalogue('catalogue_templates');
    for (const m of await kit.prisma.medicine.findMany({ select: { id: true, sku: true } }))
      ids[m.sku] = m.id;
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('saves a practitioner’s template with decimal grams and returns the items in order', async () => {
    const created = await kit.get(CreateTemplateHandler).execute(DR_LI, siWuTang());
    expect(created).toMatchObject({
      practitionerId: DR_LI.userId,
      name: '四物汤 Si Wu Tang',
      notes: 'Blood deficiency',
      items: [
        {
          medicineId: ids['RAW-SHUDIHUANG'],
          quantity: '12',
          medicine: { sku: 'RAW-SHUDIHUANG', status: 'active' },
        },
        {
          medicineId: ids['RAW-DANGGUI'],
          quantity: '9.5',
          dosageInstructions: '酒洗',
          medicine: { name: '当归', pinyinName: 'dāng guī', unit: 'g' },
        },
        { quantity: '9' },
        { quantity: '6.25' },
      ],
    });
    const stored = await kit.prisma.prescriptionTemplateItem.findMany({
      where: { templateId: created.id },
      orderBy: { position: 'asc' },
    });
    expect(stored.map((s) => s.quantity.toFixed(3))).toEqual(['12.000', '9.500', '9.000', '6.250']);
    expect(await kit.get(GetTemplateHandler).execute(DR_LI, created.id)).toEqual(created);
  });

  it('shows each practitioner only their own templates; another’s is NOT_FOUND for read, edit and delete', async () => {
    const mine = await kit.get(CreateTemplateHandler).execute(DR_WANG, { ...siWuTang(), name: 'Wang’s' });
    const list = await kit.get(ListTemplatesHandler).execute(DR_WANG, { page: 1, limit: 20 });
    expect(list).toMatchObject({ total: 1, items: [{ id: mine.id }] });
    expect(
      (await kit.get(ListTemplatesHandler).execute(DR_LI, { page: 1, limit: 20 })).items.map((t) => t.id),
    ).not.toContain(mine.id);

    await expect(kit.get(GetTemplateHandler).execute(DR_LI, mine.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      kit.get(UpdateTemplateHandler).execute(DR_LI, mine.id, { name: 'stolen' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(kit.get(DeleteTemplateHandler).execute(DR_LI, mine.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await kit.get(GetTemplateHandler).execute(DR_WANG, mine.id)).name).toBe('Wang’s');
  });

  it('is for practitioners only', async () => {
    await expect(kit.get(ListTemplatesHandler).execute(ADMIN, { page: 1, limit: 20 })).rejects.toMatchObject({
      code: '1003',
    });
    await expect(kit.get(CreateTemplateHandler).execute(ADMIN, siWuTang())).rejects.toMatchObject({
      code: '1003',
    });
  });

  it('refuses unknown and retired medicines, naming the item index, and saves nothing', async () => {
    const [gouQi] = await kit.prisma.medicine.findMany({ where: { sku: 'RAW-GOUQIZI' } });
    await kit.get(RetireMedicineHandler).execute(ADMIN, gouQi.id);
    const before = await kit.prisma.prescriptionTemplate.count();
    await expect(
      kit.get(CreateTemplateHandler).execute(DR_LI, {
        name: 'bad',
        notes: null,
        items: [
          item('RAW-DANGGUI', '9'),
          { ...item('RAW-DANGGUI', '3'), medicineId: MISSING },
          item('RAW-GOUQIZI', '10'),
        ],
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        { path: 'items.1.medicineId', index: 1, medicineId: MISSING },
        {
          path: 'items.2.medicineId',
          index: 2,
          medicineId: gouQi.id,
          message: expect.stringContaining('retired'),
        },
      ],
    });
    expect(await kit.prisma.prescriptionTemplate.count()).toBe(before);
  });

  it('replaces the items on update, keeps what is left out, and still shows a since-retired medicine', async () => {
    const t = await kit.get(CreateTemplateHandler).execute(DR_LI, siWuTang());
    const renamed = await kit.get(UpdateTemplateHandler).execute(DR_LI, t.id, {
      items: [item('RAW-DANGGUI', '15'), item('RAW-HUANGQI', '30')],
    });
    expect(renamed).toMatchObject({ name: t.name, notes: 'Blood deficiency' });
    expect(renamed.items.map((i) => [i.medicine.sku, i.quantity])).toEqual([
      ['RAW-DANGGUI', '15'],
      ['RAW-HUANGQI', '30'],
    ]);
    expect(new Date(renamed.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(t.updatedAt).getTime());

    await kit.get(RetireMedicineHandler).execute(ADMIN, ids['RAW-HUANGQI']);
    const cleared = await kit
      .get(UpdateTemplateHandler)
      .execute(DR_LI, t.id, { name: 'Dang Gui Bu Xue Tang', notes: null });
    expect(cleared).toMatchObject({ name: 'Dang Gui Bu Xue Tang', notes: null });
    expect(cleared.items[1].medicine).toMatchObject({ sku: 'RAW-HUANGQI', status: 'retired' });
  });

  it('deletes a template for good', async () => {
    const t = await kit.get(CreateTemplateHandler).execute(DR_LI, siWuTang());
    expect(await kit.get(DeleteTemplateHandler).execute(DR_LI, t.id)).toEqual({ id: t.id, deleted: true });
    await expect(kit.get(GetTemplateHandler).execute(DR_LI, t.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await kit.prisma.prescriptionTemplateItem.count({ where: { templateId: t.id } })).toBe(0);
  });
});
