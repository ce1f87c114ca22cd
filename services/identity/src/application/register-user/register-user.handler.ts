import { Injectable } from '@nestjs/common';
import { CodedError, type RegisteredView, UserRegisteredV1 } from '@prescriptchain/contracts';
import { PasswordPolicy } from '../../domain/password-policy';
import { normalizeReferralCode } from '../../domain/referral-code';
import { type Locale, type SelfServiceRole, User, normalizeEmail } from '../../domain/user.entity';
import { Clock } from '../clock';
import { AuthProvider } from '../ports/auth-provider';
import { IdentityStore } from '../ports/identity-store';
import { newId } from '../secrets';
import { userView } from '../views';

export interface RegisterUserInput {
  email: string;
  password: string;
  role: SelfServiceRole;
  fullName: string;
  phone?: string | null;
  licenseNumber?: string | null;
  referralCode?: string | null;
  locale?: Locale;
  ip?: string | null;
}

/** Self-registration: a `pending` practitioner or pharmacy operator, optionally referred by a practitioner. */
@Injectable()
export class RegisterUserHandler {
  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly passwords: PasswordPolicy,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterUserInput): Promise<RegisteredView> {
    const email = normalizeEmail(input.email);
    this.passwords.assertAcceptable(input.password, { email });

    let referredById: string | null = null;
    if (input.referralCode) {
      const code = normalizeReferralCode(input.referralCode);
      const referrer = code ? await this.store.repos.users.findByReferralCode(code) : null;
      if (!referrer?.canRefer) {
        throw new CodedError('VALIDATION_FAILED', 'The referral code is not valid.', [
          { path: 'referralCode', message: 'is not a valid referral code' },
        ]);
      }
      referredById = referrer.id;
    }
    if (await this.store.repos.users.findByEmail(email)) {
      throw new CodedError('CONFLICT', 'An account with this email already exists.', [
        { path: 'email', message: 'is taken' },
      ]);
    }

    const id = newId();
    // Hash outside the transaction: argon2 is deliberately slow and must not hold a connection.
    const passwordHash = await this.auth.enrolPassword({ userId: id, email }, input.password);
    const user = User.register(
      {
        id,
        email,
        passwordHash,
        role: input.role,
        fullName: input.fullName,
        phone: input.phone || null,
        licenseNumber: input.licenseNumber || null,
        locale: input.locale,
        referredById,
      },
      this.clock.now(),
    );

    await this.withEnrolmentUndo(id, () =>
      this.store.transaction(async (tx) => {
        await tx.users.insert(user);
        await tx.publish(UserRegisteredV1, {
          userId: user.id,
          email: user.email,
          fullName: user.fullName,
          role: user.role,
          locale: user.snapshot().locale,
          referredByUserId: referredById,
        });
        await tx.audit.record({
          actorId: user.id,
          action: 'user.registered',
          subjectId: user.id,
          ip: input.ip ?? null,
          details: { role: user.role, referredByUserId: referredById },
        });
      }),
    );
    return { user: userView(user) };
  }

  private async withEnrolmentUndo<T>(userId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      await this.auth.discardEnrolment({ userId }).catch(() => undefined);
      throw err;
    }
  }
}
