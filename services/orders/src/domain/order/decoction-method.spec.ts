import { normalizeDecoctionMethod } from './decoction-method';

describe('decoction method', () => {
  it.each([
    ['先煎', '先煎'],
    ['xiān jiān', '先煎'],
    ['Xian Jian', '先煎'],
    ['houxia', '后下'],
    ['bāo jiān', '包煎'],
    ['ling jian', '另煎'],
    ['YANG HUA', '烊化'],
    ['chong fu', '冲服'],
  ])('reads %p as %s', (input, method) => expect(normalizeDecoctionMethod(input)).toBe(method));

  it.each(['', 'boil', '煎', 'xian', '先煎后下'])('knows no method %p', (input) =>
    expect(normalizeDecoctionMethod(input)).toBeUndefined(),
  );
});
