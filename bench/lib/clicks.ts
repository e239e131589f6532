// Click traffic as the SDK sends it: unique click IDs, text/plain JSON bodies, a browser's headers.
import { randomInt, randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';

export const siteOrigin = 'http://localhost:8080';
export const banners = ['', 'spring', 'summer'] as const;

export const browserHeaders = {
  'Content-Type': 'text/plain;charset=UTF-8',
  Origin: siteOrigin,
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

export interface ClickBody {
  aid: string;
  bid?: string;
  cid: string;
  vid: string;
  url: string;
  referrer: string;
}

export function partnerIds(count: number, prefix = 'p'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(5, '0')}`);
}

export function randomClick(partners: readonly string[]): ClickBody {
  const bid = banners[randomInt(banners.length)]!;
  return {
    aid: partners[randomInt(partners.length)]!,
    ...(bid ? { bid } : {}),
    cid: randomUUID(),
    vid: randomUUID(),
    url: `${siteOrigin}/pricing`,
    referrer: 'https://blog.example/best-shop-builders',
  };
}

/** The document the collector stores for a counted click (storage ceiling, report data). */
export function storedClick(click: ClickBody, at: { partnerId?: string; bid?: string; occurredAt?: Date } = {}) {
  const bid = at.bid ?? click.bid;
  return {
    _id: click.cid,
    partnerId: at.partnerId ?? click.aid,
    ...(bid ? { bid } : {}),
    vid: click.vid,
    url: click.url,
    referrer: click.referrer,
    visitorHash: click.vid.replace(/-/g, ''),
    bot: false,
    counted: true,
    unique: true,
    occurredAt: at.occurredAt ?? new Date(),
  };
}

/** A random public-looking client address, so visitors differ as they would behind a proxy. */
export function randomAddress(): string {
  return `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * autocannon requests posting a new click each time. With one request in flight per connection,
 * the connection's context names the click its answer is for: `acknowledged` collects the click
 * IDs answered 202.
 */
export function clickRequests(partners: readonly string[], acknowledged: Set<string>): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/v1/clicks',
      setupRequest: (request, context) => {
        const click = randomClick(partners);
        (context as { cid?: string }).cid = click.cid;
        return {
          ...request,
          headers: { ...browserHeaders, 'X-Forwarded-For': randomAddress() },
          body: JSON.stringify(click),
        };
      },
      onResponse: (status, _body, context) => {
        const cid = (context as { cid?: string }).cid;
        if (status === 202 && cid) acknowledged.add(cid);
      },
    },
  ];
}
