import { PasswordPolicy, parsePasswordList } from './password-policy';

describe(PasswordPolicy.name, () => {
  const sut = new PasswordPolicy(parsePasswordList('123456\npassword\nqwertyuiop\npassword123\n'));
  const codeOf = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return (e as { key: string }).key;
    }
    return 'accepted';
  };

  it('refuses passwords shorter than ten characters', () => {
    expect(sut.problems('Xk7#pQ2!z')).toEqual(['must be at least 10 characters']);
    expect(sut.problems('Xk7#pQ2!zR')).toEqual([]);
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(sut.problems('中药处方安全第一号')).toContain('must be at least 10 characters'); // 9 characters
    expect(sut.problems('中药处方安全第一号码')).toEqual([]);
  });

  it('refuses a listed password whatever its case', () => {
    expect(sut.problems('QwertyUIOP')).toEqual(['is too common']);
    expect(sut.problems('PASSWORD123')).toEqual(['is too common']);
  });

  it('refuses the account email or its local part', () => {
    expect(sut.problems('li.wei.tcm@example.co.nz', { email: 'Li.Wei.TCM@example.co.nz' })).toEqual([
      'must not be your email address',
    ]);
    expect(sut.problems('li.wei.tcm', { email: 'li.wei.tcm@example.co.nz' })).toEqual([
      'must not be your email address',
    ]);
  });

  it('accepts a long passphrase that is on no list', () => {
    expect(codeOf(() => sut.assertAcceptable('correct horse battery staple'))).toBe('accepted');
  });

  it('throws VALIDATION_FAILED with one detail per problem, on the password field', () => {
    try {
      sut.assertAcceptable('password');
      throw new Error('accepted');
    } catch (e) {
      const err = e as { key: string; details: { path: string; message: string }[] };
      expect(err.key).toBe('VALIDATION_FAILED');
      expect(err.details).toEqual([
        { path: 'password', message: 'must be at least 10 characters' },
        { path: 'password', message: 'is too common' },
      ]);
    }
  });

  it('reads a list ignoring blanks and comments, lower-casing entries', () => {
    expect([...parsePasswordList('# header\nAbc\n\n  Def  \r\n')]).toEqual(['abc', 'def']);
  });
});
