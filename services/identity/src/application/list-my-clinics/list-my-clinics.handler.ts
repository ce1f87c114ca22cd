import { Injectable } from '@nestjs/common';
import type { ClinicView } from '@prescriptchain/contracts';
import type { Caller } from '../caller';
import { IdentityStore } from '../ports/identity-store';
import { clinicView } from '../views';

/** The clinics the caller is a member of. */
@Injectable()
export class ListMyClinicsHandler {
  constructor(private readonly store: IdentityStore) {}

  async execute(caller: Caller): Promise<ClinicView[]> {
    return (await this.store.repos.clinics.listForMember(caller.userId)).map(clinicView);
  }
}
