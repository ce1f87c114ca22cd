import { existsSync, readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import QRCode, { type QRCodeToBufferOptions } from 'qrcode';
import {
  CredentialsRenderer,
  type PrintablePrescription,
} from '../../../application/ports/credentials-renderer';

/** Debian's fonts-wqy-microhei (installed by set-up and in the image): Chinese and English. */
export const DEFAULT_CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
/** The face inside the .ttc collection. */
const CJK_FACE = 'WenQuanYiMicroHei';
/**
 * Debian's fonts-dejavu-core, for pinyin: WenQuanYi Micro Hei maps the third-tone letters
 * (ǎ ǐ ǒ ǔ ǚ) to empty glyphs, so `gān cǎo` would print as `gān c o`.
 */
export const DEFAULT_PINYIN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

const THIRD_TONE_BASE: Record<string, string> = {
  ǎ: 'a',
  ǐ: 'i',
  ǒ: 'o',
  ǔ: 'u',
  ǚ: 'ü',
  Ǎ: 'A',
  Ǐ: 'I',
  Ǒ: 'O',
  Ǔ: 'U',
  Ǚ: 'Ü',
};

const PAGE_MARGIN = 48;
const INK = '#1f2933';
const MUTED = '#5f6b7a';
const RULE = '#c8ced6';

export interface PdfFonts {
  cjk: string;
  /** Optional: without it pinyin is set in the CJK font with third-tone marks dropped (ǎ → a). */
  pinyin?: string | null;
}

/**
 * The QR image (qrcode) and the printable prescription (pdfkit), in Chinese and English. The fonts
 * are embedded (as subsets of the glyphs used), so the PDF prints the same everywhere.
 */
@Injectable()
export class PdfCredentialsRenderer extends CredentialsRenderer {
  private readonly fonts: { cjk: Buffer; pinyin: Buffer | null } | null;
  private readonly missing: string | null;

  constructor(
    paths: PdfFonts = {
      cjk: process.env.CREDENTIAL_FONT_PATH || DEFAULT_CJK_FONT,
      pinyin: process.env.CREDENTIAL_PINYIN_FONT_PATH || DEFAULT_PINYIN_FONT,
    },
  ) {
    super();
    // Read once: a prescription is rendered per request, the font files do not change.
    this.missing = existsSync(paths.cjk) ? null : paths.cjk;
    this.fonts = this.missing
      ? null
      : {
          cjk: readFileSync(paths.cjk),
          pinyin: paths.pinyin && existsSync(paths.pinyin) ? readFileSync(paths.pinyin) : null,
        };
  }

  qrPng(qrCodeData: string, width = 512): Promise<Buffer> {
    // Grayscale with the "up" filter: a QR's rows repeat module by module, so this is half the size
    // of pngjs's default (RGBA, every filter tried per row) and several times faster to encode.
    return QRCode.toBuffer(qrCodeData, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      width,
      rendererOpts: { filterType: 2, colorType: 0 },
    } as QRCodeToBufferOptions);
  }

  async prescriptionPdf(p: PrintablePrescription): Promise<Buffer> {
    if (!this.fonts) {
      throw new Error(
        `CJK font not found at ${this.missing}: install fonts-wqy-microhei or set CREDENTIAL_FONT_PATH`,
      );
    }
    // Vector modules, not a bitmap: crisp at any print resolution.
    const qr = QRCode.create(p.qrCodeData, { errorCorrectionLevel: 'M' }).modules;
    const doc = new PDFDocument({
      size: 'A4',
      margin: PAGE_MARGIN,
      info: {
        Title: `处方 Prescription ${p.platformOrderId}`,
        Author: 'PrescriptChain',
        Subject: 'E-prescription',
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('cjk', this.fonts.cjk, CJK_FACE);
    const pinyinFont = this.fonts.pinyin ? 'pinyin' : 'cjk';
    if (this.fonts.pinyin) doc.registerFont('pinyin', this.fonts.pinyin);
    const pinyin = (text: string) =>
      this.fonts?.pinyin ? text : text.replace(/[ǎǐǒǔǚǍǏǑǓǙ]/g, (c) => THIRD_TONE_BASE[c]);
    doc.font('cjk').fillColor(INK);
    draw(doc, p, qr, { font: pinyinFont, text: pinyin });
    doc.end();
    return done;
  }
}

const date = (d: Date) => d.toISOString().slice(0, 10);

type QrModules = { size: number; get(row: number, col: number): number | boolean };

/** The QR symbol as filled rectangles (one per run of dark modules in a row), with a 2-module quiet zone. */
function drawQr(doc: PDFKit.PDFDocument, modules: QrModules, x: number, y: number, size: number): void {
  const quiet = 2;
  const cell = size / (modules.size + quiet * 2);
  doc.save().fillColor('#000000');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size;) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + (start + quiet) * cell, y + (row + quiet) * cell, (col - start) * cell, cell);
    }
  }
  doc.fill().restore();
}

