import { defineLayer } from '@shopsmart/core-runner';
import { layer as quality } from '@shopsmart/quality';
import { layer as staging } from '@shopsmart/staging';

/** The `intermediate` layer: its models, macros, seeds, snapshots, tests and analyses, with the layers it builds on. */
export const layer = defineLayer({
  name: 'intermediate',
  root: new URL('..', import.meta.url),
  dependencies: [staging, quality],
});
