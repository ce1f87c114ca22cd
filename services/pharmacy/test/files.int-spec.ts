import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PHARMACY_RPC, type PharmacyCaller, type UploadUrlView } from '@prescriptchain/contracts';
import { type PharmacyKit, TestClock, createPharmacyKit } from './pharmacy-test-kit';
import { JPEG, PNG } from './support/proof-files';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tokenOf = (upload: UploadUrlView) => upload.uploadUrl.split('/').pop()!;

describe('proof file uploads (local disk, signed URLs)', () => {
  let kit: PharmacyKit;
  const clock = new TestClock();
  let operator: PharmacyCaller;
  let pharmacyId: string;

  const uploadUrl = (contentType: string, size: number, caller = operator) =>
    kit.call<UploadUrlView>(PHARMACY_RPC.createUploadUrl, {
      caller,
      fileName: 'proof.jpg',
      contentType,
      size,
      purpose: 'fulfillment_proof',
    });
  const put = (token: string, bytes: Buffer) =>
    kit.call(PHARMACY_RPC.putFile, { token, base64: bytes.toString('base64') });
  const putFailure = (token: string, bytes: Buffer) =>
    kit.failure(PHARMACY_RPC.putFile, { token, base64: bytes.toString('base64') });
  const confirm = (fileId: string, checksum?: string, caller = operator) =>
    kit.failure(PHARMACY_RPC.confirmFile, { caller, fileId, ...(checksum ? { checksum } : {}) });

  beforeAll(async () => {
    kit = await createPharmacyKit('pharmacy_files', { clock, orders: false });
    const pharmacy = await kit.createPharmacy();
    pharmacyId = pharmacy.id;
    operator = await kit.operatorOf(pharmacy.id);
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('hands out a signed upload URL on the gateway, takes the bytes, and confirms them with their checksum', async () => {
    const upload = await uploadUrl('image/jpeg', 1000);
    expect(upload).toEqual({
      fileId: expect.any(String),
      uploadUrl: expect.stringMatching(/^\/api\/v1\/files\/upload\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      expiresIn: 900,
    });
    const bytes = JPEG(600);
    expect(await put(tokenOf(upload), bytes)).toEqual({ fileId: upload.fileId, size: 600 });
    const confirmed = await kit.call(PHARMACY_RPC.confirmFile, {
      caller: operator,
      fileId: upload.fileId,
      checksum: sha256(bytes).toUpperCase(),
    });
    expect(confirmed).toEqual({
      fileId: upload.fileId,
      status: 'confirmed',
      size: 600,
      contentType: 'image/jpeg',
      checksum: sha256(bytes),
    });
    expect(await readFile(path.join(kit.filesDir, 'pharmacies', pharmacyId, upload.fileId))).toEqual(bytes);
    // Confirming again answers the same; the bytes of a confirmed file can no longer be replaced.
    expect(await confirm(upload.fileId)).toEqual({ code: 'ok' });
    expect((await putFailure(tokenOf(upload), JPEG(500))).code).toBe('CONFLICT');
  });

  it('refuses an altered upload token', async () => {
    const upload = await uploadUrl('image/jpeg', 1000);
    const token = tokenOf(upload);
    const [body, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const laterExpiry = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString(
      'base64url',
    );
    // Flip a bit of the MAC's first byte (replacing its last characters could decode to the same bytes).
    const macBytes = Buffer.from(mac, 'base64url');
    macBytes[0] ^= 0x01;
    const alteredMac = macBytes.toString('base64url');
    for (const bad of [`${laterExpiry}.${mac}`, `${body}.${alteredMac}`, `${body}x.${mac}`]) {
      expect(await putFailure(bad, JPEG(100))).toMatchObject({
        code: '1001',
        message: expect.stringMatching(/invalid or has expired/),
      });
    }
  });

  it('refuses an upload URL once it has expired', async () => {
    const upload = await uploadUrl('image/jpeg', 1000);
    clock.advanceSeconds(upload.expiresIn);
    expect((await putFailure(tokenOf(upload), JPEG(100))).code).toBe('1001');
  });

  it('refuses bytes whose magic numbers do not match the declared type', async () => {
    const upload = await uploadUrl('image/png', 1000);
    const failure = await putFailure(tokenOf(upload), JPEG(100));
    expect(failure).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body' }] });
    expect((await putFailure(tokenOf(upload), Buffer.from('%PDF-1.7 pretending'))).code).toBe(
      'VALIDATION_FAILED',
    );
    // Nothing was stored, so there is nothing to confirm.
    expect(await confirm(upload.fileId)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/Nothing has been uploaded/),
    });
    expect((await put(tokenOf(upload), PNG(100))).size).toBe(100);
  });

  it('refuses more bytes than declared, and declarations over 10 MB', async () => {
    const upload = await uploadUrl('image/jpeg', 100);
    expect((await putFailure(tokenOf(upload), JPEG(101))).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await put(tokenOf(upload), JPEG(100))).size).toBe(100);
    const tooBig = await kit.failure(PHARMACY_RPC.createUploadUrl, {
      caller: operator,
      fileName: 'huge.pdf',
      contentType: 'application/pdf',
      size: 10 * 1024 * 1024 + 1,
      purpose: 'fulfillment_proof',
    });
    expect(tooBig).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'size' }] });
    const gif = await kit.failure(PHARMACY_RPC.createUploadUrl, {
      caller: operator,
      fileName: 'a.gif',
      contentType: 'image/gif',
      size: 10,
      purpose: 'fulfillment_proof',
    });
    expect(gif).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'contentType' }] });
  });

  it('refuses a confirmation whose checksum does not match, leaving the file unconfirmed', async () => {
    const upload = await uploadUrl('image/jpeg', 1000);
    const bytes = JPEG(300);
    await put(tokenOf(upload), bytes);
    expect(await confirm(upload.fileId, sha256(JPEG(301)))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'checksum' }],
    });
    expect(await kit.sql('SELECT status FROM stored_file WHERE id = $1', [upload.fileId])).toEqual([
      { status: 'pending' },
    ]);
    expect(await confirm(upload.fileId, sha256(bytes))).toEqual({ code: 'ok' });
  });

  it("keeps files to the uploader's pharmacy: another pharmacy cannot confirm them", async () => {
    const upload = await uploadUrl('image/jpeg', 1000);
    await put(tokenOf(upload), JPEG(100));
    const stranger = await kit.operatorOf((await kit.createPharmacy()).id);
    expect((await confirm(upload.fileId, undefined, stranger)).code).toBe('NOT_FOUND');
    expect(
      (
        await kit.failure(PHARMACY_RPC.createUploadUrl, {
          caller: kit.admin,
          fileName: 'a.jpg',
          contentType: 'image/jpeg',
          size: 10,
          purpose: 'fulfillment_proof',
        })
      ).code,
    ).toBe('1003');
  });
});
