/**
 * What the gateway tells the portal at run time, as meta tags in index.html (see
 * gateway/src/portal/portal-static.ts): public values only, no API route of their own.
 */
export const STRIPE_KEY_META = 'prescriptchain:stripe-publishable-key';

/** Stripe's publishable key when card top-ups go to Stripe; null when they go to the offline sandbox. */
export function stripePublishableKey(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string | null {
  const content = doc?.querySelector<HTMLMetaElement>(`meta[name="${STRIPE_KEY_META}"]`)?.content?.trim();
  return content && /^pk_(test|live)_/.test(content) ? content : null;
}
