import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreatePharmacyRequestSchema,
  ListPharmaciesRequestSchema,
  PHARMACY_RPC,
  PharmacyIdRequestSchema,
  UpdatePharmacyRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { CreatePharmacyHandler } from '../../../application/directory/create-pharmacy/create-pharmacy.handler';
import { GetPharmacyHandler } from '../../../application/directory/get-pharmacy/get-pharmacy.handler';
import { ListPharmaciesHandler } from '../../../application/directory/list-pharmacies/list-pharmacies.handler';
import { UpdatePharmacyHandler } from '../../../application/directory/update-pharmacy/update-pharmacy.handler';

/** `/admin/pharmacies` (admins; get also for the pharmacy's own operators). */
@Controller()
export class DirectoryController {
  constructor(
    private readonly createPharmacy: CreatePharmacyHandler,
    private readonly updatePharmacy: UpdatePharmacyHandler,
    private readonly listPharmacies: ListPharmaciesHandler,
    private readonly getPharmacy: GetPharmacyHandler,
  ) {}

  @MessagePattern(PHARMACY_RPC.createPharmacy)
  create(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(CreatePharmacyRequestSchema, data);
    return this.createPharmacy.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.updatePharmacy)
  update(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(UpdatePharmacyRequestSchema, data);
    return this.updatePharmacy.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.suspendPharmacy)
  suspend(@Payload() data: unknown) {
    const { caller, pharmacyId } = parseRequest(PharmacyIdRequestSchema, data);
    return this.updatePharmacy.execute(caller, { pharmacyId, status: 'suspended' });
  }

  @MessagePattern(PHARMACY_RPC.listPharmacies)
  list(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ListPharmaciesRequestSchema, data);
    return this.listPharmacies.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.getPharmacy)
  get(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(PharmacyIdRequestSchema, data);
    return this.getPharmacy.execute(caller, input);
  }
}
