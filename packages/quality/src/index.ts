import { defineLayer } from '@shopsmart/core-runner';

/** The `quality` layer: its models, macros, seeds, snapshots, tests and analyses, with the layers it builds on. */
export const layer = defineLayer({ name: 'quality', root: new URL('..', import.meta.url), dependencies: [] });
