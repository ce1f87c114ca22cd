import type {
  PageOf,
  PageRequest,
  UserFilter,
  UserRepository,
} from '../../../application/ports/identity-store';
import { type Locale, type Role, User, type UserStatus } from '../../../domain/user.entity';
import type { Prisma, User as UserRow } from '../../../generated/prisma/client';
import type { PiiCipher } from '../crypto/pii-cipher';
import type { IdentityDb } from './identity-prisma.service';

/** Users, with phone and licence number encrypted on the way in and decrypted on the way out. */
export class PrismaUsersRepository implements UserRepository {
  constructor(
    private readonly db: IdentityDb,
    private readonly cipher: PiiCipher,
  ) {}

  async findById(id: string) {
    return this.toUser(await this.db.user.findUnique({ where: { id } }));
  }

  async findByEmail(email: string) {
    return this.toUser(await this.db.user.findUnique({ where: { email } }));
  }

  async findByReferralCode(code: string) {
    return this.toUser(await this.db.user.findUnique({ where: { referralCode: code } }));
  }

  countByRole(role: Role) {
    return this.db.user.count({ where: { role } });
  }

  async insert(user: User) {
    const u = user.snapshot();
    await this.db.user.create({
      data: {
        id: u.id,
        email: u.email,
        passwordHash: u.passwordHash,
        role: u.role,
        status: u.status,
        fullName: u.fullName,
        phoneEnc: this.cipher.encryptNullable(u.phone),
        licenseNumberEnc: this.cipher.encryptNullable(u.licenseNumber),
        locale: u.locale,
        referralCode: u.referralCode,
        referredById: u.referredById,
        approvedAt: u.approvedAt,
        suspendedAt: u.suspendedAt,
        tokenEpoch: u.tokenEpoch,
        passwordChangedAt: u.passwordChangedAt,
        createdAt: u.createdAt,
        updatedAt: u.updatedAt,
      },
    });
  }

  async update(user: User) {
    const u = user.snapshot();
    await this.db.user.update({
      where: { id: u.id },
      data: {
        status: u.status,
        referralCode: u.referralCode,
        approvedAt: u.approvedAt,
        suspendedAt: u.suspendedAt,
        passwordHash: u.passwordHash,
        tokenEpoch: u.tokenEpoch,
        passwordChangedAt: u.passwordChangedAt,
        updatedAt: u.updatedAt,
      },
    });
  }

  async list(filter: UserFilter, page: PageRequest): Promise<PageOf<User>> {
    const where: Prisma.UserWhereInput = {
      role: filter.role,
      status: filter.status,
      ...(filter.search && {
        OR: [
          { email: { contains: filter.search, mode: 'insensitive' } },
          { fullName: { contains: filter.search, mode: 'insensitive' } },
        ],
      }),
    };
    const [rows, total] = await Promise.all([
      this.db.user.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: (page.page - 1) * page.limit,
        take: page.limit,
      }),
      this.db.user.count({ where }),
    ]);
    return { items: rows.map((r) => this.toUser(r)!), total };
  }

  async listReferrals(page: PageRequest, referrerId?: string) {
    const where: Prisma.UserWhereInput = referrerId
      ? { referredById: referrerId }
      : { referredById: { not: null } };
    const [rows, total] = await Promise.all([
      this.db.user.findMany({
        where,
        include: { referredBy: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: (page.page - 1) * page.limit,
        take: page.limit,
      }),
      this.db.user.count({ where }),
    ]);
    return {
      items: rows.map((r) => ({ referrer: this.toUser(r.referredBy)!, referred: this.toUser(r)! })),
      total,
    };
  }

  private toUser(row: UserRow | null): User | null {
    if (!row) return null;
    return User.restore({
      id: row.id,
      email: row.email,
      passwordHash: row.passwordHash,
      role: row.role as Role,
      status: row.status as UserStatus,
      fullName: row.fullName,
      phone: this.cipher.decryptNullable(row.phoneEnc),
      licenseNumber: this.cipher.decryptNullable(row.licenseNumberEnc),
      locale: row.locale as Locale,
      referralCode: row.referralCode,
      referredById: row.referredById,
      approvedAt: row.approvedAt,
      suspendedAt: row.suspendedAt,
      tokenEpoch: row.tokenEpoch,
      passwordChangedAt: row.passwordChangedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}
