import { z } from 'zod';
import { buildOpenApiDocument, errorKeysOf, toOpenApiPath } from './openapi.document';
import { defineRoute } from './route';
import { ROUTE_LIST } from './route-table';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
type Json = Record<string, any>;

const operationsOf = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op: op as Json })),
  );

/**
 * The structural rules of OpenAPI 3.1 that a generator can get wrong (no validator package is
 * available offline): version, info, path/operation shape, unique operationIds, declared path
 * parameters, and every $ref pointing at something.
 */
function structuralProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi ${doc.openapi}`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') problems.push('info');
  const ids = new Set<string>();
  for (const { method, path, op } of operationsOf(doc)) {
    const where = `${method} ${path}`;
    if (!path.startsWith('/')) problems.push(`${where}: path must start with /`);
    if (!op.operationId || ids.has(op.operationId))
      problems.push(`${where}: operationId missing or repeated`);
    ids.add(op.operationId);
    const responses = Object.keys(op.responses ?? {});
    if (!responses.some((s) => /^2\d\d$/.test(s))) problems.push(`${where}: no 2xx response`);
    for (const [status, r] of Object.entries(op.responses as Json)) {
      if (!/^[1-5]\d\d$|^default$/.test(status)) problems.push(`${where}: status ${status}`);
      if (typeof (r as Json).description !== 'string') problems.push(`${where} ${status}: description`);
    }
    const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path');
    for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
      const p = declared.find((d: Json) => d.name === name);
      if (!p || p.required !== true)
        problems.push(`${where}: path parameter ${name} not declared as required`);
    }
    for (const p of op.parameters ?? []) {
      if (!['path', 'query', 'header', 'cookie'].includes(p.in) || !p.name || !p.schema)
        problems.push(`${where}: parameter ${p.name}`);
    }
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        const target = String(v)
          .replace(/^#\//, '')
          .split('/')
          .reduce<any>((at, key) => at?.[key], doc);
        if (target === undefined) problems.push(`unresolved $ref ${v}`);
      } else walk(v);
    }
  };
  walk(doc);
  return problems;
}

describe(buildOpenApiDocument.name, () => {
  const doc = buildOpenApiDocument(ROUTE_LIST) as Json;

  it('documents exactly the operations of the route table', () => {
    const documented = operationsOf(doc).map(({ method, path, op }) => `${op.operationId} ${method} ${path}`);
    const table = ROUTE_LIST.map((r) => `${r.id} ${r.method} ${toOpenApiPath(r.path)}`);
    expect(documented.sort()).toEqual(table.sort());
  });

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(structuralProblems(doc)).toEqual([]);
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });

  it('describes the operations endpoints of the contract', () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/docs', '/docs/openapi.json', '/health', '/health/ready', '/metrics']),
    );
    const ready = doc.paths['/health/ready'].get;
    expect(ready.responses['200'].content['application/json'].schema.properties.data).toEqual({
      $ref: '#/components/schemas/Readiness',
    });
    expect(ready.responses['503'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorEnvelope',
    });
    expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain; version=0.0.4']);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  describe('the Identity operations of the contract', () => {
    const ANY = ['practitioner', 'pharmacy_operator', 'admin'];
    const KEY_HOLDERS = ['pharmacy_operator', 'admin'];
    // method, path, who, success status
    const IDENTITY: [string, string, 'public' | string[], number][] = [
      ['post', '/api/v1/auth/register', 'public', 201],
      ['post', '/api/v1/auth/login', 'public', 200],
      ['post', '/api/v1/auth/refresh', 'public', 200],
      ['post', '/api/v1/auth/logout', ANY, 204],
      ['post', '/api/v1/auth/password', ANY, 204],
      ['get', '/api/v1/auth/me', ANY, 200],
      ['get', '/api/v1/.well-known/jwks.json', 'public', 200],
      ['post', '/api/v1/api-keys', KEY_HOLDERS, 201],
      ['get', '/api/v1/api-keys', KEY_HOLDERS, 200],
      ['delete', '/api/v1/api-keys/{id}', KEY_HOLDERS, 204],
      ['get', '/api/v1/admin/users', ['admin'], 200],
      ['post', '/api/v1/admin/users/{id}/approve', ['admin'], 200],
      ['post', '/api/v1/admin/users/{id}/suspend', ['admin'], 200],
      ['post', '/api/v1/admin/clinics', ['admin'], 201],
      ['post', '/api/v1/admin/clinics/{id}/members', ['admin'], 201],
      ['get', '/api/v1/clinics/mine', ['practitioner'], 200],
      ['post', '/api/v1/admin/pharmacies/{id}/operators', ['admin'], 201],
      ['get', '/api/v1/admin/referrals', ['admin'], 200],
    ];

    it.each(IDENTITY)(
      'documents %s %s with who may call it and with which credentials',
      (method, path, who, status) => {
        const op = doc.paths[path]?.[method];
        expect(op).toBeDefined();
        expect(op.responses).toHaveProperty([String(status)]);
        if (who === 'public') {
          expect(op.security).toEqual([]);
          expect(op['x-roles']).toBeUndefined();
        } else {
          // A bearer token only: X-API-Key is for the pharmacy endpoints.
          expect(op.security).toEqual([{ bearerAuth: [] }]);
          expect([...op['x-roles']].sort()).toEqual([...who].sort());
          for (const code of ['UNAUTHENTICATED', '1001', '1002'])
            expect(op.responses['401'].description).toContain(code);
          expect(op.responses['403'].description).toContain('1003');
          expect(op.responses['403'].description).toContain('1004');
        }
      },
    );

    it('declares both security schemes', () => {
      expect(doc.components.securitySchemes).toEqual({
        bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
        apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      });
    });

    it('documents 429 with Retry-After on the rate-limited sign-in operations', () => {
      for (const path of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh']) {
        const tooMany = doc.paths[path].post.responses['429'];
        expect([path, tooMany?.description]).toEqual([path, expect.stringContaining('5002')]);
        expect(tooMany.headers['Retry-After']).toMatchObject({ required: true });
      }
    });

    it('documents the login answer as { user, tokens: { accessToken, refreshToken, expiresIn } }', () => {
      const data =
        doc.paths['/api/v1/auth/login'].post.responses['200'].content['application/json'].schema.properties
          .data;
      expect(data.required).toEqual(['user', 'tokens']);
      expect(data.properties.user).toEqual({ $ref: '#/components/schemas/User' });
      expect(doc.components.schemas.SessionTokens.required).toEqual([
        'accessToken',
        'refreshToken',
        'expiresIn',
      ]);
      const users = doc.paths['/api/v1/admin/users'].get.responses['200'].content['application/json'].schema;
      expect(users.properties.meta.required).toEqual(['timestamp', 'pagination']);
    });
  });

  describe('for an operation with inputs', () => {
    const route = defineRoute({
      id: 'createThing',
      method: 'post',
      path: '/api/v1/things/:thingId',
      access: ['admin'],
      summary: 'Create a thing',
      tags: ['things'],
      params: z.object({ thingId: z.uuid() }),
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: z.object({ name: z.string() }),
      response: { status: 201, data: z.object({ id: z.uuid() }) },
      errors: ['CONFLICT'],
    });
    const list = defineRoute({
      id: 'listThings',
      method: 'get',
      path: '/api/v1/things',
      access: 'public',
      summary: 'List things',
      tags: ['things'],
      response: { status: 200, data: z.array(z.object({ id: z.uuid() })), paginated: true },
    });
    const d = buildOpenApiDocument([route, list]) as Json;
    const op = d.paths['/api/v1/things/{thingId}'].post;

    it('documents parameters, the JSON body and the success envelope around the data', () => {
      expect(structuralProblems(d)).toEqual([]);
      expect(op.parameters.map((p: Json) => `${p.in}:${p.name}:${p.required}`).sort()).toEqual([
        'path:thingId:true',
        'query:dryRun:false',
      ]);
      expect(op.requestBody.content['application/json'].schema.properties.name).toEqual({ type: 'string' });
      const envelope = op.responses['201'].content['application/json'].schema;
      expect(envelope.required).toEqual(['success', 'data', 'meta']);
      expect(envelope.properties.data.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
      expect(envelope.properties.meta.required).toEqual(['timestamp']);
      const listed = d.paths['/api/v1/things'].get.responses['200'].content['application/json'].schema;
      expect(listed.properties.meta.required).toEqual(['timestamp', 'pagination']);
    });

    it('documents the error envelope for every error the operation can answer with', () => {
      expect(errorKeysOf(route).sort()).toEqual(
        [
          'ACCOUNT_NOT_APPROVED',
          'CONFLICT',
          'GATEWAY_TIMEOUT',
          'INSUFFICIENT_PERMISSIONS',
          'INTERNAL_ERROR',
          'INVALID_CREDENTIALS',
          'MALFORMED_REQUEST',
          'PAYLOAD_TOO_LARGE',
          'SERVICE_UNAVAILABLE',
          'TOKEN_EXPIRED',
          'UNAUTHENTICATED',
          'VALIDATION_FAILED',
        ].sort(),
      );
      expect(Object.keys(op.responses).sort()).toEqual([
        '201',
        '400',
        '401',
        '403',
        '409',
        '413',
        '422',
        '500',
        '503',
        '504',
      ]);
      for (const status of ['400', '401', '403', '409', '413', '422', '500', '503', '504']) {
        expect(op.responses[status].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/ErrorEnvelope',
        });
      }
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op['x-roles']).toEqual(['admin']);
    });

    it('offers X-API-Key as an alternative only on an operation that accepts it, and 429 on a rate-limited one', () => {
      const scan = defineRoute({
        id: 'scanThing',
        method: 'post',
        path: '/api/v1/pharmacies/scan-thing',
        access: ['pharmacy_operator'],
        apiKey: true,
        rateLimit: 'search',
        summary: 'Scan',
        tags: ['things'],
        response: { status: 200, data: z.object({}) },
      });
      const scanOp = (buildOpenApiDocument([scan]) as Json).paths['/api/v1/pharmacies/scan-thing'].post;
      expect(scanOp.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
      expect(scanOp['x-rate-limit']).toBe('search');
      expect(scanOp.responses['429'].headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 1 });
      expect(op.responses['429']).toBeUndefined();
    });
  });
});
