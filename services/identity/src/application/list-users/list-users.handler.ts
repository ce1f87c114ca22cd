import { Injectable } from '@nestjs/common';
import type { UserListView } from '@prescriptchain/contracts';
import type { Role, UserStatus } from '../../domain/user.entity';
import { type Caller, assertAdmin } from '../caller';
import { IdentityStore } from '../ports/identity-store';
import { userView } from '../views';

export interface ListUsersInput {
  role?: Role;
  status?: UserStatus;
  search?: string;
  page: number;
  limit: number;
}

/** Admins review accounts (including licence numbers, to approve practitioners). */
@Injectable()
export class ListUsersHandler {
  constructor(private readonly store: IdentityStore) {}

  async execute(caller: Caller, input: ListUsersInput): Promise<UserListView> {
    assertAdmin(caller);
    const { items, total } = await this.store.repos.users.list(
      { role: input.role, status: input.status, search: input.search?.trim() || undefined },
      { page: input.page, limit: input.limit },
    );
    return { items: items.map(userView), total };
  }
}
