import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACCOUNTS_RPC,
  ListSettlementsRequestSchema,
  MarkSettlementPaidRequestSchema,
  PharmacySettlementsRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { GetPharmacySettlementsHandler } from '../../../application/get-pharmacy-settlements/get-pharmacy-settlements.handler';
import { ListSettlementsHandler } from '../../../application/list-settlements/list-settlements.handler';
import { MarkSettlementPaidHandler } from '../../../application/mark-settlement-paid/mark-settlement-paid.handler';

/** `/admin/settlements` (admins) and `/pharmacies/:id/settlements` (admins and that pharmacy's operator): the use cases check the caller. */
@Controller()
export class SettlementsController {
  constructor(
    private readonly listSettlementsHandler: ListSettlementsHandler,
    private readonly markPaidHandler: MarkSettlementPaidHandler,
    private readonly pharmacySettlementsHandler: GetPharmacySettlementsHandler,
  ) {}

  @MessagePattern(ACCOUNTS_RPC.listSettlements)
  listSettlements(@Payload() data: unknown) {
    return this.listSettlementsHandler.execute(parseRequest(ListSettlementsRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.markSettlementPaid)
  markSettlementPaid(@Payload() data: unknown) {
    return this.markPaidHandler.execute(parseRequest(MarkSettlementPaidRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.pharmacySettlements)
  pharmacySettlements(@Payload() data: unknown) {
    return this.pharmacySettlementsHandler.execute(parseRequest(PharmacySettlementsRequestSchema, data));
  }
}
