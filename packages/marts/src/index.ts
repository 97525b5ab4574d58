import { defineLayer } from '@shopsmart/core-runner';
import { layer as intermediate } from '@shopsmart/intermediate';
import { layer as quality } from '@shopsmart/quality';
import { layer as staging } from '@shopsmart/staging';

/** The `marts` layer: its models, macros, seeds, snapshots, tests and analyses, with the layers it builds on. */
export const layer = defineLayer({
  name: 'marts',
  root: new URL('..', import.meta.url),
  dependencies: [intermediate, staging, quality],
});
