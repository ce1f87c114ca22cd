/** Minimal files with the right magic numbers, and a helper that uploads and confirms one. */
import { PHARMACY_RPC, type PharmacyCaller, type UploadUrlView } from '@prescriptchain/contracts';
import type { AmqpRpcClient } from '@prescriptchain/messaging';

export const JPEG = (size: number) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 7)]);
export const PNG = (size: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 1)]);
export const tokenOf = (url: string) => url.split('/').pop()!;

/** Upload-url → PUT (as the gateway forwards it) → confirm; returns the confirmed file's id. */
export async function confirmedFile(
  rpc: AmqpRpcClient,
  caller: PharmacyCaller,
  bytes = JPEG(256),
): Promise<string> {
  const upload = await rpc.call<UploadUrlView>(PHARMACY_RPC.createUploadUrl, {
    caller,
    fileName: 'dispensed.jpg',
    contentType: 'image/jpeg',
    size: bytes.length,
    purpose: 'fulfillment_proof',
  });
  await rpc.call(PHARMACY_RPC.putFile, {
    token: tokenOf(upload.uploadUrl),
    base64: bytes.toString('base64'),
  });
  await rpc.call(PHARMACY_RPC.confirmFile, { caller, fileId: upload.fileId });
  return upload.fileId;
}
