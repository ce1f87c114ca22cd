export interface ClinicAddress {
  street: string;
  city: string;
  country: string;
  postalCode: string;
}

export interface Clinic {
  id: string;
  name: string;
  address: ClinicAddress;
  contact: { phone: string | null; email: string | null };
  licenseNumber: string | null;
  /** An approved practitioner who runs the clinic (also made a member), if named. */
  ownerId: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClinicMembership {
  clinicId: string;
  userId: string;
  addedById: string | null;
  addedAt: Date;
}

export interface PharmacyOperatorLink {
  userId: string;
  pharmacyId: string;
  linkedById: string;
  linkedAt: Date;
}
