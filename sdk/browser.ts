// IIFE entry for the script tag: configuration from its data-* attributes, the global `ashop`
// function, and the calls queued by the stub before the script loaded, replayed in order.
import { guard } from './guard';
import { tracker, type Tracker } from './tracker';

type Global = { (command: keyof Tracker, ...args: unknown[]): unknown; q?: IArguments[] };

// Guarded as a whole: not loaded by a script tag with a src, the SDK stays out of the way.
guard(() => {
  const script = document.currentScript as HTMLScriptElement;
  // Default endpoint: where the script came from.
  const t = tracker(script.dataset, new URL(script.src).origin);
  const w = window as unknown as { ashop?: Global };
  const queued = w.ashop?.q || [];
  // An unknown command is a TypeError, caught like everything else.
  // The methods ride along on the function: `ashop.referral()` (docs/CONTRACTS.md §3) and the others.
  const ashop: Global = Object.assign(
    (w.ashop = guard((command: keyof Tracker, ...args: unknown[]) =>
      (t[command] as (...a: unknown[]) => unknown)(...args),
    )),
    t,
  );
  for (const args of queued) ashop(...(args as unknown as Parameters<Global>));
})();
