import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddClinicMemberRequestSchema,
  CreateClinicRequestSchema,
  IDENTITY_RPC,
  LinkPharmacyOperatorRequestSchema,
  ListReferralsRequestSchema,
  ListUsersRequestSchema,
  UserIdRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { AddClinicMemberHandler } from '../../../application/add-clinic-member/add-clinic-member.handler';
import { ApproveUserHandler } from '../../../application/approve-user/approve-user.handler';
import { CreateClinicHandler } from '../../../application/create-clinic/create-clinic.handler';
import { LinkPharmacyOperatorHandler } from '../../../application/link-pharmacy-operator/link-pharmacy-operator.handler';
import { ListReferralsHandler } from '../../../application/list-referrals/list-referrals.handler';
import { ListUsersHandler } from '../../../application/list-users/list-users.handler';
import { SuspendUserHandler } from '../../../application/suspend-user/suspend-user.handler';

/** Admin operations; each use case checks the caller is an admin as well as the gateway. */
@Controller()
export class AdminController {
  constructor(
    private readonly listUsersHandler: ListUsersHandler,
    private readonly approveUser: ApproveUserHandler,
    private readonly suspendUser: SuspendUserHandler,
    private readonly createClinicHandler: CreateClinicHandler,
    private readonly addClinicMember: AddClinicMemberHandler,
    private readonly linkPharmacyOperator: LinkPharmacyOperatorHandler,
    private readonly listReferralsHandler: ListReferralsHandler,
  ) {}

  @MessagePattern(IDENTITY_RPC.listUsers)
  listUsers(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ListUsersRequestSchema, data);
    return this.listUsersHandler.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.approveUser)
  approve(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(UserIdRequestSchema, data);
    return this.approveUser.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.suspendUser)
  suspend(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(UserIdRequestSchema, data);
    return this.suspendUser.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.createClinic)
  createClinic(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(CreateClinicRequestSchema, data);
    return this.createClinicHandler.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.addClinicMember)
  addMember(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(AddClinicMemberRequestSchema, data);
    return this.addClinicMember.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.linkPharmacyOperator)
  linkOperator(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(LinkPharmacyOperatorRequestSchema, data);
    return this.linkPharmacyOperator.execute(caller, input);
  }

  @MessagePattern(IDENTITY_RPC.listReferrals)
  listReferrals(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ListReferralsRequestSchema, data);
    return this.listReferralsHandler.execute(caller, input);
  }
}
