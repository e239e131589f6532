// ESM entry for bundlers: the same tracker as the script tag, configured with options.
import { tracker, type Tracker, type TrackerOptions } from './tracker';

export type { SignupAnswer, SignupCallback, SignupData, Tracker, TrackerOptions } from './tracker';
export type { Referral } from './referral';

/** Reads the partner link on this page, stores the referral and reports the click (docs/CONTRACTS.md §1, §2). */
export const createTracker = (options: TrackerOptions = {}): Tracker => tracker(options, '');
