import type { ServerResponse } from 'node:http';
import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import {
  ClaimPageViewSchema,
  ClaimResultViewSchema,
  type ListPharmacyClaimsRequest,
  PHARMACY_RPC,
  type PharmacyClaimRequest,
  type PharmacyReleaseRequest,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { assertPharmacyScope } from '../access/scope';
import { Page } from '../http/envelope';
import { toWire } from '../http/money';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { pharmacyCallerOf } from './pharmacy-caller';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;
type Reply = ServerResponse & { status(code: number): unknown };

/**
 * Redemption claims: a pharmacy claims a prescription before dispensing it (pharmacy checks the
 * credential, orders' compare-and-set decides who holds it), gives it back, and lists what it holds.
 */
@Controller()
export class ClaimsController {
  constructor(private readonly rpc: BackendRpc) {}

  /** 201 for a new claim, 200 when this pharmacy already held the order (the same claim). */
  @Route(ROUTES.claimOrder)
  async claim(
    @Body() body: In<'claimOrder', 'body'>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Reply,
  ) {
    const caller = pharmacyCallerOf(principal);
    const request: PharmacyClaimRequest =
      body.qrCodeData !== undefined
        ? { caller, qrCodeData: body.qrCodeData }
        : { caller, platformOrderId: body.platformOrderId!, verificationCode: body.verificationCode! };
    const claim = parseReply(
      ClaimResultViewSchema,
      PHARMACY_RPC.claimOrder,
      await this.rpc.call(PHARMACY_RPC.claimOrder, request),
    );
    if (claim.alreadyHeld) res.status(200);
    return toWire(claim);
  }

  @Route(ROUTES.releaseClaim)
  async release(
    @Param() { orderId }: In<'releaseClaim', 'params'>,
    @Body() body: In<'releaseClaim', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: PharmacyReleaseRequest = {
      caller: pharmacyCallerOf(principal),
      orderId,
      reason: body.reason,
    };
    const reply = await this.rpc.call(PHARMACY_RPC.releaseClaim, request);
    return toWire(parseReply(ClaimResultViewSchema, PHARMACY_RPC.releaseClaim, reply));
  }

  /** Another pharmacy's list is 404 here, as for one that does not exist; pharmacy checks its links again. */
  @Route(ROUTES.listClaims)
  async list(
    @Param() { id }: In<'listClaims', 'params'>,
    @Query() query: In<'listClaims', 'query'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPharmacyScope(principal, id);
    const request: ListPharmacyClaimsRequest = {
      caller: pharmacyCallerOf(principal),
      pharmacyId: id,
      ...query,
    };
    const { items, page, limit, total } = parseReply(
      ClaimPageViewSchema,
      PHARMACY_RPC.listClaims,
      await this.rpc.call(PHARMACY_RPC.listClaims, request),
    );
    return new Page(toWire(items), page, limit, total);
  }
}
