import type { PublicJwk } from '../../../application/ports/auth-provider';
import type { SigningKeyStatus } from '../../../domain/signing-key-ring';
import type { Prisma, PrismaClient, SigningKey as SigningKeyRow } from '../../../generated/prisma/client';
import type { SigningKeyChanges, SigningKeyRecord, SigningKeyStore } from '../local-auth/signing-key.store';

export class PrismaSigningKeyStore implements SigningKeyStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.prisma.signingKey.findMany({
      where: { status: { not: 'retired' } },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toRecord);
  }

  async change(decide: (current: SigningKeyRecord[]) => Promise<SigningKeyChanges | null>): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(
          'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
          'identity.signing_keys',
        );
        const rows = await tx.signingKey.findMany({ where: { status: { not: 'retired' } } });
        const changes = await decide(rows.map(toRecord));
        if (!changes) return false;
        if (changes.retire.length) {
          await tx.signingKey.updateMany({
            where: { kid: { in: changes.retire } },
            data: { status: 'retired', retiredAt: changes.at },
          });
        }
        if (changes.demote.length) {
          await tx.signingKey.updateMany({
            where: { kid: { in: changes.demote } },
            data: { status: 'previous', rotatedOutAt: changes.at },
          });
        }
        if (changes.add) {
          const k = changes.add;
          await tx.signingKey.create({
            data: {
              kid: k.kid,
              algorithm: k.algorithm,
              publicJwk: k.publicJwk as unknown as Prisma.InputJsonValue,
              privateKeyEnc: k.privateKeyEnc,
              status: k.status,
              createdAt: k.createdAt,
              rotatedOutAt: k.rotatedOutAt,
            },
          });
        }
        return true;
      },
      { timeout: 15_000, maxWait: 10_000 },
    );
  }
}

function toRecord(row: SigningKeyRow): SigningKeyRecord {
  return {
    kid: row.kid,
    algorithm: 'EdDSA',
    status: row.status as SigningKeyStatus,
    createdAt: row.createdAt,
    rotatedOutAt: row.rotatedOutAt,
    publicJwk: row.publicJwk as unknown as PublicJwk,
    privateKeyEnc: row.privateKeyEnc,
  };
}
