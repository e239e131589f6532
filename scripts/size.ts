// `npm run size`: the script-tag bundle's size, raw (bundled, before terser), minified and gzip -9,
// against the budget of docs/CONTRACTS.md §3. Exits non-zero above it. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup, type OutputOptions, type RollupOptions } from 'rollup';

const budget = 1600;
const root = join(__dirname, '..');

/** The IIFE bundle as rollup.config.mjs builds it, minus the minifier. */
async function rawSize(): Promise<number> {
  const { default: configs } = (await import(pathToFileURL(join(root, 'rollup.config.mjs')).href)) as {
    default: RollupOptions[];
  };
  const config = configs.find((c) => (c.output as OutputOptions).format === 'iife')!;
  const plugins = (config.plugins as { name: string }[]).filter((plugin) => plugin.name !== 'terser');
  const bundle = await rollup({ ...config, plugins, onwarn: () => {} });
  const { output } = await bundle.generate({ ...(config.output as OutputOptions), file: undefined });
  await bundle.close();
  return Buffer.byteLength(output[0].code);
}

async function main(): Promise<void> {
  const minified = readFileSync(join(root, 'dist/sdk/ashop.min.js'));
  const gzipped = gzipSync(minified, { level: 9 }).length;
  const rows: [string, number][] = [
    ['raw', await rawSize()],
    ['minified', minified.length],
    ['gzip -9', gzipped],
  ];
  for (const [label, bytes] of rows) console.log(`${label.padEnd(9)} ${String(bytes).padStart(6)} B`);
  const verdict = gzipped <= budget ? 'within' : 'OVER';
  console.log(
    `dist/sdk/ashop.min.js: ${gzipped} B gzipped, ${verdict} the ${budget} B budget (${budget - gzipped} B left)`,
  );
  if (gzipped > budget) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
