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

  it('describes the operations endpoints of api-v1.md', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/docs',
      '/docs/openapi.json',
      '/health',
      '/health/ready',
      '/metrics',
    ]);
    const ready = doc.paths['/health/ready'].get;
    expect(ready.responses['200'].content['application/json'].schema.properties.data).toEqual({
      $ref: '#/components/schemas/Readiness',
    });
    expect(ready.responses['503'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorEnvelope',
    });
    expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain; version=0.0.4']);
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
          'CONFLICT',
          'INSUFFICIENT_PERMISSIONS',
          'INTERNAL_ERROR',
          'MALFORMED_REQUEST',
          'PAYLOAD_TOO_LARGE',
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
      ]);
      for (const status of ['400', '401', '403', '409', '413', '422', '500']) {
        expect(op.responses[status].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/ErrorEnvelope',
        });
      }
      expect(op.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
      expect(op['x-roles']).toEqual(['admin']);
    });
  });
});
