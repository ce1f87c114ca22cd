import { FileUrlSigner } from './file-url-signer';

describe(FileUrlSigner.name, () => {
  const sut = new FileUrlSigner('a test secret of enough length');
  const now = new Date('2026-11-22T00:00:00Z');
  const exp = Math.floor(now.getTime() / 1000) + 60;
  const fileId = '11111111-2222-4333-8444-555555555555';

  it('verifies its own unexpired token for the operation it was signed for', () => {
    expect(sut.verify(sut.sign({ op: 'put', fileId, exp }), 'put', now)).toEqual({ op: 'put', fileId, exp });
  });

  it('refuses an expired token, a token for the other operation, and a token signed with another secret', () => {
    const token = sut.sign({ op: 'put', fileId, exp });
    expect(sut.verify(token, 'put', new Date(exp * 1000))).toBeNull();
    expect(sut.verify(token, 'get', now)).toBeNull();
    expect(new FileUrlSigner('another secret of enough length').verify(token, 'put', now)).toBeNull();
  });

  it('refuses a token whose claims were altered (another file, a later expiry)', () => {
    const [, mac] = sut.sign({ op: 'get', fileId, exp }).split('.');
    const forged = Buffer.from(JSON.stringify({ op: 'get', fid: fileId, exp: exp + 3600 })).toString(
      'base64url',
    );
    expect(sut.verify(`${forged}.${mac}`, 'get', now)).toBeNull();
    expect(sut.verify('not-a-token', 'get', now)).toBeNull();
    expect(sut.verify('a.b.c', 'get', now)).toBeNull();
  });
});
