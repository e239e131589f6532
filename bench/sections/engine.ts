// Engine: one find and one `$inc` upsert by exact `_id` on collections of 1k, 10k and 100k documents
// (the only lookup FerretDB's SQLite backend sends to SQL). Flat when the `_id` index is used
// (collector/engine/README.md); target: the 100k figure at most twice the 1k one.
import { measureIdLookups } from '../lib/id-lookups';
import { openBenchDb } from '../lib/seed';
import type { BenchOptions, SectionResult } from '../lib/section';
import { ms, num, verdict, type Row } from '../lib/table';

const section = 'engine';
const maxRatio = 2;

export async function benchEngine(options: BenchOptions): Promise<SectionResult> {
  const sizes = options.quick ? [1_000, 10_000, 50_000] : [1_000, 10_000, 100_000];
  const samples = options.quick ? 50 : 200;
  const db = await openBenchDb(options.mongodbUri, `${options.dbPrefix}_engine`);
  try {
    const figures = await measureIdLookups(db.connection.db!, sizes, samples, options.log);
    const base = figures[0]!;
    const rows: Row[] = [];
    for (const figure of figures) {
      const last = figure === figures.at(-1);
      for (const [what, value, baseValue] of [
        ['find by _id', figure.findMs, base.findMs],
        ['$inc upsert by _id', figure.incMs, base.incMs],
      ] as const) {
        rows.push({
          section,
          metric: `${what}, ${num(figure.documents)} docs (median of ${samples})`,
          target: last ? `≤ ${maxRatio}× the ${num(base.documents)} figure` : '',
          measured: ms(value),
          baseline: figure === base ? '' : `${ms(baseValue)} at ${num(base.documents)}`,
          ratio: figure === base ? '' : `${num(value / baseValue, 2)}×`,
          verdict: last ? verdict(value / baseValue <= maxRatio) : 'info',
        });
      }
    }
    return { rows, data: { samples, figures } };
  } finally {
    await db.connection.dropDatabase().catch(() => {});
    await db.close();
  }
}
