// Report periods: whole UTC days, `from` and `to` inclusive (YYYY-MM-DD).
import { z } from 'zod';
import { reportDayProblem } from './bounds';
import { DAY_MS as dayMs, utcDay } from './days';

export const maxRangeDays = 366;
export const defaultRangeDays = 30;

export interface DayRange {
  from: string;
  to: string;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && utcDay(new Date(`${text}T00:00:00Z`)) === text,
    'is not a valid date',
  );

/**
 * Query `from`/`to` → a range; defaults to the last 30 days ending today (UTC). `extra` adds other
 * query fields, passed through parsed, so one schema describes the whole query.
 */
export function dayRangeSchema<Extra extends z.ZodRawShape = Record<never, never>>(now: () => Date, extra?: Extra) {
  const shape = { from: day.optional(), to: day.optional(), ...(extra as Extra) };
  return z.object(shape).transform((query, ctx) => {
    const { from, to, ...rest } = query as { from?: string | undefined; to?: string | undefined };
    const end = to ?? (from ? utcDay(new Date(Date.parse(from) + (defaultRangeDays - 1) * dayMs)) : utcDay(now()));
    const start = from ?? utcDay(new Date(Date.parse(end) - (defaultRangeDays - 1) * dayMs));
    const days = (Date.parse(end) - Date.parse(start)) / dayMs + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    if (days > maxRangeDays)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxRangeDays} days` });
    for (const [field, value] of [
      ['from', start],
      ['to', end],
    ] as const) {
      const problem = reportDayProblem(value, now());
      if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
    }
    return { ...(rest as Omit<z.output<z.ZodObject<Extra>>, 'from' | 'to'>), from: start, to: end };
  });
}

export function eachDay({ from, to }: DayRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += dayMs) days.push(utcDay(new Date(t)));
  return days;
}
