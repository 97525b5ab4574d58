import { ShopsmartError } from '../errors.js';
import { materializeExternal } from './external-materialization.js';
import { materializeIncremental } from './incremental-materialization.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { materializeSeed } from './seed-materialization.js';
import { materializeSnapshot } from './snapshot-materialization.js';
import { materializeRelation } from './table-materialization.js';
import { executeTest } from './test-execution.js';
import { executeUnitTest } from './unit-test-execution.js';

const modelMaterializations = ['view', 'table', 'incremental', 'ephemeral', 'external'];

/** Picks the materialization for a node and runs it. */
export async function materializeNode(context: MaterializationContext): Promise<MaterializationResult> {
  const { node } = context;
  switch (node.resourceType) {
    case 'seed':
      return materializeSeed(context);
    case 'test':
      return executeTest(context);
    case 'snapshot':
      return materializeSnapshot(context);
    case 'unit_test':
      return executeUnitTest(context);
    case 'model':
      break;
    default:
      throw new ShopsmartError('SSA-NODE-501', `${node.resourceType} '${node.name}' cannot be run`);
  }
  switch (node.config.materialized) {
    case 'view':
      return materializeRelation(context, 'view');
    case 'table':
      return materializeRelation(context, 'table');
    case 'incremental':
      return materializeIncremental(context);
    case 'external':
      return materializeExternal(context);
    case 'ephemeral':
      return { status: 'success', message: 'ephemeral: inlined as a CTE where used' };
    default:
      throw new ShopsmartError(
        'SSA-MAT-404',
        `unknown materialization '${node.config.materialized}' on '${node.name}'`,
        {
          file: node.originalFilePath,
          hint: `use one of: ${modelMaterializations.join(', ')}`,
        },
      );
  }
}
