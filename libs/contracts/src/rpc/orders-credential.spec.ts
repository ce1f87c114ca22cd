import { randomInt } from 'node:crypto';
import {
  CROCKFORD_ALPHABET,
  generatePlatformOrderId,
  isValidPlatformOrderId,
  parsePlatformOrderId,
} from './orders-credential';

const symbolsOf = (id: string) => id.replace(/^PC-/, '').replace(/-/g, '');
const asId = (nine: string) => `PC-${nine.slice(0, 4)}-${nine.slice(4, 8)}-${nine[8]}`;
const ids = Array.from({ length: 200 }, () => generatePlatformOrderId(() => randomInt(32)));

describe('platformOrderId', () => {
  it('is PC- and 8 + 1 Crockford base32 symbols in groups people can type', () => {
    for (const id of ids)
      expect(id).toMatch(/^PC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
  });

  it('validates every id it generates', () => {
    for (const id of ids) expect(isValidPlatformOrderId(id)).toBe(true);
  });

  it('catches every single-symbol typo, the check symbol included', () => {
    for (const id of ids.slice(0, 40)) {
      const s = symbolsOf(id);
      for (let i = 0; i < s.length; i++) {
        for (const c of CROCKFORD_ALPHABET) {
          if (c === s[i]) continue;
          const typo = asId(s.slice(0, i) + c + s.slice(i + 1));
          expect([typo, isValidPlatformOrderId(typo)]).toEqual([typo, false]);
        }
      }
    }
  });

  it('catches every transposition of two different symbols, adjacent or not', () => {
    for (const id of ids) {
      const s = [...symbolsOf(id)];
      for (let i = 0; i < s.length; i++) {
        for (let j = i + 1; j < s.length; j++) {
          if (s[i] === s[j]) continue;
          const swapped = [...s];
          [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
          const typo = asId(swapped.join(''));
          expect([typo, isValidPlatformOrderId(typo)]).toEqual([typo, false]);
        }
      }
    }
  });

  it('reads what people type: any case, spaces or no hyphens, O for 0 and I or L for 1', () => {
    const id = generatePlatformOrderId(() => 0); // the all-zero body's check symbol is 0 too
    expect(id).toBe('PC-0000-0000-0');
    expect(parsePlatformOrderId('pc 0OO0 0000 o')).toBe(id);
    const withOnes = ids.find((i) => i.includes('1')) ?? id;
    expect(parsePlatformOrderId(symbolsOf(withOnes).toLowerCase().replace(/1/g, 'l'))).toBe(withOnes);
    expect(parsePlatformOrderId(` ${withOnes.replace(/1/g, 'I')} `)).toBe(withOnes);
  });

  it('refuses what is not a platformOrderId', () => {
    for (const bad of [
      '',
      'PC-',
      'PC-0000-0000',
      'PC-0000-0000-00',
      'XX-0000-0000-0',
      'PC-0000-0000-U',
      '123e4567',
    ]) {
      expect(isValidPlatformOrderId(bad)).toBe(false);
    }
  });

  it('draws another body when the check value has no base32 symbol', () => {
    // Body 11111111 needs check value 33 (no symbol), so the generator must move on to the next body.
    const draws = [...'11111111', ...'00000000'].map(Number);
    let n = 0;
    expect(generatePlatformOrderId(() => draws[n++])).toBe('PC-0000-0000-0');
    expect(n).toBe(16);
  });
});
