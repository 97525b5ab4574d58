import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // dbt's own macros (the `dbt` namespace) are Jinja sources read at run time: ship them beside the bundle.
  onSuccess: async () => {
    cpSync('src/macros', 'dist/macros', { recursive: true });
  },
});
