/**
 * The web portal in a real browser (Debian's headless Chromium driven by playwright-core) against
 * the real platform (`npm start`'s built processes and the portal the gateway serves). After the
 * demo seed (the public API, as `npm start` runs it), everything happens through the portal only:
 * a practitioner prescribes from the pad — seeing 甘草 + 甘遂 flagged before submitting — and gets
 * the paid order's QR and code; an order the clinic cannot afford shows the top-up path; the
 * pharmacy types the code, sees the formula and payout, and uploads its photo proof; the admin
 * reviews the photo beside the formula and approves, then marks the settlement paid; the
 * practitioner sees FULFILLED. axe runs on every page; every step is screenshotted into
 * test-artifacts/portal/ (kept, not committed). Also: the gateway's serving of the portal
 * (cache headers, history fallback, CSP) and the generated API types against the served document.
 */
import AxeBuilder from '@axe-core/playwright';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import QRCode from 'qrcode';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type GreyImage, redrawQr, writeY4m } from './support/fake-camera';
import { type Platform, startPlatform } from './support/platform';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'portal');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = promisify(execFile);
// The demo seed's users (tools/demo-seed.js).
const ADMIN = { email: 'admin@prescriptchain.local', password: 'prescriptchain-dev-admin' };
const PRACTITIONER = { email: 'dr.li@demo.prescriptchain.nz', password: 'demo-herbal-garden-2026' };
const OPERATOR = { email: 'dispensary@demo.prescriptchain.nz', password: 'demo-herbal-garden-2026' };
/** In the page (the test's own TypeScript has no DOM types): the pad's server check has answered. */
const NOT_CHECKING = "!document.body.textContent.includes('checking…')";
/** In the page: the image with this alt text has loaded (its bytes decoded). */
const loaded = (alt: string) =>
  `[...document.images].some((i) => i.alt === ${JSON.stringify(alt)} && i.complete && i.naturalWidth > 0)`;
/**
 * In the page: the loaded image with this alt text as the browser decoded it — its luminance, for
 * the fake camera, and re-encoded as a PNG (data URL), for "a photo of it".
 */
const pixelsOf = (alt: string) => `(() => {
  const img = [...document.images].find((i) => i.alt === ${JSON.stringify(alt)});
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const rgba = g.getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = [];
  for (let i = 0; i < rgba.length; i += 4) grey.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
  return { width: canvas.width, height: canvas.height, grey, png: canvas.toDataURL('image/png') };
})()`;
/** The pharmacist's tablet at the counter, held upright and turned. */
const TABLET_PORTRAIT = { width: 768, height: 1024 };
const TABLET_LANDSCAPE = { width: 1024, height: 768 };

