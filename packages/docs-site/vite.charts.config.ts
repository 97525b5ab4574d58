import { defineConfig } from 'vite';

// The charting script, a second classic script beside docs-app.js: the site loads it the first
// time a dashboard is opened (dashboards/chart-loader.ts), so other pages never parse ECharts.
export default defineConfig({
  define: { 'process.env.NODE_ENV': '"production"', 'process.env': '{}' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/charts-entry.ts',
      formats: ['iife'],
      name: 'ShopsmartCharts',
      fileName: () => 'docs-charts.js',
    },
  },
});
