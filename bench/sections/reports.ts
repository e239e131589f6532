import type { BenchOptions, SectionResult } from '../lib/section';
export async function benchReports(_options: BenchOptions): Promise<SectionResult> {
  throw new Error('GET /v1/me/stats is not there yet');
}
