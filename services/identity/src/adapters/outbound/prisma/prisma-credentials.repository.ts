import type {
  ApiKeyRepository,
  AuditEntry,
  AuditTrail,
  LoginThrottleRepository,
  RefreshTokenRepository,
  StoredApiKey,
  StoredRefreshToken,
} from '../../../application/ports/identity-store';
import type { ThrottleState } from '../../../domain/login-throttle';
import type { Prisma } from '../../../generated/prisma/client';
import type { IdentityDb } from './identity-prisma.service';

export class PrismaRefreshTokensRepository implements RefreshTokenRepository {
  constructor(private readonly db: IdentityDb) {}

  async insert(t: StoredRefreshToken) {
    await this.db.refreshToken.create({ data: t });
  }

  findByHash(tokenHash: string): Promise<StoredRefreshToken | null> {
    return this.db.refreshToken.findUnique({ where: { tokenHash } });
  }

  async markUsed(id: string, at: Date) {
    // Conditional update: of two requests racing with one token, exactly one spends it.
    const { count } = await this.db.refreshToken.updateMany({
      where: { id, usedAt: null },
      data: { usedAt: at },
    });
    return count === 1;
  }

  async isRevoked(id: string) {
    const row = await this.db.refreshToken.findUnique({ where: { id }, select: { revokedAt: true } });
    return !row || row.revokedAt !== null;
  }

  async revokeFamily(familyId: string, at: Date) {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: at } });
  }

  async revokeAllForUser(userId: string, at: Date) {
    await this.db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }
}

export class PrismaApiKeysRepository implements ApiKeyRepository {
  constructor(private readonly db: IdentityDb) {}

  async insert(key: StoredApiKey) {
    await this.db.apiKey.create({ data: key });
  }

  findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    return this.db.apiKey.findUnique({ where: { prefix } });
  }

  findForOwner(userId: string, id: string): Promise<StoredApiKey | null> {
    return this.db.apiKey.findFirst({ where: { id, userId } });
  }

  listForOwner(userId: string): Promise<StoredApiKey[]> {
    return this.db.apiKey.findMany({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
  }

  async revoke(id: string, at: Date) {
    await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  async touch(id: string, at: Date) {
    await this.db.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}

export class PrismaLoginThrottlesRepository implements LoginThrottleRepository {
  constructor(private readonly db: IdentityDb) {}

  find(key: string): Promise<ThrottleState | null> {
    return this.db.loginThrottle.findUnique({ where: { key } });
  }

  async save(state: ThrottleState) {
    await this.db.loginThrottle.upsert({ where: { key: state.key }, create: state, update: state });
  }

  async clear(key: string) {
    await this.db.loginThrottle.deleteMany({ where: { key } });
  }
}

export class PrismaAuditTrail implements AuditTrail {
  constructor(private readonly db: IdentityDb) {}

  async record(entry: AuditEntry) {
    await this.db.auditLog.create({
      data: {
        actorId: entry.actorId,
        action: entry.action,
        subjectId: entry.subjectId,
        ip: entry.ip,
        details: entry.details as Prisma.InputJsonValue | undefined,
      },
    });
  }
}
