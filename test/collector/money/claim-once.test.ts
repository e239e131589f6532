import type { Collector } from '../../../collector/app';
import { claimMany, claimOnce, findClaim, releaseClaims } from '../../../collector/services/claim-once';
import { testCollector } from '../../support/collector';
import { useTestDatabase } from '../../support/db';

const db = useTestDatabase(__filename);
let collector: Collector;

beforeAll(async () => {
  collector = await testCollector(db.connection());
});

describe('claimOnce', () => {
  it('lets exactly one of many concurrent callers win, and tells the others who did', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `test:race:${round}`;
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => claimOnce(collector.context.models, key, `caller-${i}`, { i })),
      );
      const winners = outcomes.filter((outcome) => outcome.won);
      expect(winners).toHaveLength(1);
      const holder = winners[0]!.claim.holder;
      for (const outcome of outcomes) expect(outcome.claim.holder).toBe(holder);
      expect((await findClaim(collector.context.models, key))?.holder).toBe(holder);
    }
  });

  it('claims many keys at once and releases only the holder’s own', async () => {
    const { models } = collector.context;
    expect(await claimMany(models, ['m:1', 'm:2'], 'a')).toEqual([true, true]);
    expect(await claimMany(models, ['m:2', 'm:3'], 'b')).toEqual([false, true]);
    expect(await releaseClaims(models, 'a', ['m:2', 'm:3'])).toBe(1);
    expect(await claimOnce(models, 'm:2', 'b')).toMatchObject({ won: true });
    expect(await releaseClaims(models, 'b')).toBe(2);
    expect(await findClaim(models, 'm:1')).toMatchObject({ holder: 'a' });
  });
});
