// The collector's own `ashop_ref` on its same-site answer to a browser click (README "Cookie,
// storage and requests"): the click's record, the visitor's live referral in place of a dead one,
// or an empty value. Reads by key only: the partner cache and, for a click that does not count,
// the visitor's history.
import type { Context } from '../context';
import { parseReferral, withinWindow } from '../domain/attribution';
import { DAY_MS } from '../domain/days';
import { isLivePartner } from '../domain/partner-live';
import { referralCookieAction, referralCookieValue, requestCookie } from '../domain/tracking-http';
import { pickByModel } from '../domain/visitor-history';
import { readVisitorHistory } from './visitor-history';

export interface ReportedClick {
  aid: string;
  bid: string | undefined;
  cid: string;
  vid: string;
  counted: boolean;
}

/** The cookie to set (value as written, lifetime), or undefined to leave the browser's as it is. */
export async function referralCookieAnswer(
  context: Pick<Context, 'config' | 'models' | 'tracking'>,
  cookieHeader: string | undefined,
  click: ReportedClick,
  now: Date,
): Promise<{ value: string; maxAgeMs: number } | undefined> {
  const { config, models, tracking } = context;
  const raw = requestCookie(cookieHeader, 'ashop_ref');
  const held = parseReferral(raw) ?? undefined;
  const heldLive =
    held !== undefined && held.aid !== click.aid && isLivePartner(await tracking.partners.status(held.aid));
  const action = referralCookieAction(held && { ...held, partnerLive: heldLive }, click, raw !== undefined);
  const windowMs = config.cookieDays * DAY_MS;
  if (action === 'keep') return undefined;
  if (action === 'set') {
    const value = referralCookieValue({ v: 1, ...click, ts: now.getTime(), p: 's' });
    return { value, maxAgeMs: windowMs };
  }
  const history = await readVisitorHistory(models, click.vid);
  const statuses = await tracking.partners.statuses(history.map((entry) => entry.partnerId));
  const live = history.filter(
    (entry) => isLivePartner(statuses.get(entry.partnerId)) && withinWindow(entry.occurredAt, now, config.cookieDays),
  );
  const kept = pickByModel(live, config.attributionModel);
  if (!kept) return { value: '', maxAgeMs: windowMs };
  const ts = kept.occurredAt.getTime();
  return {
    value: referralCookieValue({ v: 1, aid: kept.partnerId, bid: kept.bid, cid: kept.cid, vid: click.vid, ts, p: 's' }),
    maxAgeMs: ts + windowMs - now.getTime(),
  };
}