describe('the web portal in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  /** A second Chromium whose camera is a fake one showing the order's QR (launched once the order exists). */
  let cameraBrowser: Browser | undefined;
  let mailDir: string;
  const contexts: BrowserContext[] = [];
  /** Every CSP violation or page error seen in any page: the portal must cause none. */
  const pageProblems: string[] = [];
  const axeViolations: { page: string; id: string; impact: string | null | undefined; nodes: string[] }[] = [];

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    mailDir = mkdtempSync(join(tmpdir(), 'pc-portal-mail-'));
    platform = await startPlatform({
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        MAIL_DIR: mailDir,
        RATE_LIMIT_AUTH_PER_MIN: '0',
        RATE_LIMIT_SEARCH_PER_MIN: '0',
        RATE_LIMIT_ORDERS_PER_MIN: '0',
        RATE_LIMIT_UPLOADS_PER_HOUR: '0',
        // The sandboxes pay a card intent or a QR this long after it is made (the QR stays on screen meanwhile).
        PAYMENTS_SANDBOX_SETTLE_MS: '1500',
        ORDER_WAIT_MS: '15000',
      },
    });
    await run(process.execPath, [join(ROOT, 'tools', 'demo-seed.js')], {
      cwd: ROOT,
      env: { ...process.env, ...ADMIN_ENV, DEMO_BASE_URL: `${platform.baseUrl}/api/v1` },
      timeout: 120_000,
    });
    browser = await launch();
  });

  const launch = (args: string[] = []) =>
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...args,
      ],
    });

  const ADMIN_ENV = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cameraBrowser?.close();
    await platform?.shutdown();
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
  });

  /** A fresh browser profile (a large tablet unless asked), in English unless asked. */
  async function newPage(locale = 'en-NZ', { viewport = { width: 1024, height: 1366 }, from = browser } = {}): Promise<Page> {
    const context = await from.newContext({
      baseURL: platform.baseUrl,
      viewport,
      locale,
      timezoneId: 'Europe/London', // not NZ: the portal must still show NZ time
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(`pageerror: ${e.message}`));
    return page;
  }

  let shot = 0;
  const screenshot = async (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });

  /** axe on the page as it is now: no serious or critical violation (WCAG 2.1 A/AA rules). */
  async function axe(page: Page, name: string) {
    await page.locator('main').waitFor();
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        axeViolations.push({ page: name, id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) });
  }

  async function signIn(page: Page, who: { email: string; password: string }) {
    await page.goto('/');
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** Presses Tab until the focused element is `target` (at most 40 times): keyboard-only navigation. */
  async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
    for (let i = 0; i < 40; i++) {
      if (await target.evaluate((el: any) => el === el.ownerDocument.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`could not reach ${target} with the Tab key`);
  }

  async function addHerb(page: Page, query: string, name: string, quantity: string) {
    const search = page.getByRole('searchbox', { name: 'Search herbs' });
    await search.fill(query);
    await page.getByRole('button', { name: new RegExp(`^Add ${name} `) }).first().click();
    await page.getByLabel(`Quantity of ${name} (g per pack)`).fill(quantity);
  }

  /** Waits for `target`; if the page shows an error instead, fails with its text. */
  async function visibleOrAlert(page: Page, target: ReturnType<Page['locator']>) {
    const alert = page.locator('[role=alert].error').first();
    await target.or(alert).first().waitFor();
    if (await alert.isVisible()) throw new Error(`the page says: ${await alert.textContent()}`);
  }

  /**
   * At the page's current size: nothing wider than the screen (no sideways scrolling) and every
   * control in main on screen and big enough to touch (44 px high, as the stylesheet makes them).
   */
  async function fitsTheScreen(page: Page, name: string) {
    await page.locator('main').waitFor();
    const problems = (await page.evaluate(`(() => {
      const out = [];
      const vw = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth > vw) out.push('page is ' + document.documentElement.scrollWidth + 'px wide on a ' + vw + 'px screen');
      for (const el of document.querySelectorAll('main button, main input:not([type=checkbox]):not(.sr-only), main select, main .button')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not shown
        if (r.left < -1 || r.right > vw + 1) out.push((el.textContent || el.outerHTML.slice(0, 60)).trim() + ' is off screen (' + Math.round(r.left) + '..' + Math.round(r.right) + ')');
        if (r.height < 43.5) out.push((el.textContent || el.outerHTML.slice(0, 60)).trim() + ' is ' + Math.round(r.height) + 'px high');
      }
      return out;
    })()`)) as string[];
    expect([name, problems]).toEqual([name, []]);
  }

  const order: { id?: string; number?: string; code?: string; url?: string } = {};
  /** The order's QR exactly as the portal showed it to the practitioner. */
  let orderQr: (GreyImage & { png: string }) | undefined;

  it('serves the portal at / with a strict CSP, immutable assets and a history fallback, leaving the API alone', async () => {
    const index = await platform.get('/', { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await platform.get(asset!);
    expect([js.status, js.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    expect(js.headers.get('content-type')).toMatch(/javascript/);

    // A deep link is the app (history fallback); an unknown asset or API path is not.
    const deep = await platform.get('/practitioner/orders/123', { headers: { accept: 'text/html' } });
    expect([deep.status, await deep.text()]).toEqual([200, html]);
    expect((await platform.get('/assets/missing.js')).status).toBe(404);
    const api = await platform.get('/api/v1/no-such-thing', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect((await api.json()) as unknown).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect((await platform.get('/health')).status).toBe(200);
    expect(await (await platform.get('/docs')).text()).toMatch(/swagger/i);
    expect((await platform.get('/metrics')).headers.get('content-type')).toMatch(/text\/plain/);
  });

  it('was built against the OpenAPI document the gateway serves (its generated types are exactly the served ones)', async () => {
    const served = join(mailDir, 'served-openapi.json');
    writeFileSync(served, await (await platform.get('/docs/openapi.json')).text());
    // openapi-typescript is ESM underneath: run the generator as the build does, on the served document.
    const { stdout } = await run(process.execPath, [join(ROOT, 'gateway', 'portal', 'scripts', 'generate-api.js'), '--print', served], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const built = readFileSync(join(ROOT, 'gateway', 'portal', 'src', 'generated', 'api.d.ts'), 'utf8');
    expect(stdout.length).toBeGreaterThan(10_000);
    expect(stdout).toBe(built);
  });

  it('lets a practitioner prescribe from the pad: safety findings before submit, live total, then PAID with its QR', async () => {
    const page = await newPage();
    await page.goto('/register');
    await axe(page, 'register');
    await page.goto('/');
    await axe(page, 'login');
    await signIn(page, PRACTITIONER);
    await page.getByRole('heading', { name: 'Prescription pad' }).waitFor();
    await page.getByLabel('Patient name').fill('Aroha Ngata');

    // 甘草 with 甘遂: 十八反, flagged as the formula is written — before any submit.
    await addHerb(page, 'gan cao', '甘草', '6');
    await addHerb(page, 'gansui', '甘遂', '1');
    const findings = page.getByTestId('safety-findings');
    await findings.getByText('EIGHTEEN_INCOMPATIBLE').waitFor();
    expect(await findings.textContent()).toMatch(/甘草/);
    expect(await page.getByRole('button', { name: 'Prescribe and pay' }).isDisabled()).toBe(true);
    await screenshot(page, 'pad-safety-warning');
    await axe(page, 'pad with findings');
    await page.getByRole('button', { name: 'Remove 甘遂' }).click();
    await page.getByRole('button', { name: 'Remove 甘草' }).click();

    // The search box finds a herb as it is typed, however the practitioner knows it: Chinese, pinyin
    // with tones, English, Latin (initials and toneless pinyin below).
    for (const query of ['当归', 'dāng guī', 'Chinese Angelica', 'Angelicae Sinensis']) {
      await page.getByRole('searchbox', { name: 'Search herbs' }).fill(query);
      await page.getByRole('button', { name: /^Add 当归 / }).first().waitFor();
    }
    await page.getByRole('searchbox', { name: 'Search herbs' }).fill('');

    // 当归 by its initials, 黄芪 by pinyin: (10 g × 0.14 + 15 g × price) × 7 packs, priced live by /orders/check.
    await addHerb(page, 'dg', '当归', '10');
    await addHerb(page, 'huang qi', '黄芪', '15');
    await page.getByText('No safety finding for this formula.').waitFor();
    const total = page.getByTestId('pad-total');
    await page.waitForFunction(NOT_CHECKING);
    expect(await total.textContent()).toMatch(/^NZD \d+\.\d{2}$/);
    await page.getByRole('combobox', { name: 'Decoction method of 当归' }).selectOption('后下');
    await screenshot(page, 'pad');
    // The pad saved as a template (started from again below).
    await page.getByLabel('Template name').fill('Qi and blood tonic');
    await page.getByRole('button', { name: 'Save the pad as a template' }).click();
    await visibleOrAlert(page, page.getByText('Template saved.'));

    await page.getByRole('button', { name: 'Prescribe and pay' }).click();
    await page.waitForURL(/\/practitioner\/orders\/[0-9a-f-]{36}$/);
    await page.locator('.chip-paid').first().waitFor();
    order.id = page.url().split('/').pop();
    order.number = (await page.getByTestId('platform-order-id').textContent())!;
    order.code = (await page.getByTestId('verification-code').textContent())!;
    expect(order.number).toMatch(/^PC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    expect(order.code).toMatch(/^\d{6}$/);
    const qr = page.getByRole('img', { name: `QR code of prescription ${order.number}` });
    await qr.waitFor();
    await page.waitForFunction(loaded(`QR code of prescription ${order.number}`));
    orderQr = (await page.evaluate(pixelsOf(`QR code of prescription ${order.number}`))) as GreyImage & { png: string };
    await screenshot(page, 'order-paid-with-qr');
    await axe(page, 'order detail');

    for (const path of ['/practitioner/orders', '/practitioner/templates', '/practitioner/account']) {
      await page.getByRole('link', { name: { '/practitioner/orders': 'Orders', '/practitioner/templates': 'Templates', '/practitioner/account': 'Clinic account' }[path] }).click();
      await page.waitForURL(`**${path}`);
      await page.locator('h1').waitFor();
      await axe(page, path);
    }
    // Money as NZD 12.34 on the account page; 1000.00 + 500.00 credit less the order.
    expect(await page.getByTestId('account-figures').textContent()).toMatch(/NZD 1,\d{3}\.\d{2}/);

    // A new pad started from the template: its lines and quantities.
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'Use template Qi and blood tonic' }).click();
    await page.waitForURL('**/practitioner/pad');
    expect(await page.getByLabel('Quantity of 当归 (g per pack)').inputValue()).toMatch(/^10(\.0+)?$/);
    expect(await page.getByLabel('Quantity of 黄芪 (g per pack)').inputValue()).toMatch(/^15(\.0+)?$/);
  });

  it('explains a prescription the clinic cannot afford (402) and shows the way to top up', async () => {
    const page = await newPage();
    // By keyboard alone: sign in, then find and add a herb from the search box.
    await page.goto('/');
    await tabTo(page, page.getByLabel('Email'));
    await page.keyboard.type(PRACTITIONER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PRACTITIONER.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Prescription pad' }).waitFor();
    await tabTo(page, page.getByLabel('Patient name'));
    await page.keyboard.type('Big Formula');
    await tabTo(page, page.getByRole('searchbox', { name: 'Search herbs' }));
    await page.keyboard.type('dang gui');
    const first = page.getByRole('button', { name: /^Add 当归 / }).first();
    await first.waitFor();
    await tabTo(page, first);
    await page.keyboard.press('Enter');
    await page.getByLabel('Quantity of 当归 (g per pack)').fill('100');
    await page.getByLabel('Packs').fill('365');
    await page.waitForFunction(NOT_CHECKING);
    await page.getByText(/The total is more than the clinic has available/).waitFor();
    // 100 g a day is over 当归's maximum daily dose: a finding the prescriber may override with a reason.
    await page.getByTestId('safety-findings').getByText('MAX_DAILY_DOSE').waitFor();
    await page.getByLabel('Reason to prescribe despite the findings').fill('Dose reviewed with the patient');
    await page.getByRole('button', { name: 'Prescribe and pay' }).click();
    const refusal = page.getByTestId('insufficient-funds');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('3002');
    await screenshot(page, 'pad-402-top-up-path');
    await refusal.getByRole('link', { name: 'Top up the clinic account' }).click();
    await page.waitForURL('**/practitioner/account');
    await page.getByRole('button', { name: 'Top up by card' }).waitFor();
    // No Stripe key on this gateway: the card top-up is the offline sandbox's, which pays it by itself.
    expect(await page.getByTestId('card-provider').textContent()).toMatch(/offline sandbox/);
    const before = (await page.getByTestId('available').textContent())!;
    await page.getByRole('region', { name: 'Top up the account' }).getByLabel('Top-up amount (NZD)').fill('25.00');
    await page.getByRole('button', { name: 'Top up by card' }).click();
    await visibleOrAlert(page, page.getByText(/Card payment .* started for NZD 25\.00\./));
    await page.getByTestId('available').filter({ hasNotText: before }).waitFor();

    // Scan-to-pay: a WeChat Pay QR with its countdown; the offline sandbox pays it, the session says so.
    await page.getByLabel('Pay with').selectOption('wechat');
    await page.getByRole('button', { name: 'Show the payment QR code' }).click();
    const qrTopUp = page.getByTestId('qr-topup');
    await qrTopUp.waitFor();
    await screenshot(page, 'account-qr-top-up');
    await visibleOrAlert(page, qrTopUp.getByText('Paid: the clinic account has been credited.'));
    await axe(page, 'account after a QR top-up');
  });

  it("reads the order's QR from the tablet's camera and from a photo of it, and fits a tablet held either way", async () => {
    // The fake camera shows the very QR the practitioner was given (as a Y4M video Chromium loops).
    const video = join(mailDir, 'order-qr.y4m');
    expect(writeY4m(video, redrawQr(orderQr!))).toEqual({ width: 640, height: 480 });
    cameraBrowser = await launch([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    const page = await newPage('en-NZ', { viewport: TABLET_PORTRAIT, from: cameraBrowser });
    await page.context().grantPermissions(['camera']);
    await signIn(page, OPERATOR);
    await page.getByRole('heading', { name: 'Scan or type a prescription' }).waitFor();
    await fitsTheScreen(page, 'redeem (portrait)');
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await visibleOrAlert(page, page.getByTestId('scan-patient'));
    expect(await page.getByTestId('scan-patient').textContent()).toBe('Aroha Ngata');
    expect(await page.getByRole('heading', { name: new RegExp(order.number!) }).count()).toBe(1);
    // The camera stops once it has read the code.
    await page.getByRole('button', { name: 'Scan with the camera' }).waitFor();
    await screenshot(page, 'pharmacy-camera-scan-tablet');
    await fitsTheScreen(page, 'scan result (portrait)');
    await axe(page, 'pharmacy scan result (tablet portrait)');

    // A photo of the QR (the same PNG): read in the browser, the same order.
    await page.goto('/pharmacy/redeem');
    await page.getByRole('heading', { name: 'Scan or type a prescription' }).waitFor();
    await page.getByLabel('Read the QR from a photo').setInputFiles({
      name: 'qr-photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(orderQr!.png.split(',')[1], 'base64'),
    });
    await visibleOrAlert(page, page.getByTestId('scan-patient'));
    expect(await page.getByTestId('scan-patient').textContent()).toBe('Aroha Ngata');
    // A photo with no QR in it says so.
    await page.getByLabel('Read the QR from a photo').setInputFiles({
      name: 'not-a-qr.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await page.getByText('No QR code found in that image.').waitFor();

    // Turned sideways, every pharmacy page still fits and passes axe.
    await page.setViewportSize(TABLET_LANDSCAPE);
    for (const [name, path] of [
      ['Redeem a prescription', '/pharmacy/redeem'],
      ['Our orders', '/pharmacy/orders'],
      ['Settlements', '/pharmacy/settlements'],
      ['Inventory', '/pharmacy/inventory'],
      ['API keys', '/pharmacy/api-keys'],
      ['Change password', '/pharmacy/password'],
    ]) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.waitForURL(`**${path}`);
      await page.locator('h1').waitFor();
      await fitsTheScreen(page, `${path} (landscape)`);
      await axe(page, `${path} (tablet landscape)`);
    }
    await page.setViewportSize(TABLET_PORTRAIT);
    for (const path of ['/pharmacy/orders', '/pharmacy/settlements', '/pharmacy/inventory', '/pharmacy/api-keys']) {
      await page.goto(path);
      await page.locator('h1').waitFor();
      await fitsTheScreen(page, `${path} (portrait)`);
      await axe(page, `${path} (tablet portrait)`);
    }
  });

  it('lets the pharmacy type the order number and code, see formula, patient and payout, claim it and upload its photo proof', async () => {
    const page = await newPage();
    await signIn(page, OPERATOR);
    await page.getByRole('heading', { name: 'Scan or type a prescription' }).waitFor();
    await axe(page, 'pharmacy redeem');
    // By keyboard alone at the counter: the order number, Tab, the code, Enter.
    await tabTo(page, page.getByLabel('Order number'));
    await page.keyboard.type(order.number!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(order.code!);
    await page.keyboard.press('Enter');
    await visibleOrAlert(page, page.getByTestId('scan-patient'));
    expect(await page.getByTestId('scan-patient').textContent()).toBe('Aroha Ngata');
    expect(await page.getByTestId('scan-payout').textContent()).toMatch(/^NZD \d+\.\d{2}$/);
    await page.getByText('当归').first().waitFor();
    await axe(page, 'pharmacy scan result');

    // "Start dispensing": the order is held by this pharmacy, its payout fixed.
    await page.getByRole('button', { name: 'Start dispensing' }).click();
    const claimed = page.getByTestId('claim-result');
    await visibleOrAlert(page, claimed);
    expect(await claimed.textContent()).toMatch(/Payout: NZD \d+\.\d{2}/);
    await page.getByText('Held by this pharmacy (dispensing here)').waitFor();
    await screenshot(page, 'pharmacy-claim');
    await axe(page, 'pharmacy claimed');

    // The "photo": a real PNG (a QR of the dispensing note), so the reviewer has something to look at.
    const photo = await QRCode.toBuffer(`Dispensed ${order.number} — 当归 10 g, 黄芪 15 g × 7`, { width: 320 });
    await page.getByLabel(/Photos of the dispensed prescription/).setInputFiles({ name: 'dispensed.png', mimeType: 'image/png', buffer: photo });
    await page.getByRole('img', { name: 'dispensed.png' }).waitFor();
    await page.getByRole('button', { name: 'Upload the proof' }).click();
    await visibleOrAlert(page, page.getByText('Proof submitted: the order is now in review.'));
    await screenshot(page, 'pharmacy-proof-uploaded');

    for (const [name, path] of [
      ['Our orders', '/pharmacy/orders'],
      ['Settlements', '/pharmacy/settlements'],
      ['Inventory', '/pharmacy/inventory'],
      ['API keys', '/pharmacy/api-keys'],
    ]) {
      await page.getByRole('link', { name }).click();
      await page.waitForURL(`**${path}`);
      await page.locator('h1').waitFor();
      await axe(page, path);
    }
    // Its inventory and wholesale prices: declared through the PUT (no GET in the contract), the API's
    // answer shown; a price above the catalogue's is refused in the API's words.
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByTestId('inventory-note').waitFor();
    for (const [query, herb] of [['dang gui', '当归'], ['huangqi', '黄芪']]) {
      await page.getByRole('searchbox', { name: 'Search herbs' }).fill(query);
      await page.getByRole('button', { name: new RegExp(`^Add ${herb} `) }).first().click();
    }
    const price = page.getByLabel(/^Wholesale price of 当归/);
    const catalogue = await price.inputValue();
    await price.fill('9999.00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[role=alert].error').waitFor();
    await price.fill(catalogue);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Declared supply saved (2 items).').waitFor();
    expect(await page.locator('[role=alert].error').count()).toBe(0);
    await axe(page, '/pharmacy/inventory (declared)');

    // An API key for its POS: shown once, listed by prefix, revoked.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('Counter POS');
    await page.getByRole('button', { name: 'Create an API key' }).click();
    await visibleOrAlert(page, page.getByText('Copy this key now; it will not be shown again:'));
    expect((await page.locator('code.secret').textContent())!.length).toBeGreaterThan(20);
    const revoke = page.getByRole('button', { name: 'Revoke key Counter POS' });
    await revoke.waitFor();
    await axe(page, '/pharmacy/api-keys (with a key)');
    await revoke.click();
    await revoke.waitFor({ state: 'detached' });

        // Its claims lead to each order's page.
    await page.getByRole('link', { name: 'Our orders' }).click();
    await page.getByRole('link', { name: order.number!, exact: true }).first().click();
    await page.waitForURL(`**/pharmacy/orders/${order.id}`);
    await page.locator('h1').waitFor();
    await page.locator('.chip-pending_review').first().waitFor();
    await axe(page, '/pharmacy/orders/:id');
  });

  it('lets the admin review the photo beside the formula and payout, approve it, and mark the settlement paid', async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    await axe(page, 'admin users');
    await page.getByRole('link', { name: 'Proof review' }).click();
    const review = page.locator('article', { hasText: order.number! });
    await review.waitFor();
    const photo = review.getByRole('img', { name: `Proof photo 1 for order ${order.number}` });
    await photo.waitFor();
    await page.waitForFunction(loaded(`Proof photo 1 for order ${order.number}`));
    expect(await review.getByTestId('review-payout').textContent()).toMatch(/^NZD \d+\.\d{2}$/);
    await screenshot(page, 'admin-review');
    await axe(page, 'admin review');
    await review.getByRole('button', { name: 'Approve the proof' }).click();
    // Reviewed, it leaves the list of proofs waiting.
    await review.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Settlements' }).click();
    const markPaid = page.getByRole('button', { name: /^Mark paid: settlement / }).first();
    await markPaid.waitFor();
    await page.getByLabel(/^Remittance reference for/).first().fill('REMIT-2026-001');
    await markPaid.click();
    await page.getByLabel('Filter by status').selectOption('paid');
    await page.getByText('REMIT-2026-001').waitFor();
    await screenshot(page, 'admin-settlement-paid');
    await axe(page, 'admin settlements');

    for (const [name, path] of [
      ['Clinics', '/admin/clinics'],
      ['Pharmacies', '/admin/pharmacies'],
      ['KPIs', '/admin/kpis'],
      ['E-mail log', '/admin/deliveries'],
    ]) {
      await page.getByRole('link', { name }).click();
      await page.waitForURL(`**${path}`);
      await page.locator('h1').waitFor();
      await axe(page, path);
    }
    await page.getByRole('link', { name: 'KPIs' }).click();
    await page.getByText('Gross transaction value').first().waitFor();
    await screenshot(page, 'admin-kpis');

    // The pharmacies on New Zealand's map, each pin named, the same list with coordinates beside it.
    await page.getByRole('link', { name: 'Pharmacies' }).click();
    const map = page.getByRole('img', { name: /^Pharmacy locations in New Zealand/ });
    await map.waitFor();
    const pins = page.getByTestId('map-pin');
    expect(await pins.count()).toBeGreaterThan(0);
    const rows = await page.locator('table tbody tr').count();
    expect(await page.getByTestId('pharmacy-map').locator('figcaption').textContent()).toContain(`${await pins.count()} of ${rows} pharmacies`);
    await screenshot(page, 'admin-pharmacy-map');
  });

  it('registers a practitioner who awaits approval, whom the admin approves, and who changes their password', async () => {
    const newcomer = { email: `dr.newcomer.${Date.now()}@demo.prescriptchain.nz`, password: 'first-password-2026', name: 'Dr Mere Tane' };
    const page = await newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Full name').fill(newcomer.name);
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await visibleOrAlert(page, page.getByText(/Your account is awaiting approval/));
    await axe(page, 'registered, awaiting approval');

    const admin = await newPage();
    await signIn(admin, ADMIN);
    await admin.getByRole('button', { name: `Approve ${newcomer.name}` }).click();
    await admin.getByRole('button', { name: `Approve ${newcomer.name}` }).waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, newcomer);
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.waitForURL('**/practitioner/password');
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await axe(page, '/practitioner/password');
    // The wrong current password is refused, in the API's words; two new ones that differ never leave the page.
    await page.getByLabel('Current password').fill('not-my-password');
    await page.getByLabel('New password', { exact: true }).fill('second-password-2026');
    await page.getByLabel('New password again').fill('second-password-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('[role=alert].error').waitFor();
    await page.getByLabel('New password again').fill('second-password-2025');
    await page.getByText('The two new passwords differ.').waitFor();
    expect(await page.getByRole('button', { name: 'Change password' }).isDisabled()).toBe(true);

    await page.getByLabel('Current password').fill(newcomer.password);
    await page.getByLabel('New password again').fill('second-password-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    // The API revoked every session of the user: the portal asks to sign in again, with the new password.
    await page.getByText('Password changed. Please sign in again.').waitFor();
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[role=alert].error').waitFor();
    await signIn(page, { email: newcomer.email, password: 'second-password-2026' });
    await page.getByRole('heading', { name: 'Prescription pad' }).waitFor();
  });

  it('shows the practitioner the order FULFILLED, in 简体中文 when switched', async () => {
    const page = await newPage();
    await signIn(page, PRACTITIONER);
    await page.goto(`/practitioner/orders/${order.id}`);
    await page.locator('.chip-fulfilled').first().waitFor();
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('heading', { name: /订单/ }).waitFor();
    expect(await page.locator('.chip-fulfilled').first().textContent()).toBe('已完成');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-Hans');
    await screenshot(page, 'practitioner-fulfilled-zh');
    await axe(page, 'order detail (zh)');
  });

  it('found no serious accessibility violation and no CSP violation on any page', () => {
    expect(axeViolations).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
