// The server's click history per visitor (the SDK's kept `vid`): which click decides a signup.
// Pure rules; services/visitor-history.ts reads and writes the `visitor_clicks` records.

export const attributionModels = ['first', 'last'] as const;
export type AttributionModel = (typeof attributionModels)[number];

/**
 * A visitor's history holds at most this many clicks: the key of a new click is found by trying
 * `vid:0`, `vid:1`, …, so a flood of clicks under one visitor ID must not cost ever more. Later
 * clicks are stored and counted as always, just not added to the history (the cookie's own click
 * still is evidence at signup).
 */
export const maxVisitorClicks = 100;

/** `visitor_clicks` `_id`: the visitor ID and the click's number in that visitor's history. */
export function visitorClickKey(vid: string, n: number): string {
  return `${vid}:${n}`;
}

/**
 * The click the model picks among those that attribute: the first or the last by click time
 * (equal times: the one listed first, i.e. recorded earlier).
 */
export function pickByModel<T extends { occurredAt: Date }>(
  clicks: readonly T[],
  model: AttributionModel,
): T | undefined {
  let chosen: T | undefined;
  for (const click of clicks) {
    const t = click.occurredAt.getTime();
    if (!chosen || (model === 'first' ? t < chosen.occurredAt.getTime() : t > chosen.occurredAt.getTime()))
      chosen = click;
  }
  return chosen;
}
