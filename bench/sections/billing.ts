import type { BenchOptions, SectionResult } from '../lib/section';
export async function benchBilling(_options: BenchOptions): Promise<SectionResult> {
  throw new Error('POST /v1/revenue is not there yet');
}
