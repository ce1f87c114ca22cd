/** Everything printed on a prescription; names in Chinese, pinyin and English. */
export interface PrintablePrescription {
  platformOrderId: string;
  qrCodeData: string;
  verificationCode: string;
  issuedAt: Date;
  expiresAt: Date;
  clinicName: string | null;
  practitionerName: string | null;
  patientName: string;
  packs: number;
  notes: string | null;
  items: {
    name: string;
    pinyin: string;
    englishName: string;
    quantity: string;
    unit: string;
    processing: string | null;
    decoctionMethod: string | null;
    dosageInstructions: string | null;
  }[];
}

/** The QR image and the printable, bilingual prescription (a CJK font embedded). */
export abstract class CredentialsRenderer {
  abstract qrPng(qrCodeData: string): Promise<Buffer>;
  abstract prescriptionPdf(prescription: PrintablePrescription): Promise<Buffer>;
}
