import { PasswordPolicy } from '../../domain/password-policy';
import { Clock } from '../clock';
import { AuthProvider } from '../ports/auth-provider';
import { IdentityStore } from '../ports/identity-store';
import { RegisterUserHandler } from './register-user.handler';

/** A provider that keeps its own user records (as Supabase does) and remembers what it undid. */
class RecordingProvider {
  enrolled: string[] = [];
  discarded: string[] = [];
  async enrolPassword(account: { userId: string }) {
    this.enrolled.push(account.userId);
    return null;
  }
  async discardEnrolment(account: { userId: string }) {
    this.discarded.push(account.userId);
  }
}

const storeWhoseTransactionFails = (failure: Error) =>
  ({
    repos: { users: { findByEmail: async () => null, findByReferralCode: async () => null } },
    transaction: async () => {
      throw failure;
    },
  }) as unknown as IdentityStore;

describe(RegisterUserHandler.name, () => {
  const policy = new PasswordPolicy(new Set(['password123']));

  it('discards the provider-side enrolment when the registration transaction fails', async () => {
    const provider = new RecordingProvider();
    const failure = new Error('unique violation');
    const sut = new RegisterUserHandler(
      storeWhoseTransactionFails(failure),
      provider as unknown as AuthProvider,
      policy,
      new Clock(),
    );

    await expect(
      sut.execute({
        email: 'mei.chen@example.co.nz',
        password: 'a-long-and-unusual-passphrase',
        role: 'practitioner',
        fullName: 'Mei Chen',
      }),
    ).rejects.toBe(failure);
    expect(provider.enrolled).toHaveLength(1);
    expect(provider.discarded).toEqual(provider.enrolled);
  });
});
