import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api, session, unwrap } from './api/client';
import type { components } from './generated/api';

export type Me = components['schemas']['Me'];

/** Each role's area of the portal (its pages live below), and its first page. */
export const AREA = { practitioner: '/practitioner', pharmacy_operator: '/pharmacy', admin: '/admin' } as const;
export const HOME = { practitioner: '/practitioner/pad', pharmacy_operator: '/pharmacy/redeem', admin: '/admin/users' } as const;
/** Every role's own "change password" page. */
export const passwordPath = (role: Me['role']) => `${AREA[role]}/password`;

export const useSignedIn = () =>
  useSyncExternalStore(
    (fn) => session.subscribe(fn),
    () => session.signedIn,
  );

/** GET /auth/me: who is signed in, their role, clinics and pharmacy. */
export function useMe() {
  const signedIn = useSignedIn();
  return useQuery({
    queryKey: ['me'],
    enabled: signedIn,
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/me')),
  });
}
