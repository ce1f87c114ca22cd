import { renderToStaticMarkup } from 'react-dom/server';
import { I18nProvider } from '../i18n/i18n';
import { MESSAGES } from '../i18n/messages';
import { DateTime, Money, StatusChip } from './ui';

const render = (node: React.ReactNode, lang: 'en' | 'zh' = 'en') =>
  renderToStaticMarkup(<I18nProvider lang={lang}>{node}</I18nProvider>);

describe('portal components', () => {
  it('renders money as NZD 12.34', () => {
    expect(render(<Money amount="1234.5" />)).toBe('<span class="money">NZD 1,234.50</span>');
  });

  it("renders status chips in the seed's colour classes, labelled in the chosen language", () => {
    expect(render(<StatusChip status="PAID" />)).toBe('<span class="chip chip-paid">Paid</span>');
    expect(render(<StatusChip status="FULFILLED" />, 'zh')).toBe('<span class="chip chip-fulfilled">已完成</span>');
    // A status the portal does not know yet (a newer API) is shown as it comes.
    expect(render(<StatusChip status="ON_HOLD" />)).toBe('<span class="chip chip-on_hold">ON_HOLD</span>');
  });

  it('renders times in New Zealand time, whatever the device zone', () => {
    // 21:30 UTC on 1 Dec 2026 is 10:30 am on 2 Dec in Auckland (NZDT, UTC+13).
    const html = render(<DateTime iso="2026-12-01T21:30:00Z" />);
    expect(html).toMatch(/^<time dateTime="2026-12-01T21:30:00Z">2 Dec 2026, 10:30\s?am<\/time>$/i);
  });

  it('has every message in both English and 简体中文', () => {
    for (const [key, [en, zh]] of Object.entries(MESSAGES)) {
      expect([key, en.trim().length > 0, zh.trim().length > 0]).toEqual([key, true, true]);
      // the same placeholders in both languages
      const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect([key, vars(zh)]).toEqual([key, vars(en)]);
    }
  });
});
