import { createPasswordPolicy, loadCommonPasswords } from './load-common-passwords';

describe('the shipped common-password list', () => {
  it('holds several hundred well-known passwords, lower-cased', () => {
    const list = loadCommonPasswords();
    expect(list.size).toBeGreaterThan(800);
    for (const known of [
      '123456',
      'password',
      'qwertyuiop',
      'iloveyou',
      '1q2w3e4r5t',
      'password123',
      '1qaz2wsx3edc',
    ]) {
      expect(list.has(known)).toBe(true);
    }
    expect([...list].every((p) => p === p.toLowerCase())).toBe(true);
  });

  it('makes the policy refuse long passwords that are on it, whatever their case', () => {
    const policy = createPasswordPolicy();
    for (const common of ['1234567890', 'QWERTYUIOP', 'Password1234', 'iloveyou123', 'zaq12wsxcde3']) {
      expect(policy.problems(common)).toEqual(['is too common']);
    }
    expect(policy.problems('ginseng and goji at dawn')).toEqual([]);
  });
});
