import { writeFileSync } from 'node:fs';

/** An image as 8-bit luminance, row by row (what a QR decoder looks at). */
export interface GreyImage {
  width: number;
  height: number;
  /** width × height values, 0 (black) to 255 (white). */
  grey: number[];
}

const even = (n: number) => n + (n % 2);

/**
 * The QR in `image` (a rendered code: dark modules on white, its quiet zone around it) redrawn
 * crisp at whole pixels per module so that it fits `fit` pixels: the module grid is read back from
 * the top-left finder pattern (7 modules wide) and each module sampled at its centre. A camera frame
 * of it then needs no scaling, which would smear modules across pixels.
 */
export function redrawQr(image: GreyImage, fit = 440): GreyImage {
  const dark = (x: number, y: number) => image.grey[Math.floor(y) * image.width + Math.floor(x)] < 128;
  let top = -1;
  let left = -1;
  for (let y = 0; y < image.height && top < 0; y++)
    for (let x = 0; x < image.width; x++)
      if (dark(x, y)) {
        [top, left] = [y, x];
        break;
      }
  if (top < 0) throw new Error('no QR code in the image');
  let run = 0;
  while (dark(left + run, top)) run++;
  let right = image.width - 1;
  while (!dark(right, top)) right--;
  const module = run / 7;
  const count = Math.round((right - left + 1) / module);
  const quiet = 4;
  const scale = Math.floor(fit / (count + 2 * quiet));
  if (scale < 2) throw new Error(`a ${count}-module QR does not fit ${fit} px`);
  const size = (count + 2 * quiet) * scale;
  const grey = new Array<number>(size * size).fill(255);
  for (let my = 0; my < count; my++)
    for (let mx = 0; mx < count; mx++) {
      if (!dark(left + (mx + 0.5) * module, top + (my + 0.5) * module)) continue;
      for (let py = 0; py < scale; py++)
        for (let px = 0; px < scale; px++) grey[((quiet + my) * scale + py) * size + (quiet + mx) * scale + px] = 0;
    }
  return { width: size, height: size, grey };
}

/**
 * Writes a Y4M video for Chromium's fake camera (`--use-file-for-fake-video-capture`): the image
 * centred, unscaled, on a white frame at least 640×480 (give it one that fits: see redrawQr). Y4M is a text
 * header and raw I420 frames: the Y plane is the luminance, U and V (quarter size) 128 — grey.
 * Chromium loops the file, so the camera shows the image for as long as it runs.
 */
export function writeY4m(path: string, image: GreyImage, frames = 2): { width: number; height: number } {
  // 640×480: what a page gets from getUserMedia without constraints (no rescaling of our frames).
  const width = even(Math.max(640, image.width));
  const height = even(Math.max(480, image.height));
  const y = Buffer.alloc(width * height, 255);
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  for (let row = 0; row < image.height; row++)
    for (let col = 0; col < image.width; col++) y[(top + row) * width + left + col] = image.grey[row * image.width + col];
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return { width, height };
}
