// SDK: bundle sizes against the gzip budget, and how long the script takes to evaluate in headless
// Chromium, next to an empty script measured the same way (the floor of the method).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup, type RollupOptions, type Plugin } from 'rollup';
import { projectRoot } from '../../collector/paths';
import { launchChromium } from '../../test/support/browser';
import { notMeasured, reasonOf, type BenchOptions, type SectionResult } from '../lib/section';
import { median } from '../lib/stats';
import { bytes, ms, num, pct, verdict, type Row } from '../lib/table';

const section = 'sdk';
const bundlePath = 'dist/sdk/ashop.min.js';
export const gzipBudget = 1600;

export async function benchSdk(options: BenchOptions): Promise<SectionResult> {
  const rows: Row[] = [];
  const data: Record<string, unknown> = {};
  try {
    const min = readFileSync(join(projectRoot, bundlePath));
    const raw = await unminifiedSize();
    const gzip = gzipSync(min, { level: 9 }).length;
    Object.assign(data, { rawBytes: raw, minBytes: min.length, gzipBytes: gzip, budgetBytes: gzipBudget });
    rows.push(
      {
        section,
        metric: 'bundle raw (not minified)',
        target: '',
        measured: bytes(raw),
        baseline: '',
        ratio: '',
        verdict: 'info',
      },
      {
        section,
        metric: 'bundle minified',
        target: '',
        measured: bytes(min.length),
        baseline: '',
        ratio: '',
        verdict: 'info',
      },
      {
        section,
        metric: 'bundle gzip -9',
        target: `≤ ${num(gzipBudget)} B`,
        measured: bytes(gzip),
        baseline: `${bytes(gzipBudget)} budget`,
        ratio: pct(gzip / gzipBudget),
        verdict: verdict(gzip <= gzipBudget),
      },
    );
  } catch (error) {
    rows.push(notMeasured(section, 'bundle sizes', `gzip ≤ ${num(gzipBudget)} B`, reasonOf(error)));
  }

  try {
    const loads = options.quick ? 10 : 20;
    const evaluation = await evaluationTimes(loads, options.log);
    Object.assign(data, { evaluation });
    rows.push({
      section,
      metric: `evaluation in Chromium (median of ${loads})`,
      target: '',
      measured: ms(evaluation.sdkMedianMs),
      baseline: `${ms(evaluation.emptyMedianMs)} empty script`,
      ratio: `+${ms(Math.max(0, evaluation.sdkMedianMs - evaluation.emptyMedianMs))}`,
      verdict: 'info',
    });
  } catch (error) {
    rows.push(notMeasured(section, 'evaluation in Chromium', '', reasonOf(error)));
  }
  return { rows, data };
}

/** The IIFE bundle built from rollup.config.mjs's own entry, minus the minifier. */
async function unminifiedSize(): Promise<number> {
  const configs = (await import(pathToFileURL(join(projectRoot, 'rollup.config.mjs')).href)).default as RollupOptions[];
  const entry = configs.find((config) => !Array.isArray(config.output) && config.output?.file === bundlePath);
  if (!entry) throw new Error(`rollup.config.mjs has no build of ${bundlePath}`);
  const plugins = (entry.plugins as Plugin[]).filter((plugin) => plugin.name !== 'terser');
  const build = await rollup({ input: entry.input, plugins, onwarn: () => {} });
  try {
    const { output } = await build.generate({ format: 'iife' });
    return Buffer.byteLength(output[0].code);
  } finally {
    await build.close();
  }
}

interface EvaluationTimes {
  sdkMs: number[];
  emptyMs: number[];
  sdkMedianMs: number;
  emptyMedianMs: number;
}

/**
 * Each load opens a page with a partner link in a fresh browser context (a first visit, with a
 * referral to store and send) that inserts the script and times it with performance.now(): an
 * inserted inline script is compiled and run synchronously inside appendChild.
 */
async function evaluationTimes(loads: number, log: (line: string) => void): Promise<EvaluationTimes> {
  const sdk = readFileSync(join(projectRoot, bundlePath), 'utf8');
  const server = await staticServer(sdk);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    const measure = async (script: 'sdk' | 'empty'): Promise<number> => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${base}/page/${script}#a_aid=bench-partner&a_bid=summer`, { waitUntil: 'load' });
        return (await page.evaluate('window.__evaluationMs')) as number;
      } finally {
        await context.close();
      }
    };
    await measure('sdk');
    await measure('empty');
    const sdkMs: number[] = [];
    const emptyMs: number[] = [];
    for (let i = 0; i < loads; i++) {
      sdkMs.push(await measure('sdk'));
      emptyMs.push(await measure('empty'));
    }
    log(`  sdk evaluation (ms): ${sdkMs.map((value) => value.toFixed(2)).join(' ')}`);
    return { sdkMs, emptyMs, sdkMedianMs: median(sdkMs), emptyMedianMs: median(emptyMs) };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Serves the test page (the SDK or an empty script) and answers the SDK's click like a collector. */
async function staticServer(sdk: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/page/sdk' || url === '/page/empty') {
      const code = url === '/page/sdk' ? sdk : '';
      // JSON.stringify, with "<" escaped so the code cannot close the inline script.
      const literal = JSON.stringify(code).replace(/</g, '\\u003c');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        `<!doctype html><html><head><title>bench</title></head><body><script>
          const script = document.createElement('script');
          script.setAttribute('data-endpoint', location.origin);
          script.text = ${literal};
          const started = performance.now();
          document.head.appendChild(script);
          window.__evaluationMs = performance.now() - started;
        </script></body></html>`,
      );
    } else {
      req.resume();
      res.writeHead(req.method === 'POST' ? 202 : 404, {
        'Access-Control-Allow-Origin': String(req.headers.origin ?? '*'),
        'Access-Control-Allow-Credentials': 'true',
      });
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
