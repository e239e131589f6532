// The one table the benchmark prints: a row per figure, with its target and the baseline it is read against.

export type Verdict = 'pass' | 'FAIL' | 'info' | 'not measured';

export interface Row {
  section: string;
  metric: string;
  /** Human-readable target, e.g. "≥ 60% of ceiling"; empty when the figure is informative only. */
  target: string;
  measured: string;
  /** The ceiling or baseline the figure is compared with, when there is one. */
  baseline: string;
  ratio: string;
  verdict: Verdict;
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'pass' : 'FAIL';
}

const headers: Record<keyof Row, string> = {
  section: 'section',
  metric: 'metric',
  target: 'target',
  measured: 'measured',
  baseline: 'baseline / ceiling',
  ratio: 'ratio',
  verdict: 'result',
};
const columns = Object.keys(headers) as Array<keyof Row>;

/** A Markdown table (readable in a terminal, pasteable into the README). */
export function renderTable(rows: readonly Row[]): string {
  const cells = [
    columns.map((column) => headers[column]),
    ...rows.map((row) => columns.map((column) => escapeCell(row[column]))),
  ];
  const widths = columns.map((_, index) => Math.max(3, ...cells.map((line) => [...line[index]!].length)));
  const format = (line: string[]) =>
    `| ${line.map((cell, index) => cell + ' '.repeat(widths[index]! - [...cell].length)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [format(cells[0]!), rule, ...cells.slice(1).map(format)].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Number formatting for the table: thousands separators, a fixed number of decimals. */
export function num(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function pct(value: number): string {
  return `${num(value * 100, 0)}%`;
}

export function bytes(value: number): string {
  return `${num(value)} B`;
}

export function mb(value: number): string {
  return `${num(value / (1024 * 1024), 1)} MB`;
}

export function ms(value: number): string {
  return `${num(value, value < 10 ? 2 : 1)} ms`;
}
