// Keyset pagination: a page ends with an opaque cursor naming its last `_id`; the next page is
// what sorts after it. Stable under inserts (nothing is skipped or repeated, unlike offsets).
import { z } from 'zod';

export const encodeCursor = (lastId: string) => Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');

/** The `_id` a cursor names, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const parsed = z
      .object({ after: z.string().min(1).max(512) })
      .safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.after : undefined;
  } catch {
    return undefined;
  }
}

/** Query fields every list takes: `limit` (1-200, default 50) and `cursor` (from `nextCursor`). */
/** A page size; optional where leaving it out means "all" (zod 4 would apply a default even to `.optional()`). */
export const pageLimit = z.coerce.number().int().min(1).max(200);

export const pageQuery = {
  limit: pageLimit.default(50),
  cursor: z
    .string()
    .max(1024)
    .transform((value, ctx) => {
      const after = decodeCursor(value);
      if (after === undefined) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out' });
      return after ?? z.NEVER;
    })
    .optional(),
};
