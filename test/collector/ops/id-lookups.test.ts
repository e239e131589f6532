// A lookup by `_id` uses the unique `_id` index: in a 100k-document collection it costs about what
// it costs in a 1k one (our FerretDB build matches its query expression to the index; see
// collector/engine/README.md). Without the fix the 100k figures are 40–50 times the 1k ones.
import { measureIdLookups } from '../../../bench/lib/id-lookups';
import { useTestDatabase } from '../../support/db';

const db = useTestDatabase(__filename);

it('finds and $inc-upserts by _id in about the same time at 1k and 100k documents', async () => {
  const [small, large] = await measureIdLookups(db.connection().db!, [1_000, 100_000], 40);
  // Generous for a busy machine; a table scan makes these ratios 40 or more.
  expect(large!.findMs / small!.findMs).toBeLessThan(4);
  expect(large!.incMs / small!.incMs).toBeLessThan(4);
}, 180_000);
