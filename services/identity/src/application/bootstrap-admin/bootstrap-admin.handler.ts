import { Injectable, Logger } from '@nestjs/common';
import { UserApprovedV1, UserRegisteredV1 } from '@prescriptchain/contracts';
import { PasswordPolicy } from '../../domain/password-policy';
import { User, normalizeEmail } from '../../domain/user.entity';
import { Clock } from '../clock';
import { IdentityConfig } from '../identity-config';
import { AuthProvider } from '../ports/auth-provider';
import { IdentityStore } from '../ports/identity-store';
import { newId } from '../secrets';

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no account has that email.
 * Idempotent and safe when several replicas start at once (one lock, checked inside it).
 */
@Injectable()
export class BootstrapAdminHandler {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    private readonly store: IdentityStore,
    private readonly auth: AuthProvider,
    private readonly passwords: PasswordPolicy,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<'created' | 'exists' | 'not_configured'> {
    const admin = this.config.admin;
    if (!admin) return 'not_configured';
    const email = normalizeEmail(admin.email);
    if (await this.store.repos.users.findByEmail(email)) return 'exists';
    // A weak bootstrap password is a configuration error worth failing start-up for.
    this.passwords.assertAcceptable(admin.password, { email });
    const id = newId();
    const passwordHash = await this.auth.enrolPassword({ userId: id, email }, admin.password);
    const outcome = await this.store.transaction(async (tx) => {
      await tx.lock('bootstrap-admin');
      if (await tx.users.findByEmail(email)) return 'exists' as const;
      const user = User.bootstrapAdmin(
        { id, email, passwordHash, fullName: admin.fullName },
        this.clock.now(),
      );
      await tx.users.insert(user);
      // Announced like any approved account, so other services' directories (e.g. who gets admin emails) learn of it.
      const { fullName, locale } = user.snapshot();
      await tx.publish(UserRegisteredV1, {
        userId: id,
        email,
        fullName,
        role: 'admin',
        locale,
        referredByUserId: null,
      });
      await tx.publish(UserApprovedV1, {
        userId: id,
        email,
        fullName,
        role: 'admin',
        locale,
        approvedBy: id,
      });
      await tx.audit.record({
        actorId: null,
        action: 'user.bootstrapped',
        subjectId: user.id,
        ip: null,
        details: { role: 'admin' },
      });
      return 'created' as const;
    });
    if (outcome === 'created') this.logger.log('Created the first admin account from ADMIN_EMAIL.');
    return outcome;
  }
}
