import { Controller, Param, Res, StreamableFile } from '@nestjs/common';
import {
  CredentialFileViewSchema,
  CredentialViewSchema,
  ORDERS_RPC,
  type OrderIdRequest,
} from '@prescriptchain/contracts';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, type Principal, scopedCallerOf } from '../access/principal';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { presentCredential } from './orders.presenter';

type IdOf<K extends keyof typeof ROUTES> = RouteInput<(typeof ROUTES)[K], 'params'>;

/**
 * The prescription credential, for its prescriber only (orders decides: anyone else's order is
 * 404, an unpaid, cancelled or expired one 409). The files travel base64 over RPC and leave as bytes.
 */
@Controller()
export class OrderCredentialsController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.getCredential)
  async credential(@Param() { id }: IdOf<'getCredential'>, @CurrentPrincipal() principal: Principal) {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId: id };
    const reply = await this.rpc.call(ORDERS_RPC.getCredential, request);
    return presentCredential(parseReply(CredentialViewSchema, ORDERS_RPC.getCredential, reply));
  }

  @Route(ROUTES.getCredentialPng)
  png(
    @Param() { id }: IdOf<'getCredentialPng'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    return this.file(ORDERS_RPC.credentialPng, id, principal, res);
  }

  @Route(ROUTES.getCredentialPdf)
  pdf(
    @Param() { id }: IdOf<'getCredentialPdf'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    return this.file(ORDERS_RPC.credentialPdf, id, principal, res);
  }

  private async file(pattern: string, orderId: string, principal: Principal, res: ServerResponse) {
    const request: OrderIdRequest = { caller: scopedCallerOf(principal), orderId };
    const file = parseReply(CredentialFileViewSchema, pattern, await this.rpc.call(pattern, request));
    const bytes = Buffer.from(file.base64, 'base64');
    // It names a patient and carries a live credential: no shared cache may keep it.
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(bytes, {
      type: file.contentType,
      disposition: `inline; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`,
      length: bytes.length,
    });
  }
}
