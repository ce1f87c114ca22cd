import { CodedError, MAX_CENTS } from '@prescriptchain/contracts';

/** Amounts are integer cents; NUMERIC(12,2) holds at most MAX_CENTS (9,999,999,999.99). */
export { MAX_CENTS };

/** Refuses anything but a safe integer number of cents within the column's range. */
export function assertCents(
  value: number,
  path: string,
  { allowNegative = false, allowZero = true } = {},
): void {
  const ok =
    Number.isSafeInteger(value) &&
    Math.abs(value) <= MAX_CENTS &&
    (allowNegative || value >= 0) &&
    (allowZero || value !== 0);
  if (!ok) {
    const expected = `${allowNegative ? 'a signed' : 'a non-negative'}${allowZero ? '' : ', non-zero'} whole number of cents up to ${MAX_CENTS}`;
    throw new CodedError('VALIDATION_FAILED', `${path} must be ${expected}.`, [
      { path, message: `must be ${expected}` },
    ]);
  }
}
