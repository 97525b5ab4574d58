import { ShopsmartError } from '../errors.js';
import type { ParsedProject } from '../project/manifest-builder.js';

const documented = ['model', 'seed', 'snapshot'] as const;

/**
 * Documentation coverage for one layer: every model, seed and snapshot has a description, lists
 * its columns, and describes each of them. Returned as a list, one entry per gap.
 */
export function documentationGaps(project: ParsedProject, layerName: string): ShopsmartError[] {
  const gaps: ShopsmartError[] = [];
  for (const node of Object.values(project.manifest.nodes)) {
    if (node.packageName !== layerName || !(documented as readonly string[]).includes(node.resourceType))
      continue;
    const file = node.origin.patchPath ?? node.originalFilePath;
    const line = node.origin.patchLine;
    if (!node.origin.patchPath) {
      gaps.push(
        new ShopsmartError('SSA-DOCS-001', `${node.resourceType} '${node.name}' is not documented`, {
          file: node.originalFilePath,
          hint: `add it to a _<folder>__models.yml with a description and its columns`,
        }),
      );
      continue;
    }
    if (!node.description.trim())
      gaps.push(
        new ShopsmartError('SSA-DOCS-002', `${node.resourceType} '${node.name}' has no description`, {
          file,
          line,
        }),
      );
    const columns = Object.values(node.columns);
    if (columns.length === 0)
      gaps.push(
        new ShopsmartError('SSA-DOCS-003', `${node.resourceType} '${node.name}' lists no columns`, {
          file,
          line,
          hint: 'document every column under columns:',
        }),
      );
    for (const column of columns) {
      if (!column.description.trim())
        gaps.push(
          new ShopsmartError('SSA-DOCS-004', `column '${column.name}' of '${node.name}' has no description`, {
            file,
            line,
          }),
        );
    }
  }
  for (const source of Object.values(project.manifest.sources)) {
    if (source.packageName !== layerName) continue;
    if (!source.description.trim())
      gaps.push(
        new ShopsmartError(
          'SSA-DOCS-005',
          `source table '${source.sourceName}.${source.name}' has no description`,
          { file: source.originalFilePath, line: source.origin.patchLine },
        ),
      );
  }
  return gaps;
}
