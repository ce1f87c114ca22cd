import { Injectable } from '@nestjs/common';
import type { MedicineStatus } from '../../../application/catalogue/medicine-record';
import type {
  TemplateData,
  TemplateItemData,
  TemplateRecord,
  TemplateRepository,
} from '../../../application/ports/template-repository';
import { Prisma } from '../../../generated/prisma/client';
import { OrdersPrismaService } from './orders-prisma.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const WITH_ITEMS = {
  items: {
    orderBy: { position: 'asc' },
    include: {
      medicine: {
        select: { sku: true, name: true, pinyin: true, englishName: true, unit: true, status: true },
      },
    },
  },
} satisfies Prisma.PrescriptionTemplateInclude;

type Row = Prisma.PrescriptionTemplateGetPayload<{ include: typeof WITH_ITEMS }>;

function toRecord(row: Row): TemplateRecord {
  return {
    id: row.id,
    practitionerId: row.practitionerId,
    name: row.name,
    notes: row.notes,
    items: row.items.map((item) => ({
      medicineId: item.medicineId,
      // Decimal's shortest form: NUMERIC 12.500 → "12.5".
      quantity: item.quantity.toString(),
      dosageInstructions: item.dosageInstructions,
      medicine: { ...item.medicine, status: item.medicine.status as MedicineStatus },
    })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const itemRows = (items: readonly TemplateItemData[]) =>
  items.map((item, position) => ({
    position,
    medicineId: item.medicineId,
    quantity: item.quantity,
    dosageInstructions: item.dosageInstructions,
  }));

/** Templates with their items (a child table, in the practitioner's order). */
@Injectable()
export class PrismaTemplateRepository implements TemplateRepository {
  constructor(private readonly prisma: OrdersPrismaService) {}

  async list(practitionerId: string, { page, limit }: { page: number; limit: number }) {
    const where = { practitionerId };
    const [rows, total] = await Promise.all([
      this.prisma.prescriptionTemplate.findMany({
        where,
        include: WITH_ITEMS,
        orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
        skip: (page - 1) * limit,
        take: limit,
      }),
      this.prisma.prescriptionTemplate.count({ where }),
    ]);
    return { items: rows.map(toRecord), total };
  }

  async get(practitionerId: string, id: string): Promise<TemplateRecord | null> {
    if (!UUID.test(id)) return null;
    const row = await this.prisma.prescriptionTemplate.findFirst({
      where: { id, practitionerId },
      include: WITH_ITEMS,
    });
    return row ? toRecord(row) : null;
  }

  async create(practitionerId: string, data: TemplateData): Promise<TemplateRecord> {
    const row = await this.prisma.prescriptionTemplate.create({
      data: { practitionerId, name: data.name, notes: data.notes, items: { create: itemRows(data.items) } },
      include: WITH_ITEMS,
    });
    return toRecord(row);
  }

  async update(
    practitionerId: string,
    id: string,
    data: Partial<TemplateData>,
  ): Promise<TemplateRecord | null> {
    if (!UUID.test(id)) return null;
    return this.prisma.$transaction(async (tx) => {
      // The owner is part of the WHERE: someone else's template is not there to update.
      const { count } = await tx.prescriptionTemplate.updateMany({
        where: { id, practitionerId },
        data: { name: data.name, notes: data.notes, updatedAt: new Date() },
      });
      if (!count) return null;
      if (data.items) {
        await tx.prescriptionTemplateItem.deleteMany({ where: { templateId: id } });
        await tx.prescriptionTemplateItem.createMany({
          data: itemRows(data.items).map((item) => ({ ...item, templateId: id })),
        });
      }
      const row = await tx.prescriptionTemplate.findUniqueOrThrow({ where: { id }, include: WITH_ITEMS });
      return toRecord(row);
    });
  }

  async delete(practitionerId: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const { count } = await this.prisma.prescriptionTemplate.deleteMany({ where: { id, practitionerId } });
    return count > 0;
  }
}
