import { createHash, randomUUID } from 'node:crypto';
import { PHARMACY_RPC, type ProofPageView, type UploadUrlView } from '@prescriptchain/contracts';
import { SupabaseFileStorage } from '../src/adapters/outbound/supabase/supabase-file.storage';
import { type PharmacyKit, createPharmacyKit } from './pharmacy-test-kit';
import { JPEG, PNG } from './support/proof-files';
import { SupabaseStorageStandIn } from './support/supabase-storage-standin';

const KEY = 'service-role-key-for-the-suite';
const BUCKET = 'fulfillment-proofs';
const object = (key: string, size: number) => ({
  key,
  fileId: key.split('/').pop()!,
  fileName: 'proof.jpg',
  contentType: 'image/jpeg',
  size,
});

describe(SupabaseFileStorage.name, () => {
  const standIn = new SupabaseStorageStandIn(KEY, BUCKET);
  let sut: SupabaseFileStorage;

  beforeAll(async () => {
    await standIn.start();
    sut = new SupabaseFileStorage({
      url: standIn.url,
      serviceRoleKey: KEY,
      bucket: BUCKET,
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await standIn.stop();
  });

  it('hands out a signed upload URL the client PUTs to directly, and reads the bytes back', async () => {
    const target = await sut.createUpload(object('pharmacies/p/f1', 100));
    expect(target).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      expiresIn: 7200,
    });
    expect(target.url).toMatch(
      new RegExp(`^${standIn.url}/storage/v1/object/upload/sign/${BUCKET}/pharmacies/p/f1\\?token=`),
    );
    const bytes = JPEG(100);
    const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: bytes });
    expect(put.status).toBe(200);
    expect(await sut.read('pharmacies/p/f1')).toEqual(bytes);
  });

  it('signs download URLs that serve the object', async () => {
    await sut.write('pharmacies/p/f2', PNG(64), 'image/png');
    const url = await sut.createDownloadUrl(object('pharmacies/p/f2', 64), 60);
    expect(url.startsWith(`${standIn.url}/storage/v1/object/sign/${BUCKET}/pharmacies/p/f2?token=`)).toBe(
      true,
    );
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG(64));
  });

  it('reads a missing object as null, and a refused request as EXTERNAL_SERVICE_ERROR', async () => {
    expect(await sut.read('pharmacies/p/none')).toBeNull();
    const wrongKey = new SupabaseFileStorage({
      url: standIn.url,
      serviceRoleKey: 'not-the-key',
      bucket: BUCKET,
      timeoutMs: 2_000,
    });
    await expect(wrongKey.createUpload(object('pharmacies/p/f3', 10))).rejects.toMatchObject({
      code: '5001',
    });
  });

  describe('wired into the service (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY set)', () => {
    let kit: PharmacyKit;

    beforeAll(async () => {
      kit = await createPharmacyKit('pharmacy_supabase', {
        env: { SUPABASE_URL: standIn.url, SUPABASE_SERVICE_ROLE_KEY: KEY, SUPABASE_STORAGE_BUCKET: BUCKET },
      });
    });

    afterAll(async () => {
      await kit?.close();
    });

    it('uploads straight to Storage, confirms from what Storage holds, and lists proofs with Storage download URLs', async () => {
      const pharmacy = await kit.createPharmacy();
      const operator = await kit.operatorOf(pharmacy.id);
      const bytes = JPEG(2048);
      const upload = await kit.call<UploadUrlView>(PHARMACY_RPC.createUploadUrl, {
        caller: operator,
        fileName: 'proof.jpg',
        contentType: 'image/jpeg',
        size: bytes.length,
        purpose: 'fulfillment_proof',
      });
      expect(upload.uploadUrl.startsWith(`${standIn.url}/storage/v1/object/upload/sign/`)).toBe(true);
      // Wrong content first: confirmation checks what Storage really holds.
      await fetch(upload.uploadUrl, { method: upload.method, headers: upload.headers, body: PNG(100) });
      expect(
        (await kit.failure(PHARMACY_RPC.confirmFile, { caller: operator, fileId: upload.fileId })).code,
      ).toBe('VALIDATION_FAILED');
      await fetch(upload.uploadUrl, { method: upload.method, headers: upload.headers, body: bytes });
      const checksum = createHash('sha256').update(bytes).digest('hex');
      expect(
        await kit.call(PHARMACY_RPC.confirmFile, { caller: operator, fileId: upload.fileId, checksum }),
      ).toMatchObject({
        status: 'confirmed',
        size: 2048,
      });

      const medicineId = randomUUID();
      await kit.call(PHARMACY_RPC.replaceInventory, {
        caller: operator,
        pharmacyId: pharmacy.id,
        items: [{ medicineId, wholesalePriceCents: 10, available: true }],
      });
      const order = await kit.orders.paidOrder([{ medicineId, quantity: '10' }]);
      await kit.orderVisible(order.orderId);
      await kit.call(PHARMACY_RPC.claimOrder, { caller: operator, qrCodeData: order.qrCodeData });
      await kit.call(PHARMACY_RPC.submitProof, {
        caller: operator,
        orderId: order.orderId,
        fileIds: [upload.fileId],
      });
      const page = await kit.call<ProofPageView>(PHARMACY_RPC.listProofs, {
        caller: kit.admin,
        status: 'pending',
      });
      const url = page.items[0].files[0].downloadUrl!;
      expect(url.startsWith(`${standIn.url}/storage/v1/object/sign/`)).toBe(true);
      expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes);
    });
  });
});
