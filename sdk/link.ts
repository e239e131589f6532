// Partner-link parameters (docs/CONTRACTS.md §1): read from the hash (every form) and the query, and the
// address without them. Pure: takes `location.search` and `location.hash`, touches nothing.

export interface Link {
  aid: string;
  bid?: string;
  data1?: string;
  data2?: string;
  /** Set by the collector's redirect `/r/:aid`: that click is recorded already. */
  cid?: string;
}

/** Partner and banner IDs: 1–64 of [A-Za-z0-9_-]. */
export const ID = /^[\w-]{1,64}$/;
/** The shape of a UUID; the collector checks the rest. */
export const UUID = /^[\da-f-]{36}$/i;

/**
 * The link in `address` (`location.search + location.hash`), or none when `a_aid` is missing or
 * invalid (invalid optional values are dropped); and the address without our parameters when it is
 * a link (a site's own `data1` on other pages stays untouched). Of a repeated parameter the last
 * counts, so where the query and the hash both carry one, the hash wins.
 */
export function readLink(address: string): [Link | undefined, string] {
  let ours = '';
  // Each of ours with the separator before it: `?` (the query, or a hash route's query), `#` or `&`.
  // Cut out as text so the rest of the address keeps its exact form.
  const rest = address
    .replace(/([#?&])((a_[abc]id|data[12])(=[^&#]*)?)(?=[&#]|$)/g, (_, sep: string, pair: string) => {
      // Prepended: get() then finds the last occurrence in the address (the hash's) first.
      ours = '&' + pair + ours;
      return sep == '&' ? '' : sep;
    })
    // `#&x` → `#x`; a `?` or `#` left with nothing after it goes.
    .replace(/([#?])&|[#?](?=#|$)/g, '$1');
  // URLSearchParams decodes `+` and percent-encoding, and leaves malformed escapes as they are.
  const p = new URLSearchParams(ours);
  // test(null) reads "null", which passes ID: the `&& v` drops it.
  const get = (name: string, valid: RegExp, v = p.get(name)) => (valid.test(v!) && v) || undefined;
  const sub = /^[^]{1,128}$/;
  const aid = get('a_aid', ID);
  return [
    // get never answers '': this is a Link or undefined.
    (aid && {
      aid,
      bid: get('a_bid', ID),
      data1: get('data1', sub),
      data2: get('data2', sub),
      cid: get('a_cid', UUID),
    }) as Link | undefined,
    aid ? rest : address,
  ];
}
