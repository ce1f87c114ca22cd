import type { SqlExecutor } from '@prescriptchain/messaging';
import type { CredentialKeyRepository } from '../../../application/ports/pharmacy-store';
import type { CredentialJwk } from '../../../application/ports/credential-key-directory';
import type { CountRow } from './sql-params';

interface CredentialKeyRow {
  jwk: CredentialJwk;
}

/** Orders' public keys for the credentials it signs, by key id (a key never changes once published). */
export class SqlCredentialKeyRepository implements CredentialKeyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async save(jwk: CredentialJwk): Promise<void> {
    await this.db.$executeRawUnsafe(
      'INSERT INTO credential_key (kid, jwk) VALUES ($1, $2::jsonb) ON CONFLICT (kid) DO NOTHING',
      jwk.kid,
      JSON.stringify(jwk),
    );
  }

  async find(kid: string): Promise<CredentialJwk | null> {
    const rows = await this.db.$queryRawUnsafe<CredentialKeyRow[]>(
      'SELECT jwk FROM credential_key WHERE kid = $1',
      kid,
    );
    return rows[0]?.jwk ?? null;
  }

  async count(): Promise<number> {
    const rows = await this.db.$queryRawUnsafe<CountRow[]>('SELECT count(*)::int AS n FROM credential_key');
    return Number(rows[0].n);
  }
}
