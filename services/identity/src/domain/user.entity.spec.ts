import { User } from './user.entity';

const now = new Date('2026-11-22T00:00:00Z');
const later = new Date('2026-11-23T00:00:00Z');

function codeOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as { key: string }).key;
  }
  return 'ok';
}

const practitioner = () =>
  User.register(
    {
      id: 'u1',
      email: ' Li.Wei@Example.co.NZ ',
      passwordHash: 'h',
      role: 'practitioner',
      fullName: ' Li Wei ',
    },
    now,
  );

describe(User.name, () => {
  it('registers self-service users as pending, with a canonical email', () => {
    const user = practitioner();
    expect(user.status).toBe('pending');
    expect(user.email).toBe('li.wei@example.co.nz');
    expect(user.fullName).toBe('Li Wei');
    expect(user.referralCode).toBeNull();
  });

  it('never lets anyone register as an admin', () => {
    expect(
      codeOf(() =>
        User.register({ id: 'u', email: 'a@b.nz', passwordHash: 'h', role: 'admin', fullName: 'A' }, now),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('approves a pending practitioner and gives them a referral code', () => {
    const user = practitioner();
    user.approve(later, 'ABCD-EFGH');
    expect(user.status).toBe('approved');
    expect(user.referralCode).toBe('ABCD-EFGH');
    expect(user.snapshot().approvedAt).toEqual(later);
  });

  it('gives pharmacy operators no referral code', () => {
    const op = User.register(
      { id: 'u2', email: 'op@ph.nz', passwordHash: 'h', role: 'pharmacy_operator', fullName: 'Op' },
      now,
    );
    op.approve(later, 'ABCD-EFGH');
    expect(op.referralCode).toBeNull();
  });

  it('refuses to approve an approved user or suspend a suspended one', () => {
    const user = practitioner();
    user.approve(later, 'ABCD-EFGH');
    expect(codeOf(() => user.approve(later, 'ZZZZ-ZZZZ'))).toBe('CONFLICT');
    user.suspend(later);
    expect(codeOf(() => user.suspend(later))).toBe('CONFLICT');
  });

  it('suspends pending and approved users; re-approval keeps the first referral code', () => {
    const pending = practitioner();
    pending.suspend(later);
    expect(pending.status).toBe('suspended');

    const user = practitioner();
    user.approve(now, 'ABCD-EFGH');
    user.suspend(later);
    expect(user.status).toBe('suspended');
    expect(user.snapshot().suspendedAt).toEqual(later);
    user.approve(later, 'WXYZ-2345');
    expect(user.status).toBe('approved');
    expect(user.referralCode).toBe('ABCD-EFGH');
    expect(user.snapshot().suspendedAt).toBeNull();
  });

  it('lets only approved users through assertApproved', () => {
    const user = practitioner();
    expect(codeOf(() => user.assertApproved())).toBe('ACCOUNT_NOT_APPROVED');
    user.approve(now, 'ABCD-EFGH');
    expect(codeOf(() => user.assertApproved())).toBe('ok');
    user.suspend(later);
    expect(codeOf(() => user.assertApproved())).toBe('ACCOUNT_NOT_APPROVED');
  });

  it('admits only approved practitioners to clinics and approved operators to pharmacies', () => {
    const user = practitioner();
    expect(codeOf(() => user.assertCanJoinClinic())).toBe('VALIDATION_FAILED');
    user.approve(now, 'ABCD-EFGH');
    expect(codeOf(() => user.assertCanJoinClinic())).toBe('ok');
    expect(codeOf(() => user.assertCanOperatePharmacy())).toBe('VALIDATION_FAILED');
  });

  it('creates the bootstrap admin already approved', () => {
    const admin = User.bootstrapAdmin(
      { id: 'a', email: 'Admin@PC.nz', passwordHash: 'h', fullName: 'Admin' },
      now,
    );
    expect(admin.role).toBe('admin');
    expect(admin.status).toBe('approved');
    expect(admin.email).toBe('admin@pc.nz');
  });
});
