import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACCOUNTS_RPC,
  AdjustRequestSchema,
  CreateRechargeIntentRequestSchema,
  GetAccountRequestSchema,
  ListLedgerRequestSchema,
  UpdateAccountRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { AdjustBalanceHandler } from '../../../application/adjust-balance/adjust-balance.handler';
import { CreateRechargeIntentHandler } from '../../../application/create-recharge-intent/create-recharge-intent.handler';
import { GetAccountHandler } from '../../../application/get-account/get-account.handler';
import { ListLedgerHandler } from '../../../application/list-ledger/list-ledger.handler';
import { UpdateAccountHandler } from '../../../application/update-account/update-account.handler';

/**
 * `/clinic-accounts` and `/admin/clinic-accounts`. Each request carries the gateway's caller; the use
 * cases check it again (another clinic's account is NOT_FOUND, an admin's call by anyone else
 * INSUFFICIENT_PERMISSIONS), so no RPC client reads or moves a clinic's money it may not.
 */
@Controller()
export class ClinicAccountsController {
  constructor(
    private readonly getAccountHandler: GetAccountHandler,
    private readonly listLedgerHandler: ListLedgerHandler,
    private readonly adjustHandler: AdjustBalanceHandler,
    private readonly updateAccountHandler: UpdateAccountHandler,
    private readonly createRechargeIntentHandler: CreateRechargeIntentHandler,
  ) {}

  @MessagePattern(ACCOUNTS_RPC.getAccount)
  getAccount(@Payload() data: unknown) {
    return this.getAccountHandler.execute(parseRequest(GetAccountRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.listLedger)
  listLedger(@Payload() data: unknown) {
    return this.listLedgerHandler.execute(parseRequest(ListLedgerRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.adjust)
  adjust(@Payload() data: unknown) {
    return this.adjustHandler.execute(parseRequest(AdjustRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.updateAccount)
  updateAccount(@Payload() data: unknown) {
    return this.updateAccountHandler.execute(parseRequest(UpdateAccountRequestSchema, data));
  }

  @MessagePattern(ACCOUNTS_RPC.createRechargeIntent)
  createRechargeIntent(@Payload() data: unknown) {
    return this.createRechargeIntentHandler.execute(parseRequest(CreateRechargeIntentRequestSchema, data));
  }
}
