import type { Reader } from '@zxing/library';

type Zxing = Pick<typeof import('@zxing/library'), 'QRCodeReader' | 'DecodeHintType'>;

/**
 * The QR reader for camera frames and photos alike: an image is read as a camera frame (zxing's
 * detector finds the code anywhere in it) and, failing that, as a clean image of the code alone
 * (PURE_BARCODE: the code is the box around the dark pixels). zxing-js's detector misses the finder
 * patterns of about one sharp, large code in five — the PNG the patient was sent, a screenshot, a
 * code on a phone's screen held to the camera — which the pure reading decodes every time; on a
 * cluttered frame the pure reading finds nothing, and the camera keeps looking.
 */
export function qrReader({ QRCodeReader, DecodeHintType }: Zxing): Reader {
  const qr = new QRCodeReader();
  const pure = new Map([[DecodeHintType.PURE_BARCODE, true]]);
  return {
    decode(image, hints) {
      try {
        return qr.decode(image, hints ?? undefined);
      } catch {
        return qr.decode(image, pure);
      }
    },
    reset: () => qr.reset(),
  };
}
