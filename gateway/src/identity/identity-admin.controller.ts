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
import { Authenticator } from '../access/authenticator';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { Page } from '../http/envelope';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { askIdentity } from './ask-identity';

/**
 * Admin operations on users, clinics, pharmacy operators and referrals (identity checks the admin
 * role again). What changes a user's principal (approval, suspension, clinic membership, pharmacy
 * link) drops it from this gateway's cache when identity answers — or fails to: it may have
 * committed — so the next request here sees the change; other replicas hear identity's event.
 */
@Controller()
export class IdentityAdminController {
  constructor(
    private readonly rpc: BackendRpc,
    private readonly authenticator: Authenticator,
  ) {}

  private async changing<T>(userId: string | null | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      if (userId) this.authenticator.forget(userId);
    }
  }

  @Route(ROUTES.listUsers)
  async listUsers(
    @Query() query: RouteInput<typeof ROUTES.listUsers, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    // Identity's lists answer `{ items, total }`; the envelope wants a Page.
    const { items, total } = await askIdentity(this.rpc, UserListViewSchema, IDENTITY_RPC.listUsers, {
      caller: callerOf(principal),
      ...query,
    });
    return new Page(items, query.page, query.limit, total);
  }

  @Route(ROUTES.approveUser)
  async approveUser(
    @Param() params: RouteInput<typeof ROUTES.approveUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.changing(params.id, () =>
      askIdentity(this.rpc, UserViewSchema, IDENTITY_RPC.approveUser, {
        caller: callerOf(principal),
        userId: params.id,
      }),
    );
  }

  @Route(ROUTES.suspendUser)
  async suspendUser(
    @Param() params: RouteInput<typeof ROUTES.suspendUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.changing(params.id, () =>
      askIdentity(this.rpc, UserViewSchema, IDENTITY_RPC.suspendUser, {
        caller: callerOf(principal),
        userId: params.id,
      }),
    );
  }

  @Route(ROUTES.createClinic)
  async createClinic(
    @Body() body: RouteInput<typeof ROUTES.createClinic, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    // A clinic created with an owner makes the owner a member.
    return this.changing(body.ownerId, () =>
      askIdentity(this.rpc, ClinicViewSchema, IDENTITY_RPC.createClinic, {
        caller: callerOf(principal),
        ...body,
      }),
    );
  }

  @Route(ROUTES.addClinicMember)
  async addClinicMember(
    @Param() params: RouteInput<typeof ROUTES.addClinicMember, 'params'>,
    @Body() body: RouteInput<typeof ROUTES.addClinicMember, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const request = { caller: callerOf(principal), clinicId: params.id, userId: body.userId };
    return this.changing(body.userId, () =>
      askIdentity(this.rpc, ClinicMembershipViewSchema, IDENTITY_RPC.addClinicMember, request),
    );
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
    const request = { caller: callerOf(principal), pharmacyId: params.id, userId: body.userId };
    return this.changing(body.userId, () =>
      askIdentity(this.rpc, PharmacyOperatorLinkViewSchema, IDENTITY_RPC.linkPharmacyOperator, request),
    );
  }

  @Route(ROUTES.listReferrals)
  async listReferrals(
    @Query() query: RouteInput<typeof ROUTES.listReferrals, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    // Identity's lists answer `{ items, total }`; the envelope wants a Page.
    const { items, total } = await askIdentity(this.rpc, ReferralListViewSchema, IDENTITY_RPC.listReferrals, {
      caller: callerOf(principal),
      ...query,
    });
    return new Page(items, query.page, query.limit, total);
  }
}
