import { FulfillmentProof, PROOF_MOVES, PROOF_STATUSES, type ProofStatus } from './fulfillment-proof';

const T0 = new Date('2026-12-01T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ADMIN = '44444444-4444-4444-8444-444444444444';

const submitted = () =>
  FulfillmentProof.submit(
    {
      id: '11111111-1111-4111-8111-111111111111',
      orderId: '22222222-2222-4222-8222-222222222222',
      pharmacyId: '33333333-3333-4333-8333-333333333333',
      submittedBy: '55555555-5555-4555-8555-555555555555',
      payoutCents: 900,
      notes: null,
      fileIds: ['66666666-6666-4666-8666-666666666666'],
    },
    T0,
  );

function proofIn(status: ProofStatus): FulfillmentProof {
  const p = submitted();
  if (status === 'claiming') return p;
  if (status === 'failed') return (p.refuse(at(1), '4003: another pharmacy holds it'), p);
  p.accept(at(1), 850);
  if (status === 'pending') return p;
  p.review(at(2), status === 'approved' ? 'approve' : 'reject', ADMIN, null);
  return p;
}

function attempt(p: FulfillmentProof, to: ProofStatus): void {
  switch (to) {
    case 'pending':
      return p.accept(at(5), 900);
    case 'failed':
      return p.refuse(at(5), 'refused');
    case 'approved':
      return p.review(at(5), 'approve', ADMIN, null);
    case 'rejected':
      return p.review(at(5), 'reject', ADMIN, 'blurry');
    case 'claiming':
      throw Object.assign(new Error('no way back to claiming'), { code: '2003' });
  }
}

describe(FulfillmentProof.name, () => {
  const pairs = PROOF_STATUSES.flatMap((from) => PROOF_STATUSES.map((to) => [from, to] as const));
  const legal = (from: ProofStatus, to: ProofStatus) => PROOF_MOVES[from].includes(to);

  it.each(pairs.filter(([f, t]) => legal(f, t)))('moves %s → %s', (from, to) => {
    const p = proofIn(from);
    attempt(p, to);
    expect(p.status).toBe(to);
  });

  it.each(pairs.filter(([f, t]) => !legal(f, t)))('refuses %s → %s with a coded error', (from, to) => {
    const p = proofIn(from);
    const before = structuredClone(p.snapshot);
    expect(() => attempt(p, to)).toThrow(expect.objectContaining({ code: '2003' }));
    expect(p.snapshot).toEqual(before);
  });

  it('takes the payout orders fixed at the claim when accepted', () => {
    const p = submitted();
    p.accept(at(1), 850);
    expect(p.snapshot).toMatchObject({ status: 'pending', payoutCents: 850, claimAttempts: 1 });
  });

  it('keeps the reviewer, time and comments of a review', () => {
    const p = proofIn('pending');
    p.review(at(3), 'reject', ADMIN, 'The photo does not show the labels');
    expect(p.snapshot).toMatchObject({
      status: 'rejected',
      reviewerId: ADMIN,
      reviewComments: 'The photo does not show the labels',
      reviewedAt: at(3),
    });
  });

  it('notes an unanswered attempt only while claiming', () => {
    const p = submitted();
    p.noteUnansweredAttempt(at(1), 'GATEWAY_TIMEOUT');
    expect(p.snapshot).toMatchObject({
      status: 'claiming',
      claimAttempts: 1,
      lastClaimError: 'GATEWAY_TIMEOUT',
    });
    expect(() => proofIn('pending').noteUnansweredAttempt(at(2), 'x')).toThrow(
      expect.objectContaining({ code: '2003' }),
    );
  });

  it('refuses a proof without files, with a file twice, or with a negative payout', () => {
    const base = submitted().snapshot;
    expect(() => FulfillmentProof.submit({ ...base, fileIds: [] }, T0)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => FulfillmentProof.submit({ ...base, fileIds: ['a', 'a'] }, T0)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => FulfillmentProof.submit({ ...base, payoutCents: -1 }, T0)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
