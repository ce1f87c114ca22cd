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
 * Writes a Y4M video for Chromium's fake camera (`--use-file-for-fake-video-capture`): the image
 * centred, unscaled (every QR module stays whole), on a white frame at least 640×480. Y4M is a text
 * header and raw I420 frames: the Y plane is the luminance, U and V (quarter size) 128 — grey.
 * Chromium loops the file, so the camera shows the image for as long as it runs.
 */
export function writeY4m(path: string, image: GreyImage, frames = 2): { width: number; height: number } {
  const width = even(Math.max(640, image.width + 64));
  const height = even(Math.max(480, image.height + 64));
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
