import { ShopsmartError } from '../errors.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';

/** SCD type 2 snapshots. */
export async function materializeSnapshot(context: MaterializationContext): Promise<MaterializationResult> {
  throw new ShopsmartError('SSA-SNAP-501', `snapshot '${context.node.name}' cannot run: snapshots are not implemented yet`);
}
