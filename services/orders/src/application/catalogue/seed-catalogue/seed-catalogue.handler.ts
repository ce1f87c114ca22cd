import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CatalogueMedicine } from '../../../domain/catalogue/medicine';
import { SEED_MEDICINES } from '../../../domain/catalogue/seed-catalogue';
import { MedicineRepository } from '../../ports/medicine-repository';

/** Bump when what the seed writes changes without the data changing (a new derived column...). */
const SEED_FORMAT = 1;

export interface SeedResult {
  status: 'unchanged' | 'applied' | 'applied-elsewhere';
  medicines: number;
  inserted: number;
  updated: number;
}

/** The fingerprint of a seed: its data and the format the seed writes it in. */
export function seedHash(medicines: readonly CatalogueMedicine[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: SEED_FORMAT, medicines }))
    .digest('hex');
}

/**
 * Brings the medicines table up to data/medicines.json at start-up. Runs on every boot, so the
 * common case — nothing changed — is one indexed read: the stored hash equals the data's.
 */
@Injectable()
export class SeedCatalogueHandler {
  constructor(private readonly medicines: MedicineRepository) {}

  async execute(seed: readonly CatalogueMedicine[] = SEED_MEDICINES): Promise<SeedResult> {
    const hash = seedHash(seed);
    if ((await this.medicines.seedHash()) === hash) {
      return { status: 'unchanged', medicines: seed.length, inserted: 0, updated: 0 };
    }
    const outcome = await this.medicines.applySeed(hash, seed);
    return {
      status: outcome.applied ? 'applied' : 'applied-elsewhere',
      medicines: seed.length,
      inserted: outcome.inserted,
      updated: outcome.updated,
    };
  }
}
