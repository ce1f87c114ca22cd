import type { Locale } from '../locale';

/** The parts every e-mail is made of; the layout turns them into plain text and simple HTML. */
export interface EmailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Label → value lines (order, amount, reference...). */
  facts: [label: string, value: string][];
  closing?: string[];
  /** One line for the in-app notification's body. */
  summary: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** The in-app notification for the same event. */
  inApp: { title: string; body: string };
}

const SIGNATURE: Record<Locale, string> = { en: 'The PrescriptChain team', zh: 'PrescriptChain 平台' };
const FOOTER: Record<Locale, string> = {
  en: 'This message was sent automatically; please do not reply to it.',
  zh: '此邮件由系统自动发送，请勿直接回复。',
};
const HTML_LANG: Record<Locale, string> = { en: 'en', zh: 'zh-Hans' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A subject is one header line: no line breaks, however the data was typed. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

export function render(locale: Locale, content: EmailContent): RenderedMessage {
  const closing = content.closing ?? [];
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.facts.length ? [...content.facts.map(([label, value]) => `${label}: ${value}`), ''] : []),
    ...closing.flatMap((p) => [p, '']),
    SIGNATURE[locale],
    '',
    '--',
    FOOTER[locale],
    '',
  ].join('\n');

  const p = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const facts = content.facts.length
    ? `<table cellpadding="4" style="border-collapse:collapse">${content.facts
        .map(
          ([label, value]) =>
            `<tr><th align="left" style="padding-right:16px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const subject = oneLine(content.subject);
  const html = [
    '<!doctype html>',
    `<html lang="${HTML_LANG[locale]}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    "<body style=\"font-family:Arial,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.5;color:#222\">",
    p(content.greeting),
    ...content.paragraphs.map(p),
    facts,
    ...closing.map(p),
    p(SIGNATURE[locale]),
    `<p style="color:#888;font-size:12px">${escapeHtml(FOOTER[locale])}</p>`,
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html, inApp: { title: subject, body: oneLine(content.summary) } };
}

/** A calendar date in New Zealand, where the pharmacies are: "2026-11-22" / "2026年11月22日". */
export function formatNzDate(iso: string, locale: Locale): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Pacific/Auckland',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return locale === 'zh'
    ? `${part('year')}年${Number(part('month'))}月${Number(part('day'))}日`
    : `${part('year')}-${part('month')}-${part('day')}`;
}
