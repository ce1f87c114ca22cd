import { TopUp } from './top-up.entity';

const requested = () =>
  TopUp.request({
    id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    clinicId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55',
    amountCents: 50_000,
    requestedBy: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    at: new Date(),
  });

describe(TopUp.name, () => {
  it('succeeds once: a second success for the same intent reports that it was already counted', () => {
    const sut = requested();
    sut.intentCreated('pi_1');
    expect(sut.succeed('pi_1', new Date())).toBe(true);
    expect(sut.succeed('pi_1', new Date())).toBe(false);
    expect(sut.status).toBe('succeeded');
  });

  it('may succeed before the intent creation was recorded (a fast webhook)', () => {
    const sut = requested();
    expect(sut.succeed('pi_1', new Date())).toBe(true);
    sut.intentCreated('pi_1');
    expect(sut.status).toBe('succeeded');
  });

  it('counts a success after a failed attempt on the same intent', () => {
    const sut = requested();
    sut.fail('pi_1');
    expect(sut.succeed('pi_1', new Date())).toBe(true);
  });

  it('refuses to be bound to a second PaymentIntent', () => {
    const sut = requested();
    sut.intentCreated('pi_1');
    expect(() => sut.intentCreated('pi_2')).toThrow(/already has PaymentIntent/);
  });
});
