import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailDirEmailSender } from '../src/adapters/outbound/email/mail-dir-email.sender';
import { SendGridEmailSender } from '../src/adapters/outbound/email/sendgrid-email.sender';
import { SmtpEmailSender } from '../src/adapters/outbound/email/smtp-email.sender';
import { EmailSendError, type EmailSender, type OutgoingEmail } from '../src/application/ports/email-sender';
import { renderTemplate } from '../src/domain/templates/email-templates';
import { parseMail } from './support/mime';
import { SendGridStandIn } from './support/sendgrid-stand-in';
import { SmtpTestServer } from './support/smtp-test-server';

/** What a recipient (or the provider) got, whatever the transport. */
interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string;
}

interface Harness {
  name: string;
  start(): Promise<EmailSender>;
  stop(): Promise<void>;
  received(): Promise<Received[]>;
  /** Runs `fn` while the backend is temporarily unable to take mail. */
  duringOutage<T>(fn: () => Promise<T>): Promise<T>;
  /** Makes the backend refuse the next message for good, where such a refusal exists. */
  refuseNext?(): void;
}

const FROM = 'PrescriptChain <no-reply@prescriptchain.test>';
const lf = (s: string) => s.replace(/\r\n/g, '\n').trimEnd();
const addressOf = (to: string) => /<([^>]+)>/.exec(to)?.[1] ?? to.trim();

async function fromMime(raw: string | Buffer): Promise<Received> {
  const mail = await parseMail(raw);
  return {
    to: addressOf(mail.headers.get('to') ?? ''),
    subject: mail.headers.get('subject') ?? '',
    text: lf(mail.parts.get('text/plain') ?? ''),
    html: lf(mail.parts.get('text/html') ?? ''),
    idempotencyKey: mail.headers.get('x-idempotency-key') ?? '',
  };
}

const smtp = (): Harness => {
  const server = new SmtpTestServer();
  return {
    name: 'SmtpEmailSender (against a local SMTP server)',
    async start() {
      await server.start();
      return new SmtpEmailSender({ url: server.url, from: FROM, timeoutMs: 5_000 });
    },
    stop: () => server.stop(),
    received: () => Promise.all(server.messages.map((m) => fromMime(m.raw))),
    async duringOutage(fn) {
      server.refuseNext('451 4.3.0 temporary local problem, try again later');
      return fn();
    },
    refuseNext: () => server.refuseNext('550 5.1.1 mailbox unavailable'),
  };
};

const mailDir = (): Harness => {
  let dir = '';
  return {
    name: 'MailDirEmailSender (.eml files)',
    async start() {
      dir = join(await mkdtemp(join(tmpdir(), 'pc-maildir-')), 'mail');
      return new MailDirEmailSender({ dir, from: FROM });
    },
    stop: () => rm(join(dir, '..'), { recursive: true, force: true }),
    async received() {
      const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
      return Promise.all(files.map(async (f) => fromMime(await readFile(join(dir, f)))));
    },
    async duringOutage(fn) {
      // The directory's path taken by a file: nothing can be written until it is cleared.
      const saved = join(dir, '..', 'saved');
      await rm(saved, { recursive: true, force: true });
      await rename(dir, saved);
      await writeFile(dir, 'not a directory');
      try {
        return await fn();
      } finally {
        await rm(dir, { force: true });
        await rename(saved, dir);
      }
    },
  };
};

const sendGrid = (): Harness => {
  const apiKey = 'SG.test-key.stand-in';
  const standIn = new SendGridStandIn(apiKey);
  return {
    name: 'SendGridEmailSender (against a local stand-in of v3 mail/send)',
    async start() {
      const baseUrl = await standIn.start();
      return new SendGridEmailSender({ apiKey, from: FROM, baseUrl, timeoutMs: 5_000 });
    },
    stop: () => standIn.stop(),
    received: async () =>
      standIn.requests.map((r) => {
        // The key must reach SendGrid's API as a request header and ride along in its webhooks.
        expect(r.body.custom_args?.idempotency_key).toBe(r.headers['idempotency-key']);
        return {
          to: r.body.personalizations[0].to[0].email,
          subject: r.body.subject,
          text: lf(r.body.content.find((c) => c.type === 'text/plain')?.value ?? ''),
          html: lf(r.body.content.find((c) => c.type === 'text/html')?.value ?? ''),
          idempotencyKey: String(r.headers['idempotency-key'] ?? ''),
        };
      }),
    async duringOutage(fn) {
      standIn.failNext(503);
      return fn();
    },
    refuseNext: () => standIn.failNext(400),
  };
};

