/** Wraps an entry point so that it never throws into the host page (it returns undefined instead). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function shape may be wrapped
export const guard = <F extends (...args: any[]) => any>(f: F): F =>
  ((...args: unknown[]) => {
    try {
      return f(...args);
    } catch {
      // swallowed on purpose: the host page must never see our errors
    }
  }) as F;
