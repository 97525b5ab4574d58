import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

// The docs site's built assets ship inside this package (dist/docs-site) so a packed CLI
// generates the site offline.
const siteDist = join(
  dirname(createRequire(import.meta.url).resolve('@shopsmart/docs-site/package.json')),
  'dist',
);

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  onSuccess: async () => {
    if (!existsSync(join(siteDist, 'index.html')))
      throw new Error(`${siteDist} has no index.html: build @shopsmart/docs-site first`);
    cpSync(siteDist, 'dist/docs-site', { recursive: true });
  },
});
