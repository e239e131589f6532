// UTC calendar arithmetic: day boundaries are UTC everywhere (docs/CONTRACTS.md §4).
export const DAY_MS = 86_400_000;

/** YYYY-MM-DD of the UTC day containing `date`. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
