import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// One classic (non-module) script and one stylesheet: module scripts do not load from file://,
// and the site must open straight from target/docs/index.html.
export default defineConfig({
  // core-runner's errors scrub DBT_ENV_SECRET_* values read from process.env; a browser has none.
  // ECharts keeps its development checks behind process.env.NODE_ENV: a production build drops them.
  define: { 'process.env.NODE_ENV': '"production"', 'process.env': '{}' },
  resolve: {
    alias: {
      // The CLI's selector grammar, reused as is: graph/ is pure TypeScript.
      '@shopsmart/core-runner/graph': fileURLToPath(
        new URL('../core-runner/src/graph/index.ts', import.meta.url),
      ),
    },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    copyPublicDir: true,
    lib: {
      entry: 'src/main.ts',
      formats: ['iife'],
      name: 'ShopsmartDocs',
      fileName: () => 'docs-app.js',
      cssFileName: 'docs-app',
    },
  },
});
