import type { AdvanceOptions, AdvanceSummary } from '../types.js';

export async function advance(_options: AdvanceOptions): Promise<AdvanceSummary> {
  throw new Error('not yet');
}
