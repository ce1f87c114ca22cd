import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  NearbyRequestSchema,
  PHARMACY_RPC,
  PharmacyIdRequestSchema,
  ReplaceInventoryRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { GetInventoryHandler } from '../../../application/inventory/get-inventory/get-inventory.handler';
import { ReplaceInventoryHandler } from '../../../application/inventory/replace-inventory/replace-inventory.handler';
import { FindNearbyPharmaciesHandler } from '../../../application/nearby/find-nearby-pharmacies/find-nearby-pharmacies.handler';

/** Declared supply (`PUT /pharmacies/:id/inventory`) and the public nearby search. */
@Controller()
export class InventoryController {
  constructor(
    private readonly replaceInventory: ReplaceInventoryHandler,
    private readonly getInventory: GetInventoryHandler,
    private readonly findNearby: FindNearbyPharmaciesHandler,
  ) {}

  @MessagePattern(PHARMACY_RPC.replaceInventory)
  replace(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ReplaceInventoryRequestSchema, data);
    return this.replaceInventory.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.getInventory)
  get(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(PharmacyIdRequestSchema, data);
    return this.getInventory.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.nearby)
  nearby(@Payload() data: unknown) {
    return this.findNearby.execute(parseRequest(NearbyRequestSchema, data));
  }
}
