import type { ProofView } from '@prescriptchain/contracts';
import { toWire } from '../http/money';

/**
 * A proof in its HTTP form; `url` turns each file's signed download path into the URL the client
 * uses (a file without one has no `expiresIn` either).
 */
export const presentProof = (p: ProofView, url: (signed: string) => string = (signed) => signed) =>
  toWire({
    ...p,
    files: p.files.map(({ downloadUrl, expiresIn, ...f }) => ({
      ...f,
      ...(downloadUrl !== undefined && { downloadUrl: url(downloadUrl), expiresIn }),
    })),
  });
