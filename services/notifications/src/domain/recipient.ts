import type { Locale } from './locale';

export type UserRole = 'practitioner' | 'pharmacy_operator' | 'admin';
export type UserStatus = 'pending' | 'approved' | 'suspended';

/** A person as the directory knows them from identity's events. */
export interface UserRecipient {
  userId: string;
  /** Null until an event carrying it arrived (a suspension can come first). */
  email: string | null;
  fullName: string | null;
  role: UserRole;
  locale: Locale;
  status: UserStatus;
  /** Set for pharmacy operators once identity linked them. */
  pharmacyId: string | null;
}

/** A pharmacy as the directory knows it from the pharmacy service's events. */
export interface PharmacyRecipient {
  pharmacyId: string;
  name: string;
  contactEmail: string;
  locale: Locale;
  status: 'active' | 'suspended';
}
