import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';

export interface ReceivedSmtpMessage {
  from: string;
  to: string[];
  /** The DATA as received, dot-stuffing undone, as bytes (latin1 string). */
  raw: string;
}

/**
 * A tiny SMTP server on node:net (RFC 5321's happy path: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT; no STARTTLS or AUTH), enough for nodemailer to deliver to it. `refuseNext` makes the next
 * MAIL FROM answer with a given reply, as a real server refusing a message would.
 */
export class SmtpTestServer {
  readonly messages: ReceivedSmtpMessage[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private refusals: string[] = [];

  async start(): Promise<number> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** e.g. '550 5.1.1 mailbox unavailable' (permanent) or '451 4.3.0 try again later' (transient). */
  refuseNext(reply: string): void {
    this.refusals.push(reply);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('latin1');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let envelope: { from: string; to: string[] } = { from: '', to: [] };

    reply('220 localhost test SMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.messages.push({ ...envelope, raw: data.join('\r\n') + '\r\n' });
            data = [];
            envelope = { from: '', to: [] };
            reply('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          socket.write('250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n');
        } else if (verb === 'HELO') {
          reply('250 localhost');
        } else if (verb === 'MAIL') {
          const refusal = this.refusals.shift();
          if (refusal) {
            reply(refusal);
          } else {
            envelope = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [] };
            reply('250 2.1.0 ok');
          }
        } else if (verb === 'RCPT') {
          envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end data with <CR><LF>.<CR><LF>');
        } else if (verb === 'RSET') {
          envelope = { from: '', to: [] };
          reply('250 2.0.0 ok');
        } else if (verb === 'NOOP') {
          reply('250 2.0.0 ok');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else {
          reply('502 5.5.2 command not implemented');
        }
      }
    });
  }
}
