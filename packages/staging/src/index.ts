import { defineLayer } from '@shopsmart/core-runner';
import { layer as quality } from '@shopsmart/quality';

/** The `staging` layer: its models, macros, seeds, snapshots, tests and analyses, with the layers it builds on. */
export const layer = defineLayer({
  name: 'staging',
  root: new URL('..', import.meta.url),
  dependencies: [quality],
});
