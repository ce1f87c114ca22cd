import type { PrintablePrescription } from '../../../application/ports/credentials-renderer';
import { DEFAULT_CJK_FONT, PdfCredentialsRenderer } from './pdf-credentials.renderer';

const prescription: PrintablePrescription = {
  platformOrderId: 'PC-7K3M-9QX3-Y',
  qrCodeData: 'eyJhbGciOiJFZERTQSJ9.eyJvaWQiOiI3ZTFkMmMzYiIsInBpZCI6IlBDLTdLM00tOVFYMy1ZIn0.c2lnbmF0dXJl',
  verificationCode: '042917',
  issuedAt: new Date('2026-11-22T02:00:00Z'),
  expiresAt: new Date('2026-12-22T02:00:00Z'),
  clinicName: '奥克兰中医诊所 Auckland TCM Clinic',
  practitionerName: 'Dr Li Wei 李伟',
  patientName: 'Mere Tane',
  packs: 7,
  notes: '忌生冷辛辣。Avoid cold and spicy food.',
  items: [
    {
      name: '当归',
      pinyin: 'dāng guī',
      englishName: 'Chinese Angelica Root',
      quantity: '10.25',
      unit: 'g',
      processing: '酒洗',
      decoctionMethod: '后下',
      dosageInstructions: '每日一剂，水煎分两次温服 Once daily, two doses',
    },
    {
      name: '甘草',
      pinyin: 'gān cǎo',
      englishName: 'Liquorice Root',
      quantity: '6',
      unit: 'g',
      processing: '炙',
      decoctionMethod: '先煎',
      dosageInstructions: null,
    },
  ],
};

/** What a PDF reader checks first: header, trailer, and a startxref that points at the xref table. */
function expectWellFormedPdf(pdf: string) {
  expect(pdf.startsWith('%PDF-1.')).toBe(true);
  expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf)?.[1]);
  expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
}

/** Font names embedded as subsets (a Type0 font and its CID font both name it). */
const embeddedFonts = (pdf: string) =>
  [...new Set([...pdf.matchAll(/\/BaseFont \/[A-Z]{6}\+(\w+)/g)].map((m) => m[1]))].sort();

describe(PdfCredentialsRenderer.name, () => {
  it('prints a well-formed PDF with the CJK font (and the pinyin font) embedded as subsets', async () => {
    const pdf = (await new PdfCredentialsRenderer().prescriptionPdf(prescription)).toString('latin1');
    expectWellFormedPdf(pdf);
    expect(embeddedFonts(pdf)).toEqual(['DejaVuSans', 'WenQuanYiMicroHei']);
    expect(pdf.match(/\/FontFile2 /g)).toHaveLength(2);
    expect(pdf).not.toContain('/Subtype /Image'); // the QR code is drawn as vectors, not a bitmap
  });

  it('still prints with the CJK font alone when no pinyin font is installed', async () => {
    const renderer = new PdfCredentialsRenderer({ cjk: DEFAULT_CJK_FONT, pinyin: '/nonexistent/pinyin.ttf' });
    const pdf = (await renderer.prescriptionPdf(prescription)).toString('latin1');
    expectWellFormedPdf(pdf);
    expect(embeddedFonts(pdf)).toEqual(['WenQuanYiMicroHei']);
  });

  it('says which font is missing instead of printing boxes', async () => {
    const renderer = new PdfCredentialsRenderer({ cjk: '/nonexistent/cjk.ttc' });
    await expect(renderer.prescriptionPdf(prescription)).rejects.toThrow(
      /CJK font not found at \/nonexistent\/cjk\.ttc/,
    );
  });

  it('draws the QR code as a PNG', async () => {
    const png = await new PdfCredentialsRenderer().qrPng(prescription.qrCodeData);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
