import { generateKeyPair, generateKeyPairSync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { AccountsPrismaService } from '../prisma/accounts-prisma.service';

export interface PemKeyPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh RSA-2048 key pair in PEM (PKCS#8 private, SPKI public): what Alipay and WeChat Pay use. */
export function generateRsaKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}

/**
 * The sandboxes' keys, generated locally on first use and kept in `sandbox_provider_key`, so every
 * replica signs and verifies with the same ones and a restart keeps them. Never used with a real provider.
 */
export async function sandboxKeyPair(prisma: AccountsPrismaService, name: string): Promise<PemKeyPair> {
  const stored = await find(prisma, name);
  if (stored) return stored;
  // Off the event loop (a start-up on a busy machine must not stall), only when there is none yet.
  const fresh = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return storeOnce(prisma, name, fresh.privateKey, fresh.publicKey);
}

/** A 32-character secret (WeChat's APIv3 key), kept like the key pairs. */
export async function sandboxSecret(prisma: AccountsPrismaService, name: string): Promise<string> {
  const stored = await find(prisma, name);
  if (stored) return stored.privateKey;
  const fresh = randomBytes(24).toString('base64url').slice(0, 32);
  return (await storeOnce(prisma, name, fresh, '')).privateKey;
}

async function find(prisma: AccountsPrismaService, name: string): Promise<PemKeyPair | null> {
  const rows = await prisma.$queryRaw<{ private_key: string; public_key: string }[]>`
    SELECT private_key, public_key FROM sandbox_provider_key WHERE name = ${name}`;
  return rows[0] ? { privateKey: rows[0].private_key, publicKey: rows[0].public_key } : null;
}

/** Inserts unless another replica did first; whichever won is what everyone uses. */
async function storeOnce(
  prisma: AccountsPrismaService,
  name: string,
  privateKey: string,
  publicKey: string,
): Promise<PemKeyPair> {
  await prisma.$executeRaw`
    INSERT INTO sandbox_provider_key (name, private_key, public_key) VALUES (${name}, ${privateKey}, ${publicKey})
    ON CONFLICT (name) DO NOTHING`;
  const [row] = await prisma.$queryRaw<{ private_key: string; public_key: string }[]>`
    SELECT private_key, public_key FROM sandbox_provider_key WHERE name = ${name}`;
  return { privateKey: row.private_key, publicKey: row.public_key };
}
