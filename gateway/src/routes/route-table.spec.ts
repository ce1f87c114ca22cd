import { z } from 'zod';
import { defineRoute } from './route';
import { mergeRouteAreas, ROUTE_AREAS, ROUTE_LIST, ROUTES } from './route-table';

const thing = (id: string, path: string) =>
  defineRoute({
    id,
    method: 'get',
    path,
    access: 'public',
    summary: id,
    tags: ['t'],
    response: { status: 200, data: z.object({}) },
  });

describe('route table', () => {
  it('lists every operation of every area exactly once', () => {
    const perArea = Object.values(ROUTE_AREAS).reduce((n, area) => n + Object.keys(area).length, 0);
    expect(ROUTE_LIST).toHaveLength(perArea);
    expect(ROUTES.health.path).toBe('/health');
    expect(ROUTES.login.path).toBe('/api/v1/auth/login');
  });

  it('refuses an area that reuses a key, an operationId or a method and path', () => {
    expect(() => mergeRouteAreas({ a: { x: thing('x', '/x') }, b: { x: thing('y', '/y') } })).toThrow(
      /key x/,
    );
    expect(() => mergeRouteAreas({ a: { x: thing('x', '/x') }, b: { y: thing('x', '/y') } })).toThrow(/id x/);
    expect(() => mergeRouteAreas({ a: { x: thing('x', '/x') }, b: { y: thing('y', '/x') } })).toThrow(
      /get \/x/,
    );
  });

  it('accepts X-API-Key on pharmacy endpoints only, and never on a public one', () => {
    // What a pharmacy's point-of-sale system calls: its pharmacy, files for proofs, the proofs themselves.
    const pharmacyEndpoint = /^\/api\/v1\/(pharmacies\/|files\/|fulfillment-proofs$)/;
    for (const route of ROUTE_LIST.filter((r) => r.apiKey)) {
      expect([route.id, route.path]).toEqual([route.id, expect.stringMatching(pharmacyEndpoint)]);
      expect([route.id, route.access]).not.toEqual([route.id, 'public']);
    }
    for (const id of ['createApiKey', 'listApiKeys', 'revokeApiKey', 'getMe', 'logout']) {
      expect(ROUTE_LIST.find((r) => r.id === id)?.apiKey).toBeUndefined();
    }
  });

  it('limits sign-up, sign-in, refresh and password changes per client address (the auth bucket)', () => {
    expect(
      ROUTE_LIST.filter((r) => r.rateLimit === 'auth')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['changePassword', 'login', 'refreshSession', 'register'].sort());
  });

  it('limits the PUT of a signed upload URL per client address (the filePuts bucket)', () => {
    expect(ROUTE_LIST.filter((r) => r.rateLimit === 'filePuts').map((r) => r.id)).toEqual(['uploadFile']);
  });

  it('serves the public API under /api/v1 and operations outside it', () => {
    for (const route of Object.values(ROUTE_AREAS.identity)) expect(route.path).toMatch(/^\/api\/v1\//);
    for (const route of Object.values(ROUTE_AREAS.operations)) expect(route.path).not.toMatch(/^\/api\//);
  });
});