function draw(
  doc: PDFKit.PDFDocument,
  p: PrintablePrescription,
  qr: QrModules,
  pinyin: { font: string; text: (s: string) => string },
): void {
  const left = PAGE_MARGIN;
  const width = doc.page.width - PAGE_MARGIN * 2;
  const qrSize = 130;
  const qrLeft = left + width - qrSize;
  const top = PAGE_MARGIN;

  doc.fontSize(22).text('处方笺  Prescription', left, top, { width: width - qrSize - 12 });
  doc
    .fontSize(9)
    .fillColor(MUTED)
    .text('PrescriptChain · 新西兰中医电子处方 · New Zealand TCM e-prescription');
  doc.moveDown(0.8).fillColor(INK);

  const field = (zh: string, en: string, value: string) => {
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text(`${zh} ${en}`, { continued: true })
      .fillColor(INK)
      .fontSize(11)
      .text(`  ${value}`);
  };
  field('处方号', 'Order ID', p.platformOrderId);
  field('验证码', 'Verification code', p.verificationCode);
  field('开具日期', 'Issued', date(p.issuedAt));
  field('有效期至', 'Valid until', date(p.expiresAt));
  doc.moveDown(0.5);
  if (p.clinicName) field('诊所', 'Clinic', p.clinicName);
  if (p.practitionerName) field('医师', 'Practitioner', p.practitionerName);
  field('患者', 'Patient', p.patientName);
  field('剂数', 'Packs', `${p.packs} 剂 (${p.packs} ${p.packs === 1 ? 'pack' : 'packs'})`);

  drawQr(doc, qr, qrLeft, top, qrSize);
  doc
    .fontSize(7)
    .fillColor(MUTED)
    .text('药房扫码核验 Scan at the pharmacy', qrLeft, top + qrSize + 2, { width: qrSize, align: 'center' })
    .fillColor(INK);

  let y = Math.max(doc.y, top + qrSize + 24) + 10;
  const columns = [
    { zh: '药名', en: 'Medicine', width: 0.34 },
    { zh: '用量', en: 'Per pack', width: 0.12 },
    { zh: '炮制', en: 'Processing', width: 0.14 },
    { zh: '煎法', en: 'Decoction', width: 0.12 },
    { zh: '用法', en: 'Instructions', width: 0.28 },
  ].map((c) => ({ ...c, width: c.width * width }));
  const xs = columns.reduce<number[]>(
    (acc, c, i) => [...acc, i === 0 ? left : acc[i - 1] + columns[i - 1].width],
    [],
  );

  const rule = (at: number) =>
    doc
      .moveTo(left, at)
      .lineTo(left + width, at)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  rule(y);
  y += 4;
  columns.forEach((c, i) => {
    doc
      .fontSize(9)
      .fillColor(INK)
      .text(c.zh, xs[i] + 2, y, { width: c.width - 4 });
    doc
      .fontSize(7)
      .fillColor(MUTED)
      .text(c.en, xs[i] + 2, y + 12, { width: c.width - 4 });
  });
  y += 26;
  rule(y);
  doc.fillColor(INK);

  p.items.forEach((item, n) => {
    const cells = [
      [`${n + 1}. ${item.name}`, `${pinyin.text(item.pinyin)} · ${item.englishName}`],
      [`${item.quantity} ${item.unit}`, ''],
      [item.processing ?? '—', ''],
      [item.decoctionMethod ?? '—', ''],
      [item.dosageInstructions ?? '—', ''],
    ];
    const heights = cells.map(([main, sub], i) => {
      const w = columns[i].width - 4;
      const subHeight = sub ? doc.font(pinyin.font).fontSize(8).heightOfString(sub, { width: w }) : 0;
      return doc.font('cjk').fontSize(11).heightOfString(main, { width: w }) + subHeight;
    });
    const rowHeight = Math.max(...heights) + 8;
    if (y + rowHeight > doc.page.height - PAGE_MARGIN - 60) {
      doc.addPage();
      doc.font('cjk');
      y = PAGE_MARGIN;
    }
    cells.forEach(([main, sub], i) => {
      const w = columns[i].width - 4;
      doc
        .font('cjk')
        .fontSize(11)
        .fillColor(INK)
        .text(main, xs[i] + 2, y + 4, { width: w });
      if (sub)
        doc
          .font(pinyin.font)
          .fontSize(8)
          .fillColor(MUTED)
          .text(sub, xs[i] + 2, doc.y, { width: w });
    });
    y += rowHeight;
    rule(y);
  });

  doc
    .font('cjk')
    .fillColor(INK)
    .fontSize(10)
    .text(
      `共 ${p.items.length} 味，${p.packs} 剂 · ${p.items.length} medicines, ${p.packs} ${p.packs === 1 ? 'pack' : 'packs'}`,
      left,
      y + 8,
      { width },
    );
  if (p.notes) {
    doc
      .moveDown(0.6)
      .fontSize(9)
      .fillColor(MUTED)
      .text('医嘱 Notes')
      .fillColor(INK)
      .fontSize(10)
      .text(p.notes, { width });
  }
  doc
    .moveDown(1.2)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      `请持本处方到合作药房取药，于 ${date(p.expiresAt)} 前有效。药房可扫描二维码，或输入处方号与验证码核验。\n` +
        `Take this prescription to a partner pharmacy before ${date(p.expiresAt)}. The pharmacy scans the QR code, ` +
        'or types the order ID and the verification code.',
      left,
      doc.y,
      { width },
    );
}
