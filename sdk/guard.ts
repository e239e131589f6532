/** Wraps an entry point so that it never throws into the host page (it returns undefined instead). */
export const guard =
  <F extends (...args: any[]) => any>(f: F): F =>
  ((...args: unknown[]) => {
    try {
      return f(...args);
    } catch {}
  }) as F;
