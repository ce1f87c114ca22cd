import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
  const fresh = generateRsaKeyPair();
  return storeOnce(prisma, name, fresh.privateKey, fresh.publicKey);
}

/** A 32-character secret (WeChat's APIv3 key), kept like the key pairs. */
export async function sandboxSecret(prisma: AccountsPrismaService, name: string): Promise<string> {
  const fresh = randomBytes(24).toString('base64url').slice(0, 32);
  return (await storeOnce(prisma, name, fresh, '')).privateKey;
}

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
