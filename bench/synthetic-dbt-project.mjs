#!/usr/bin/env node
// Writes a plain dbt project of n views in a tree of refs, each calling one macro — the shape
// `pnpm bench` compiles (issue 17's comparison with Dataform, dbt-core and Fusion).
//   node bench/synthetic-dbt-project.mjs <n> <dir>
// Model i refs model ⌊i/2⌋ (a fan-out tree), every 25th also refs i-1 and i-7 (fan-in); the first
// ten read a seed. Every model calls the macro `cents_to_dollars`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's files as `{ path: contents }`. */
export function syntheticDbtProject(n, dir) {
  const files = {
    'dbt_project.yml': 'name: synthetic\nprofile: synthetic\n',
    'profiles.yml': `synthetic:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 2\n`,
    'seeds/seed_numbers.csv': 'n\n1\n2\n3\n',
    'macros/money.sql':
      '{% macro cents_to_dollars(column, scale=2) -%}\nround({{ column }} / 100.0, {{ scale }})\n{%- endmacro %}\n',
  };
  for (let i = 0; i < n; i++) {
    const folder = `group_${Math.floor(i / 500)}`;
    let body;
    if (i < 10) {
      body = `select n as id, {{ cents_to_dollars('n * ${i + 1}') }} as amount\nfrom {{ ref('seed_numbers') }}\n`;
    } else {
      const parent = Math.floor(i / 2);
      body = `{{ config(materialized='view') }}\nwith\n\nsource as (\n    select id, amount from {{ ref('m_${parent}') }}\n`;
      if (i % 25 === 0)
        body += `    union all select id, amount from {{ ref('m_${i - 1}') }}\n    union all select id, amount from {{ ref('m_${i - 7}') }}\n`;
      body += `),\n\nfinal as (\n    select id, {{ cents_to_dollars('amount * 100', 4) }} as amount from source\n)\n\nselect * from final\n`;
    }
    files[`models/${folder}/m_${i}.sql`] = body;
  }
  return files;
}

/** Writes the project into `dir` (emptied first). */
export function writeSyntheticDbtProject(n, dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of Object.entries(syntheticDbtProject(n, dir))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [n, dir] = [Number(process.argv[2]), process.argv[3]];
  if (!Number.isInteger(n) || n < 1 || !dir) {
    console.error('usage: node bench/synthetic-dbt-project.mjs <models> <dir>');
    process.exit(2);
  }
  writeSyntheticDbtProject(n, resolve(dir));
  console.log(`wrote ${n} models to ${resolve(dir)}`);
}
