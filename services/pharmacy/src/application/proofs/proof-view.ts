import type { ProofFileView, ProofView } from '@prescriptchain/contracts';
import type { FileStorage } from '../ports/file-storage';
import type { PharmacyRepositories, ProofRecord } from '../ports/pharmacy-store';
import { toProofFileView, toProofView } from '../views';

/** Proofs with their files; with `downloadTtlSeconds`, each file carries a signed download URL. */
export async function proofViews(
  repos: PharmacyRepositories,
  proofs: ProofRecord[],
  download?: { storage: FileStorage; ttlSeconds: number },
): Promise<ProofView[]> {
  const files = new Map(
    (await repos.files.findMany([...new Set(proofs.flatMap((p) => p.fileIds))])).map((f) => [f.id, f]),
  );
  return Promise.all(
    proofs.map(async (p) => {
      const views: ProofFileView[] = [];
      for (const id of p.fileIds) {
        const f = files.get(id);
        if (!f) continue;
        const url = download
          ? await download.storage.createDownloadUrl(
              {
                key: f.storageKey,
                fileId: f.id,
                fileName: f.fileName,
                contentType: f.contentType,
                size: f.size ?? f.declaredSize,
              },
              download.ttlSeconds,
            )
          : undefined;
        views.push(toProofFileView(f, url ? { url, expiresIn: download!.ttlSeconds } : undefined));
      }
      return toProofView(p, views);
    }),
  );
}
