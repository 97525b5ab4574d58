#!/usr/bin/env node
// Test coverage of the built project (000 spec SC-003), from target/manifest.json: models without
// any test, and per marts model the share of its documented columns that carry a column test.
// Usage: pnpm cli build && node scripts/test-coverage.mjs [target/manifest.json]
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(process.argv[2] ?? 'target/manifest.json', 'utf8'));
const nodes = Object.values(manifest.nodes);
const tested = new Set();
const testedColumns = new Map();
for (const test of nodes.filter((n) => n.resource_type === 'test' || n.resource_type === 'unit_test')) {
  for (const parent of test.depends_on.nodes) tested.add(parent);
  if (test.column_name && test.attached_node) {
    const columns = testedColumns.get(test.attached_node) ?? new Set();
    columns.add(test.column_name.toLowerCase());
    testedColumns.set(test.attached_node, columns);
  }
}
const models = nodes.filter((n) => n.resource_type === 'model');
const untested = models.filter((m) => !tested.has(m.unique_id)).map((m) => m.name);
console.log(`${models.length} models, ${models.length - untested.length} with at least one test`);
if (untested.length > 0) console.log(`without a test: ${untested.join(', ')}`);
console.log('marts models: columns with a column test / documented columns');
for (const model of models
  .filter((m) => m.package_name === 'marts')
  .sort((a, b) => a.name.localeCompare(b.name))) {
  const columns = Object.keys(model.columns);
  const covered = columns.filter((c) => testedColumns.get(model.unique_id)?.has(c.toLowerCase())).length;
  const pct = columns.length === 0 ? 0 : (100 * covered) / columns.length;
  console.log(
    `  ${model.name.padEnd(32)} ${String(covered).padStart(3)} / ${String(columns.length).padEnd(3)} ${pct.toFixed(0).padStart(3)}%${pct <= 80 ? '  (not above 80%)' : ''}`,
  );
}
