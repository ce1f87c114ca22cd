import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  IDENTITY_RPC,
  PHARMACY_RPC,
  type PharmacyIdRequest,
} from '@prescriptchain/contracts';
import { callerOf, CurrentPrincipal, type RequestPrincipal } from '../access/principal';
import { Page } from '../http/envelope';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';

/** Identity's lists answer `{ items, total }`; the envelope wants a Page. */
interface Listed<T> {
  items: T[];
  total: number;
}

/** Admin operations on users, clinics, pharmacy operators and referrals (identity checks the admin role again). */
@Controller()
export class IdentityAdminController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.listUsers)
  async listUsers(
    @Query() query: RouteInput<typeof ROUTES.listUsers, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const { items, total } = await this.rpc.call<Listed<unknown>>(IDENTITY_RPC.listUsers, {
      caller: callerOf(principal),
      ...query,
    });
    return new Page(items, query.page, query.limit, total);
  }

  @Route(ROUTES.approveUser)
  approveUser(
    @Param() params: RouteInput<typeof ROUTES.approveUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.rpc.call(IDENTITY_RPC.approveUser, { caller: callerOf(principal), userId: params.id });
  }

  @Route(ROUTES.suspendUser)
  suspendUser(
    @Param() params: RouteInput<typeof ROUTES.suspendUser, 'params'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.rpc.call(IDENTITY_RPC.suspendUser, { caller: callerOf(principal), userId: params.id });
  }

  @Route(ROUTES.createClinic)
  createClinic(
    @Body() body: RouteInput<typeof ROUTES.createClinic, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.rpc.call(IDENTITY_RPC.createClinic, { caller: callerOf(principal), ...body });
  }

  @Route(ROUTES.addClinicMember)
  addClinicMember(
    @Param() params: RouteInput<typeof ROUTES.addClinicMember, 'params'>,
    @Body() body: RouteInput<typeof ROUTES.addClinicMember, 'body'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    return this.rpc.call(IDENTITY_RPC.addClinicMember, { caller: callerOf(principal), clinicId: params.id, userId: body.userId });
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
    return this.rpc.call(IDENTITY_RPC.linkPharmacyOperator, {
      caller: callerOf(principal),
      pharmacyId: params.id,
      userId: body.userId,
    });
  }

  @Route(ROUTES.listReferrals)
  async listReferrals(
    @Query() query: RouteInput<typeof ROUTES.listReferrals, 'query'>,
    @CurrentPrincipal() principal: RequestPrincipal,
  ) {
    const { items, total } = await this.rpc.call<Listed<unknown>>(IDENTITY_RPC.listReferrals, {
      caller: callerOf(principal),
      ...query,
    });
    return new Page(items, query.page, query.limit, total);
  }
}
