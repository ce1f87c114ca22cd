import type { ClinicRepository, PharmacyLinkRepository } from '../../../application/ports/identity-store';
import type { Clinic, ClinicMembership, PharmacyOperatorLink } from '../../../domain/clinic';
import type { Clinic as ClinicRow } from '../../../generated/prisma/client';
import type { PiiCipher } from '../crypto/pii-cipher';
import type { IdentityDb } from './identity-prisma.service';

export class PrismaClinicsRepository implements ClinicRepository {
  constructor(
    private readonly db: IdentityDb,
    private readonly cipher: PiiCipher,
  ) {}

  async insert(c: Clinic) {
    await this.db.clinic.create({
      data: {
        id: c.id,
        name: c.name,
        street: c.address.street,
        city: c.address.city,
        country: c.address.country,
        postalCode: c.address.postalCode,
        contactPhoneEnc: this.cipher.encryptNullable(c.contact.phone),
        contactEmail: c.contact.email,
        licenseNumberEnc: this.cipher.encryptNullable(c.licenseNumber),
        ownerId: c.ownerId,
        createdById: c.createdById,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      },
    });
  }

  async findById(id: string) {
    const row = await this.db.clinic.findUnique({ where: { id } });
    return row ? this.toClinic(row) : null;
  }

  async addMember(m: ClinicMembership) {
    // createMany + skipDuplicates is INSERT … ON CONFLICT DO NOTHING: a duplicate does not abort the transaction.
    const { count } = await this.db.clinicMember.createMany({
      data: [{ clinicId: m.clinicId, userId: m.userId, addedById: m.addedById, addedAt: m.addedAt }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async listForMember(userId: string) {
    const rows = await this.db.clinic.findMany({
      where: { members: { some: { userId } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => this.toClinic(r));
  }

  private toClinic(row: ClinicRow): Clinic {
    return {
      id: row.id,
      name: row.name,
      address: { street: row.street, city: row.city, country: row.country, postalCode: row.postalCode },
      contact: { phone: this.cipher.decryptNullable(row.contactPhoneEnc), email: row.contactEmail },
      licenseNumber: this.cipher.decryptNullable(row.licenseNumberEnc),
      ownerId: row.ownerId,
      createdById: row.createdById,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

export class PrismaPharmacyLinksRepository implements PharmacyLinkRepository {
  constructor(private readonly db: IdentityDb) {}

  findByUser(userId: string): Promise<PharmacyOperatorLink | null> {
    return this.db.pharmacyOperatorLink.findUnique({ where: { userId } });
  }

  async save(link: PharmacyOperatorLink) {
    await this.db.pharmacyOperatorLink.upsert({
      where: { userId: link.userId },
      create: link,
      update: { pharmacyId: link.pharmacyId, linkedById: link.linkedById, linkedAt: link.linkedAt },
    });
  }
}
