// The global `ashop` function the SDK's queue stub defines on marketing pages (docs/CONTRACTS.md §3).

export type AshopCallback = (
  error: Error | null,
  answer?: { attributed: boolean; partnerId?: string; reason?: string },
) => void;

declare global {
  interface Window {
    ashop?: (command: string, ...args: unknown[]) => void;
  }
}

/** ashop('signup', ...) as a promise; resolves with the collector's answer. */
export function reportSignup(data: { customerId: string; email: string; signature: string }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!window.ashop) return reject(new Error('The tracking script is not on this page.'));
    const done: AshopCallback = (error, answer) => (error ? reject(error) : resolve(answer));
    window.ashop('signup', data, done);
  });
}
