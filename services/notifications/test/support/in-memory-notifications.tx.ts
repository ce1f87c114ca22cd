import type {
  NewEmailDelivery,
  NewInAppNotification,
  NotificationsTx,
  PharmacyFacts,
  SourceMessage,
  UserFacts,
} from '../../src/application/ports/notifications-store';
import type { PharmacyRecipient, UserRecipient } from '../../src/domain/recipient';

/** The directory and notification rows in memory: a fake of the port for unit specs. */
export class InMemoryNotificationsTx implements NotificationsTx {
  readonly users = new Map<string, UserRecipient>();
  readonly pharmacies = new Map<string, PharmacyRecipient>();
  readonly clinicMembers = new Set<string>();
  readonly inApp: (NewInAppNotification & { messageId: string })[] = [];
  readonly emails: (NewEmailDelivery & { messageId: string })[] = [];

  async recordUser(f: UserFacts): Promise<void> {
    const u = this.users.get(f.userId);
    this.users.set(f.userId, {
      userId: f.userId,
      role: f.role,
      email: f.email ?? u?.email ?? null,
      fullName: f.fullName ?? u?.fullName ?? null,
      locale: f.locale ?? u?.locale ?? 'en',
      status: f.status ?? u?.status ?? 'pending',
      pharmacyId: u?.pharmacyId ?? null,
    });
  }

  async linkOperator(userId: string, pharmacyId: string): Promise<void> {
    const u = this.users.get(userId);
    if (u) u.pharmacyId = pharmacyId;
  }

  async recordPharmacy(f: PharmacyFacts): Promise<void> {
    this.pharmacies.set(f.pharmacyId, { ...f, status: f.status ?? 'active' });
  }

  async findUser(userId: string) {
    return this.users.get(userId) ?? null;
  }

  async approvedAdmins() {
    return [...this.users.values()].filter((u) => u.role === 'admin' && u.status === 'approved' && u.email);
  }

  async findPharmacy(pharmacyId: string) {
    return this.pharmacies.get(pharmacyId) ?? null;
  }

  async addClinicMember(clinicId: string, userId: string): Promise<void> {
    this.clinicMembers.add(`${clinicId}/${userId}`);
  }

  async practitionersOf(clinicId: string) {
    return [...this.users.values()].filter(
      (u) => this.clinicMembers.has(`${clinicId}/${u.userId}`) && u.role === 'practitioner' && u.status === 'approved',
    );
  }

  async operatorsOf(pharmacyId: string) {
    return [...this.users.values()].filter(
      (u) => u.pharmacyId === pharmacyId && u.role === 'pharmacy_operator' && u.status === 'approved',
    );
  }

  async addInApp(source: SourceMessage, n: NewInAppNotification): Promise<boolean> {
    if (this.inApp.some((x) => x.messageId === source.messageId && x.userId === n.userId)) return false;
    this.inApp.push({ ...n, messageId: source.messageId });
    return true;
  }

  async addEmail(source: SourceMessage, d: NewEmailDelivery): Promise<boolean> {
    if (this.emails.some((x) => x.messageId === source.messageId && x.to === d.to)) return false;
    this.emails.push({ ...d, messageId: source.messageId });
    return true;
  }
}
