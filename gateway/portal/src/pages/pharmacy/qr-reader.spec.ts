import * as zxing from '@zxing/library';
import QRCode from 'qrcode';
import { qrReader } from './qr-reader';

const { BinaryBitmap, HybridBinarizer, NotFoundException, PlanarYUVLuminanceSource, QRCodeReader } = zxing;

/**
 * A 640×480 camera frame (luminance) showing `text` as a crisp QR, `scale` pixels per module, on
 * white — what a phone's screen or the PNG the patient was sent looks like to the camera.
 */
function frame(text: string, scale = 6): InstanceType<typeof BinaryBitmap> {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const [width, height, quiet] = [640, 480, 4];
  const side = (modules.size + 2 * quiet) * scale;
  const [left, top] = [Math.floor((width - side) / 2), Math.floor((height - side) / 2)];
  const y = new Uint8ClampedArray(width * height).fill(255);
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++)
          y[(top + (quiet + row) * scale + dy) * width + left + (quiet + col) * scale + dx] = 0;
    }
  return new BinaryBitmap(new HybridBinarizer(new PlanarYUVLuminanceSource(y, width, height, 0, 0, width, height, false)));
}

const payload = (i: number) =>
  `PC1.order-${i}-${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.repeat(4).slice(0, 200)}`;
const blank = () => new BinaryBitmap(new HybridBinarizer(new PlanarYUVLuminanceSource(new Uint8ClampedArray(640 * 480).fill(255), 640, 480, 0, 0, 640, 480, false)));

describe('the QR reader of the pharmacy scanner', () => {
  it("reads a sharp code zxing's detector misses, as the code alone", () => {
    // Payload 10 (a 57-module code at 6 px per module) is one whose finder patterns the detector misses.
    expect(() => new QRCodeReader().decode(frame(payload(10)))).toThrow(NotFoundException);
    expect(qrReader(zxing).decode(frame(payload(10))).getText()).toBe(payload(10));
  });

  it('reads every one of 40 sharp codes at two scales', () => {
    for (let i = 0; i < 40; i++)
      for (const scale of [5, 6]) expect(qrReader(zxing).decode(frame(payload(i), scale)).getText()).toBe(payload(i));
  });

  it('finds nothing in a frame without a code (the camera keeps looking)', () => {
    expect(() => qrReader(zxing).decode(blank())).toThrow(NotFoundException);
  });
});
