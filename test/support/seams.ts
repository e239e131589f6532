// Forced interleavings: hold one side at a seam until the test lets it go.
import { testSeams, type SeamName } from '../../collector/services/seams';

export interface Held {
  /** Resolves once the paused side reached the seam. */
  reached: Promise<void>;
  release(): void;
}

/** The next pass through `name` waits until `release()`. */
export function holdAt(name: SeamName): Held {
  let release!: () => void;
  const gate = new Promise<void>((done) => (release = done));
  let reachedDone!: () => void;
  const reached = new Promise<void>((done) => (reachedDone = done));
  testSeams.once(name, async () => {
    reachedDone();
    await gate;
  });
  return { reached, release };
}

afterEach(() => testSeams.clear());
