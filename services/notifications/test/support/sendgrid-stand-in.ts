import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SendGridRequest {
  headers: IncomingHttpHeaders;
  /** The v3 mail/send JSON body. */
  body: {
    personalizations: { to: { email: string; name?: string }[] }[];
    from: { email: string; name?: string };
    subject: string;
    content: { type: string; value: string }[];
    headers?: Record<string, string>;
    custom_args?: Record<string, string>;
    categories?: string[];
  };
}

/**
 * A local stand-in for SendGrid's `POST /v3/mail/send`: checks the bearer key, records each request
 * and answers 202 with an `X-Message-Id`, as the real API does. `failNext(status)` answers one
 * request with an error body in SendGrid's shape.
 */
export class SendGridStandIn {
  readonly requests: SendGridRequest[] = [];
  private server?: Server;
  private failures: number[] = [];

  constructor(private readonly apiKey: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        };
        if (req.method !== 'POST' || req.url !== '/v3/mail/send')
          return answer(404, { errors: [{ message: 'not found' }] });
        if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
          return answer(401, {
            errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked' }],
          });
        }
        const failure = this.failures.shift();
        if (failure)
          return answer(failure, { errors: [{ message: `stand-in failure ${failure}`, field: null }] });
        this.requests.push({
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        answer(202, undefined, { 'x-message-id': randomUUID().replace(/-/g, '').slice(0, 22) });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  failNext(status: number): void {
    this.failures.push(status);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
