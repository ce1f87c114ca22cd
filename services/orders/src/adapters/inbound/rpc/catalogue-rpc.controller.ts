import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateMedicineRequestSchema,
  GetMedicineRequestSchema,
  MedicinePricesRequestSchema,
  MedicineSearchRequestSchema,
  ORDERS_CATALOGUE_RPC,
  RetireMedicineRequestSchema,
  UpdateMedicineRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { CreateMedicineHandler } from '../../../application/catalogue/create-medicine/create-medicine.handler';
import { GetMedicineHandler } from '../../../application/catalogue/get-medicine/get-medicine.handler';
import { GetMedicinePricesHandler } from '../../../application/catalogue/get-medicine-prices/get-medicine-prices.handler';
import { RetireMedicineHandler } from '../../../application/catalogue/retire-medicine/retire-medicine.handler';
import { SearchMedicinesHandler } from '../../../application/catalogue/search-medicines/search-medicines.handler';
import { UpdateMedicineHandler } from '../../../application/catalogue/update-medicine/update-medicine.handler';

/** `orders.medicines.*`: the contract is parsed here, the use cases check roles. */
@Controller()
export class CatalogueRpcController {
  constructor(
    private readonly search: SearchMedicinesHandler,
    private readonly getMedicine: GetMedicineHandler,
    private readonly createMedicine: CreateMedicineHandler,
    private readonly updateMedicine: UpdateMedicineHandler,
    private readonly retireMedicine: RetireMedicineHandler,
    private readonly medicinePrices: GetMedicinePricesHandler,
  ) {}

  @MessagePattern(ORDERS_CATALOGUE_RPC.medicinePrices)
  prices(@Payload() data: unknown) {
    return this.medicinePrices.execute(parseRequest(MedicinePricesRequestSchema, data).medicineIds);
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.searchMedicines)
  searchMedicines(@Payload() data: unknown) {
    return this.search.execute(parseRequest(MedicineSearchRequestSchema, data));
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.getMedicine)
  get(@Payload() data: unknown) {
    return this.getMedicine.execute(parseRequest(GetMedicineRequestSchema, data).id);
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.createMedicine)
  create(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(CreateMedicineRequestSchema, data);
    return this.createMedicine.execute(caller, input);
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.updateMedicine)
  update(@Payload() data: unknown) {
    const { caller, id, ...patch } = parseRequest(UpdateMedicineRequestSchema, data);
    return this.updateMedicine.execute(caller, id, patch);
  }

  @MessagePattern(ORDERS_CATALOGUE_RPC.retireMedicine)
  retire(@Payload() data: unknown) {
    const { caller, id } = parseRequest(RetireMedicineRequestSchema, data);
    return this.retireMedicine.execute(caller, id);
  }
}
