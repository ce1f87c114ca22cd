import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import {
  type ListProofsRequest,
  PHARMACY_RPC,
  ProofPageViewSchema,
  ProofViewSchema,
  type ReviewProofRequest,
  type SubmitProofRequest,
} from '@prescriptchain/contracts';
import type { IncomingMessage } from 'node:http';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { Page } from '../http/envelope';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { pharmacyCallerOf } from './pharmacy-caller';
import { presentProof } from './pharmacy.presenter';
import { publicUrl } from './public-url';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/**
 * Proofs of dispensing: a pharmacy claims an order with one (pharmacy asks orders for the
 * compare-and-set, so the first pharmacy wins), an admin reviews it (approval fulfils the order and
 * opens the settlement for the payout fixed at submission).
 */
@Controller()
export class FulfillmentController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.submitFulfillmentProof)
  async submit(@Body() body: In<'submitFulfillmentProof', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: SubmitProofRequest = { caller: pharmacyCallerOf(principal), ...body };
    const reply = await this.rpc.call(PHARMACY_RPC.submitProof, request);
    return presentProof(parseReply(ProofViewSchema, PHARMACY_RPC.submitProof, reply));
  }

  @Route(ROUTES.listFulfillments)
  async list(
    @Query() query: In<'listFulfillments', 'query'>,
    @CurrentPrincipal() principal: Principal,
    @Req() req: IncomingMessage,
  ) {
    const request: ListProofsRequest = { caller: pharmacyCallerOf(principal), ...query };
    const { items, page, limit, total } = parseReply(
      ProofPageViewSchema,
      PHARMACY_RPC.listProofs,
      await this.rpc.call(PHARMACY_RPC.listProofs, request),
    );
    const url = (signed: string) => publicUrl(req, signed);
    return new Page(
      items.map((p) => presentProof(p, url)),
      page,
      limit,
      total,
    );
  }

  @Route(ROUTES.reviewFulfillment)
  async review(
    @Param() { id }: In<'reviewFulfillment', 'params'>,
    @Body() body: In<'reviewFulfillment', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: ReviewProofRequest = {
      caller: pharmacyCallerOf(principal),
      proofId: id,
      decision: body.decision,
      comments: body.comments,
      reviewerId: principal.userId,
    };
    const reply = await this.rpc.call(PHARMACY_RPC.reviewProof, request);
    return presentProof(parseReply(ProofViewSchema, PHARMACY_RPC.reviewProof, reply));
  }
}