const harnesses = [smtp(), mailDir(), sendGrid()];

function remittance(to = `pharmacy.${randomUUID().slice(0, 8)}@example.co.nz`): OutgoingEmail {
  const message = renderTemplate('settlement_paid', 'zh', {
    pharmacyName: '仁心堂药房',
    settlementId: randomUUID(),
    orderId: randomUUID(),
    amountCents: 12345,
    reference: 'ANZ-0001',
    paidAt: '2026-11-22T03:00:00.000Z',
  });
  return {
    idempotencyKey: randomUUID(),
    to: { address: to, name: '仁心堂药房' },
    subject: message.subject,
    text: message.text,
    html: message.html,
    template: 'settlement_paid',
    sourceMessageId: randomUUID(),
  };
}

describe.each(harnesses)('EmailSender contract: $name', (h) => {
  let sender: EmailSender;
  const receivedFor = async (email: OutgoingEmail) =>
    (await h.received()).filter((r) => r.to === email.to.address);

  beforeAll(async () => {
    sender = await h.start();
  });
  afterAll(async () => {
    await sender?.close();
    await h.stop();
  });

  it('delivers a Chinese subject and body intact as UTF-8, with plain-text and HTML alternatives', async () => {
    const email = remittance();
    await sender.send(email);
    const [got, ...more] = await receivedFor(email);
    expect(more).toHaveLength(0);
    expect(got.subject).toBe('汇款通知：已支付 123.45 NZD');
    expect(got.text).toBe(lf(email.text));
    expect(got.text).toContain('金额: 123.45 NZD');
    expect(got.html).toBe(lf(email.html));
  });

  it('carries the delivery idempotency key, identical when the delivery is sent again', async () => {
    const email = remittance();
    await sender.send(email);
    await sender.send(email);
    const got = await receivedFor(email);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(new Set(got.map((r) => r.idempotencyKey))).toEqual(new Set([email.idempotencyKey]));
  });

  it('rejects with a retryable EmailSendError while the backend is down, and works again after', async () => {
    const email = remittance();
    const error = await h.duringOutage(() =>
      sender.send(email).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(EmailSendError);
    expect((error as EmailSendError).permanent).toBe(false);
    expect(await receivedFor(email)).toHaveLength(0);

    await sender.send(email);
    expect(await receivedFor(email)).toHaveLength(1);
  });
});

describe.each(harnesses.filter((h) => h.refuseNext))('EmailSender contract, refusals: $name', (h) => {
  let sender: EmailSender;
  beforeAll(async () => {
    sender = await h.start();
  });
  afterAll(async () => {
    await sender?.close();
    await h.stop();
  });

  it('rejects a message the provider refuses with a permanent EmailSendError (retrying cannot help)', async () => {
    h.refuseNext!();
    const error = await sender.send(remittance()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmailSendError);
    expect((error as EmailSendError).permanent).toBe(true);
  });
});

describe('MailDirEmailSender files', () => {
  it('writes one RFC 5322 message per delivery, named by its key, with encoded UTF-8 headers and a Message-ID from the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-eml-'));
    try {
      const sender = new MailDirEmailSender({ dir, from: FROM });
      const email = remittance('li.wei@example.co.nz');
      await sender.send(email);
      await sender.send(email);
      expect(await readdir(dir)).toEqual([`${email.idempotencyKey}.eml`]);

      const raw = await readFile(sender.pathFor(email.idempotencyKey));
      // On the wire and on disk headers are 7-bit: Chinese travels as RFC 2047 encoded words.
      const mail = await parseMail(raw);
      expect(mail.rawHeaders).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
      expect(/[^\x00-\x7f]/.test(mail.rawHeaders)).toBe(false);
      expect(raw.includes('\r\n')).toBe(true);
      expect(mail.headers.get('subject')).toBe('汇款通知：已支付 123.45 NZD');
      expect(mail.headers.get('to')).toMatch(/仁心堂药房.*<li\.wei@example\.co\.nz>/);
      expect(mail.headers.get('from')).toContain('no-reply@prescriptchain.test');
      expect(mail.headers.get('message-id')).toBe(`<${email.idempotencyKey}@prescriptchain.test>`);
      expect(mail.headers.get('mime-version')).toBe('1.0');
      expect(mail.headers.get('date')).toBeTruthy();
      expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative/);
      expect(mail.parts.get('text/plain')).toContain('仁心堂药房，您好');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
