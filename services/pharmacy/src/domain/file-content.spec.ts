import { safeFileName, sniffContentType } from './file-content';

describe('file content', () => {
  it('recognises JPEG, PNG and PDF by their magic bytes', () => {
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe(
      'image/png',
    );
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('recognises nothing else, whatever it is called', () => {
    expect(sniffContentType(Buffer.from('<html>'))).toBeNull();
    expect(sniffContentType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffContentType(Buffer.alloc(0))).toBeNull();
  });

  it('keeps only the base name of an uploaded file, without control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\photos\\proof 1.jpg')).toBe('proof 1.jpg');
    expect(safeFileName('a"b\u0000c.pdf')).toBe('abc.pdf');
    expect(safeFileName('///')).toBe('file');
  });
});
