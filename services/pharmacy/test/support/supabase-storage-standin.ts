/**
 * A local stand-in for Supabase Storage speaking the endpoints SupabaseFileStorage uses through
 * @supabase/supabase-js 2.119 (storage-js), with Storage's paths and response shapes:
 *
 *   POST /storage/v1/object/upload/sign/:bucket/*key      service role → { url: "/object/upload/sign/…?token=" }
 *   PUT  /storage/v1/object/upload/sign/:bucket/*key?token   the client's upload with that token → { Key }
 *   POST /storage/v1/object/sign/:bucket/*key { expiresIn }  service role → { signedURL: "/object/sign/…?token=" }
 *   GET  /storage/v1/object/sign/:bucket/*key?token         anyone holding the signed URL → the bytes
 *   GET  /storage/v1/object/:bucket/*key                    service role → the bytes
 *   POST /storage/v1/object/:bucket/*key                    service role upload (x-upsert)
 *
 * A missing object is Storage's `400 { statusCode: "404", error: "not_found" }`. Objects live in memory.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SupabaseStorageStandIn {
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly requests: string[] = [];
  url = '';
  private server!: Server;
  private readonly secret = randomUUID();

  constructor(
    readonly serviceRoleKey: string,
    readonly bucket: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err) =>
        this.json(res, 500, { statusCode: '500', error: 'internal', message: String(err) }),
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private sign(op: string, objectKey: string, exp: number): string {
    const body = Buffer.from(JSON.stringify({ op, key: objectKey, exp })).toString('base64url');
    return `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`;
  }

  private verify(token: string | null, op: string, objectKey: string): boolean {
    if (!token) return false;
    const [body, mac] = token.split('.');
    if (mac !== createHmac('sha256', this.secret).update(body).digest('base64url')) return false;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    return claims.op === op && claims.key === objectKey && claims.exp > Date.now() / 1000;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    const serviceRole =
      req.headers.authorization === `Bearer ${this.serviceRoleKey}` &&
      req.headers.apikey === this.serviceRoleKey;
    const route = /^\/storage\/v1\/object\/(upload\/sign\/|sign\/)?([^/]+)\/(.+)$/.exec(url.pathname);
    if (!route)
      return this.json(res, 404, { statusCode: '404', error: 'not_found', message: 'Route not found' });
    const [, kind, bucket, rawKey] = route;
    const objectKey = decodeURIComponent(rawKey);
    if (bucket !== this.bucket)
      return this.json(res, 400, {
        statusCode: '404',
        error: 'Bucket not found',
        message: 'Bucket not found',
      });
    const notFound = () =>
      this.json(res, 400, { statusCode: '404', error: 'not_found', message: 'Object not found' });
    const unauthorized = () =>
      this.json(res, 400, { statusCode: '403', error: 'Unauthorized', message: 'invalid signature' });

    if (kind === 'upload/sign/' && req.method === 'POST') {
      if (!serviceRole) return unauthorized();
      const token = this.sign('upload', objectKey, Math.floor(Date.now() / 1000) + 7200);
      return this.json(res, 200, { url: `/object/upload/sign/${bucket}/${rawKey}?token=${token}` });
    }
    if (kind === 'upload/sign/' && req.method === 'PUT') {
      if (!this.verify(url.searchParams.get('token'), 'upload', objectKey)) return unauthorized();
      this.objects.set(objectKey, {
        bytes: await this.body(req),
        contentType: String(req.headers['content-type'] ?? ''),
      });
      return this.json(res, 200, { Key: `${bucket}/${objectKey}` });
    }
    if (kind === 'sign/' && req.method === 'POST') {
      if (!serviceRole) return unauthorized();
      const { expiresIn } = JSON.parse((await this.body(req)).toString() || '{}');
      if (!this.objects.has(objectKey)) return notFound();
      const token = this.sign('download', objectKey, Math.floor(Date.now() / 1000) + Number(expiresIn));
      return this.json(res, 200, { signedURL: `/object/sign/${bucket}/${rawKey}?token=${token}` });
    }
    if (kind === 'sign/' && req.method === 'GET') {
      if (!this.verify(url.searchParams.get('token'), 'download', objectKey)) return unauthorized();
      const object = this.objects.get(objectKey);
      if (!object) return notFound();
      res.writeHead(200, { 'content-type': object.contentType });
      return void res.end(object.bytes);
    }
    if (!kind && req.method === 'GET') {
      if (!serviceRole) return unauthorized();
      const object = this.objects.get(objectKey);
      if (!object) return notFound();
      res.writeHead(200, { 'content-type': object.contentType });
      return void res.end(object.bytes);
    }
    if (!kind && req.method === 'POST') {
      if (!serviceRole) return unauthorized();
      this.objects.set(objectKey, {
        bytes: await this.body(req),
        contentType: String(req.headers['content-type'] ?? ''),
      });
      return this.json(res, 200, { Key: `${bucket}/${objectKey}`, Id: randomUUID() });
    }
    return this.json(res, 405, {
      statusCode: '405',
      error: 'method_not_allowed',
      message: 'Method not allowed',
    });
  }
}
