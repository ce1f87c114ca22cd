import { Injectable } from '@nestjs/common';
import { type CredentialJwk, CredentialKeyPublishedV1 } from '@prescriptchain/contracts';
import { Outbox } from '@prescriptchain/messaging';
import type { Prisma } from '../../../generated/prisma/client';
import { OrdersPrismaService } from './orders-prisma.service';

export interface CredentialKeyRecord {
  kid: string;
  publicJwk: CredentialJwk;
  /** PKCS#8 PEM encrypted with the PII cipher. */
  privateKeyEnc: string;
  createdAt: Date;
}

/** Serialises key creation across replicas (pg_advisory_xact_lock key). */
const KEY_CREATION_LOCK = 'orders.credential_signing_keys';

/** The credential signing keys in orders' database. */
@Injectable()
export class CredentialKeyStore {
  constructor(
    private readonly prisma: OrdersPrismaService,
    private readonly outbox: Outbox,
  ) {}

  /** Every key, newest first (old ones keep verifying the credentials they signed). */
  async list(): Promise<CredentialKeyRecord[]> {
    const rows = await this.prisma.credentialSigningKey.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map((r) => ({
      kid: r.kid,
      publicJwk: r.publicJwk as unknown as CredentialJwk,
      privateKeyEnc: r.privateKeyEnc,
      createdAt: r.createdAt,
    }));
  }

  /**
   * The newest key; the first caller ever creates it with `create` — once, however many replicas
   * start together — and announces its public half (orders.credential_key.published) in the same
   * transaction.
   */
  async newestOrCreate(create: () => Promise<CredentialKeyRecord>): Promise<CredentialKeyRecord> {
    const existing = (await this.list())[0];
    if (existing) return existing;
    await this.outbox.transaction(async (sql) => {
      const tx = sql as Prisma.TransactionClient;
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', KEY_CREATION_LOCK);
      if (await tx.credentialSigningKey.count()) return;
      const key = await create();
      await tx.credentialSigningKey.create({
        data: {
          kid: key.kid,
          algorithm: key.publicJwk.alg,
          publicJwk: key.publicJwk as unknown as Prisma.InputJsonValue,
          privateKeyEnc: key.privateKeyEnc,
          createdAt: key.createdAt,
        },
      });
      await this.outbox.enqueue(tx, {
        definition: CredentialKeyPublishedV1,
        payload: { kid: key.kid, jwk: key.publicJwk },
      });
    });
    return (await this.list())[0];
  }
}
