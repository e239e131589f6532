import { expectedCommission } from '../../bench/sections/billing';
import { num, pct, renderTable, type Row } from '../../bench/lib/table';

const row = (overrides: Partial<Row>): Row => ({
  section: 'ingestion',
  metric: 'throughput',
  target: '≥ 60%',
  measured: '1,000 req/s',
  baseline: '2,000/s HTTP',
  ratio: '50%',
  verdict: 'FAIL',
  ...overrides,
});

describe('the results table', () => {
  it('is a Markdown table with aligned columns and escaped pipes', () => {
    const table = renderTable([row({}), row({ metric: 'a | b', verdict: 'pass' })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\| section +\| metric +\| target +\| measured +\| baseline \/ ceiling \| ratio \| result +\|$/,
    );
    expect(lines[1]).toMatch(/^\|(-+\|)+$/);
    expect(lines[3]).toContain('a \\| b');
    expect(new Set(lines.map((line) => [...line].length)).size).toBe(1);
  });

  it('formats numbers for people', () => {
    expect(num(1234567)).toBe('1,234,567');
    expect(num(2.5, 1)).toBe('2.5');
    expect(pct(0.6)).toBe('60%');
  });
});

describe('expected commission in the billing benchmark', () => {
  const invoice = (plan: number, app: number, design: number) => ({
    eventId: 'e',
    customerId: 'c',
    occurredAt: '2026-01-01T00:00:00Z',
    lines: [
      { kind: 'plan', amount: plan },
      { kind: 'app', amount: app },
      { kind: 'design', amount: design },
    ],
  });

  it('is 25% of plan and app lines, half a cent rounded up, design ignored', () => {
    expect(expectedCommission(invoice(1000, 0, 5000))).toBe(250);
    expect(expectedCommission(invoice(1002, 0, 0))).toBe(251); // 250.5
    expect(expectedCommission(invoice(1001, 0, 0))).toBe(250); // 250.25
    expect(expectedCommission(invoice(1001, 2, 0))).toBe(251); // 250.75
  });
});
