import { ShopsmartError } from '../errors.js';

export interface LayerVersionErrorDetails {
  /** The npm package of the layer (`@shopsmart/marts`) and its version. */
  packageName: string;
  packageVersion: string;
  /** The layer schema version its fragment was written with; undefined for a fragment without one. */
  schemaVersion: number | undefined;
  /** The core-runner range the layer needs (its peerDependencies range). */
  needs: string;
  /** The running core-runner and the layer schema versions it reads. */
  coreRunnerVersion: string;
  supported: readonly number[];
  /** The fragment that was read. */
  file: string;
}

/**
 * A layer package built for a core-runner whose layer format this one cannot read.
 *
 * @example
 * // [SSA-LAYER-010] …/@shopsmart/marts/dist/manifest.json: layer package @shopsmart/marts@2.0.0 needs
 * // @shopsmart/core-runner >=2.0.0 (layer schema 2); this is @shopsmart/core-runner 0.1.0, which reads layer schema 1
 */
export class LayerVersionError extends ShopsmartError {
  readonly details: LayerVersionErrorDetails;

  constructor(details: LayerVersionErrorDetails) {
    const built =
      details.schemaVersion === undefined
        ? 'a fragment without a layer schema version'
        : `layer schema ${details.schemaVersion}`;
    super(
      'SSA-LAYER-010',
      `layer package ${details.packageName}@${details.packageVersion} needs @shopsmart/core-runner ${details.needs} (${built}); this is @shopsmart/core-runner ${details.coreRunnerVersion}, which reads layer schema ${details.supported.join(', ')}`,
      {
        file: details.file,
        hint: `install @shopsmart/core-runner@'${details.needs}', or a version of ${details.packageName} built for layer schema ${details.supported.join(' or ')}`,
      },
    );
    this.name = 'LayerVersionError';
    this.details = details;
  }
}
