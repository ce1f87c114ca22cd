import { DECOCTION_METHODS, type DecoctionMethod } from '../catalogue/medicine';
import { pinyinKey } from '../catalogue/pinyin';

/** The pinyin of each decoction instruction, folded with pinyinKey (`xiān jiān`, `Xian Jian`, `xianjian`). */
const BY_PINYIN: ReadonlyMap<string, DecoctionMethod> = new Map([
  [pinyinKey('xiān jiān'), '先煎'],
  [pinyinKey('hòu xià'), '后下'],
  [pinyinKey('bāo jiān'), '包煎'],
  [pinyinKey('lìng jiān'), '另煎'],
  [pinyinKey('yáng huà'), '烊化'],
  [pinyinKey('chōng fú'), '冲服'],
]);

/**
 * The Chinese decoction method for what a practitioner wrote: the characters themselves or their
 * pinyin with or without tones and spaces. Undefined when it is none of the six.
 */
export function normalizeDecoctionMethod(input: string): DecoctionMethod | undefined {
  const trimmed = input.trim();
  if ((DECOCTION_METHODS as readonly string[]).includes(trimmed)) return trimmed as DecoctionMethod;
  const key = pinyinKey(trimmed);
  return key ? BY_PINYIN.get(key) : undefined;
}
