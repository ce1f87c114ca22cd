import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  ClinicMembershipViewSchema,
  ClinicViewSchema,
  IDENTITY_RPC,
  PHARMACY_RPC,
  PharmacyOperatorLinkViewSchema,
  type PharmacyIdRequest,
  ReferralListViewSchema,
  UserListViewSchema,
  UserViewSchema,
} from '@prescriptchain/contracts';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { Page } from '../http/envelope';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';

/** Admin operations on users, clinics, pharmacy operators and referrals (identity checks the admin role again). */
@Controller()
export class IdentityAdminController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.listUsers)
  async listUsers(
    @Query() query: RouteInput<typeof ROUTES.listUsers, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.listUsers;
    const reply = await this.rpc.call(pattern, { caller: callerOf(principal), ...query });
    /** Identity's lists answer `{ items, total }`; the envelope wants a Page. */
    const { items, total } = parseReply(UserListViewSchema, pattern, reply);
    return new Page(items, query.page, query.limit, total);
  }

  @Route(ROUTES.approveUser)
  async approveUser(
    @Param() params: RouteInput<typeof ROUTES.approveUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.approveUser;
    return parseReply(
      UserViewSchema,
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal), userId: params.id }),
    );
  }

  @Route(ROUTES.suspendUser)
  async suspendUser(
    @Param() params: RouteInput<typeof ROUTES.suspendUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.suspendUser;
    return parseReply(
      UserViewSchema,
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal), userId: params.id }),
    );
  }

  @Route(ROUTES.createClinic)
  async createClinic(
    @Body() body: RouteInput<typeof ROUTES.createClinic, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.createClinic;
    return parseReply(
      ClinicViewSchema,
      pattern,
      await this.rpc.call(pattern, { caller: callerOf(principal), ...body }),
    );
  }

  @Route(ROUTES.addClinicMember)
  async addClinicMember(
    @Param() params: RouteInput<typeof ROUTES.addClinicMember, 'params'>,
    @Body() body: RouteInput<typeof ROUTES.addClinicMember, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.addClinicMember;
    const request = { caller: callerOf(principal), clinicId: params.id, userId: body.userId };
    return parseReply(ClinicMembershipViewSchema, pattern, await this.rpc.call(pattern, request));
  }

  /**
   * Identity owns the link but cannot see pharmacies: pharmacy says whether the pharmacy exists
   * (404 NOT_FOUND when it does not, before identity is asked to link anything).
   */
  @Route(ROUTES.linkPharmacyOperator)
  async linkPharmacyOperator(
    @Param() params: RouteInput<typeof ROUTES.linkPharmacyOperator, 'params'>,
    @Body() body: RouteInput<typeof ROUTES.linkPharmacyOperator, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const lookup: PharmacyIdRequest = {
      caller: { userId: principal.userId, role: principal.role },
      pharmacyId: params.id,
    };
    await this.rpc.call(PHARMACY_RPC.getPharmacy, lookup);
    const pattern = IDENTITY_RPC.linkPharmacyOperator;
    const request = { caller: callerOf(principal), pharmacyId: params.id, userId: body.userId };
    return parseReply(PharmacyOperatorLinkViewSchema, pattern, await this.rpc.call(pattern, request));
  }

  @Route(ROUTES.listReferrals)
  async listReferrals(
    @Query() query: RouteInput<typeof ROUTES.listReferrals, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const pattern = IDENTITY_RPC.listReferrals;
    const reply = await this.rpc.call(pattern, { caller: callerOf(principal), ...query });
    /** Identity's lists answer `{ items, total }`; the envelope wants a Page. */
    const { items, total } = parseReply(ReferralListViewSchema, pattern, reply);
    return new Page(items, query.page, query.limit, total);
  }
}
