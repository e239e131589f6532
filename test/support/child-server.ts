// The child collector's entry when a test holds it at a seam (ASHOP_TEST_HOLD_AT=<seam>[#<pass>]):
// `collector/server.ts` as `npm run collector` runs it, except that the given pass through the seam
// prints `{"msg":"held at seam","seam":…}` and never returns, so the test can kill -9 the process
// at exactly that step.
import { exitWithStartupError, main } from '../../collector/server';
import { testSeams, type SeamName } from '../../collector/services/seams';

const hold = process.env.ASHOP_TEST_HOLD_AT;
if (hold) {
  const [name, pass] = hold.split('#') as [SeamName, string | undefined];
  const wanted = Number(pass ?? 1);
  let passes = 0;
  const arm = () =>
    testSeams.once(name, async () => {
      passes += 1;
      if (passes < wanted) {
        arm();
        return;
      }
      process.stdout.write(`${JSON.stringify({ msg: 'held at seam', seam: name, pass: passes })}\n`);
      await new Promise<never>(() => {});
    });
  arm();
}

main().catch(exitWithStartupError);
