// Issue 17: whole-process `compile` of synthetic dbt projects (n views in a tree of refs, each
// calling one macro; bench/synthetic-dbt-project.mjs), cold (no target/: after `rm -rf target`,
// and with target/ moved aside; and no parse cache with the compiled files and manifest present)
// and warm (target/ present: parse cache, unchanged files), beside
// Dataform 3's CLI on the same shape — installed from npm into a temp dir here, not a project
// dependency — and the published dbt-core and Fusion figures. Prints figures; asserts nothing.
//   BENCH_DATAFORM=0 skips Dataform (its 10k compile takes minutes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canMeasureCpu, loadLine, seconds, timeProcess, timeRuns } from './process-timer.mjs';
import { writeSyntheticDbtProject } from './synthetic-dbt-project.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'apps/cli/dist/bin.js');
const { BENCH_DATAFORM, BENCH_RUNS } = process.env;
const runs = Number(BENCH_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'shopsmart-compile-bench-'));
const sizes = [1, 1000, 10000];
const goals = { 1000: 'goal < 0.3 s', 10000: 'goal < 1 s' };

console.log(
  `Synthetic dbt projects, whole-process compile — medians of ${runs} runs, node ${process.version}`,
);
if (!canMeasureCpu) console.log('  (no /usr/bin/time here: CPU time and memory are not measured)');
const ours = {};
// Cold = no target/ (no parse cache, no compiled files). Two ways to get there, because the kernel
// makes them differ: `rm -rf target` right before the run (on ext4 without a journal, creating
// files where thousands were deleted in the last ~30 s scans the deleted inodes on every create:
// seconds of system time for 10,000 files), and target/ moved aside (nothing deleted just before).
let aside = 0;
const moveAside = (dir) => {
  const target = join(dir, 'target');
  if (existsSync(target)) renameSync(target, join(work, `moved-aside-${aside++}`));
};
// Cold parse with the rest of target/ present (compiled files, manifest.json, the stamps of the
// written files): only the parse cache's files are deleted.
const dropParseCache = (dir) => {
  const target = join(dir, 'target');
  if (!existsSync(target)) return;
  for (const name of readdirSync(target))
    if (name.startsWith('partial_parse')) rmSync(join(target, name), { force: true });
};
const cpuLine = (r) =>
  `wall ${seconds(r.wall)}, cpu ${seconds(r.cpu)} (user ${seconds(r.user)}, sys ${seconds(r.sys)})`;
try {
  const bare = timeRuns(runs, process.execPath, ['-e', '0']);
  const times = (r) => (bare.cpu ? ` = ${(r.cpu / bare.cpu).toFixed(1)}× bare node` : '');
  console.log(`  bare \`node -e 0\`: ${cpuLine(bare)}   (file system of ${tmpdir()}; TMPDIR picks another)`);
  for (const n of sizes) {
    const dir = writeSyntheticDbtProject(n, join(work, `dbt-${n}`));
    const args = [bin, 'compile', '--project-dir', dir, '--profiles-dir', dir];
    const cold = timeRuns(runs, process.execPath, args, {}, () =>
      rmSync(join(dir, 'target'), { recursive: true, force: true }),
    );
    const fresh = timeRuns(runs, process.execPath, args, {}, () => moveAside(dir));
    const noCache = timeRuns(runs, process.execPath, args, {}, () => dropParseCache(dir));
    const warm = timeRuns(runs, process.execPath, args);
    ours[n] = cold;
    const label = `${n.toLocaleString('en-US')} model${n === 1 ? '' : 's'}`;
    console.log(`  ${label}  ${goals[n] ?? ''}`);
    for (const [what, r] of [
      ['cold, after rm -rf target:', cold],
      ['cold, target/ moved aside:', fresh],
      ['cold, target/compiled present:', noCache],
      ['warm, target/ present:', warm],
    ])
      console.log(`    ${what.padEnd(32)} ${cpuLine(r)}${times(r)}, peak ${r.rssMb.toFixed(0)} MB`);
  }
  if (ours[10000] && ours[1])
    console.log(`  10k cost over a 1-model project (cold wall): ${seconds(ours[10000].wall - ours[1].wall)}`);
  fileFloor();

  console.log(
    '\n  Dataform 3 CLI, same shape (views, a tree of refs, one includes/ function call per model):',
  );
  if (BENCH_DATAFORM === '0') console.log('    skipped (BENCH_DATAFORM=0)');
  else dataform();
  console.log(
    '  (Dataform compiles in a child process it does not wait for as GNU time counts: its CPU figure undercounts; compare wall)',
  );
  console.log('\n  Published figures, 10,000 models: dbt-core ~24 s; dbt Fusion 0.6–2.8 s.');
  console.log(`  ${loadLine()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function dataform() {
  const tools = join(work, 'dataform-cli');
  mkdirSync(tools, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = (cwd, pkgs) =>
    spawnSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', ...pkgs], {
      cwd,
      encoding: 'utf8',
      timeout: 600_000,
    });
  writeFileSync(join(tools, 'package.json'), '{"name":"dataform-bench","private":true}\n');
  const cli = install(tools, ['@dataform/cli@3', '@dataform/core@3']);
  const dataformBin = join(tools, 'node_modules/.bin/dataform');
  if (cli.status !== 0 || !existsSync(dataformBin)) {
    console.log(
      `    not measured: npm could not install @dataform/cli@3 (${(cli.stderr || cli.error || '').toString().trim().split('\n')[0]})`,
    );
    return;
  }
  for (const n of [1000, 10000]) {
    const dir = join(work, `dataform-${n}`);
    writeDataformProject(n, dir, join(tools, 'node_modules'));
    // Its default 60 s compile timeout is shorter than a 10k compile on this machine.
    const result = timeProcess(dataformBin, ['compile', dir, '--timeout=30m']);
    const status =
      result.status === 0 ? '' : ` (exit ${result.status}: ${result.stderr.trim().split('\n')[0]})`;
    console.log(
      `    ${`${n.toLocaleString('en-US')} models`.padEnd(14)} wall ${seconds(result.wall)}, cpu ${seconds(result.cpu)}, peak ${(result.rssMb ?? 0).toFixed(0)} MB${status}`,
    );
  }
}

/**
 * What creating 10,000 small files costs on this file system by itself (a cold 10k compile writes
 * that many into target/compiled): the floor under its wall time, which differs widely between
 * disks — in a fresh folder, and right after deleting as many (what a cold run after `rm -rf target` meets).
 */
function fileFloor() {
  const dir = join(work, 'file-floor');
  const create = () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let g = 0; g < 20; g++) mkdirSync(join(dir, `group_${g}`), { recursive: true });
    for (let i = 0; i < 10000; i++)
      writeFileSync(join(dir, `group_${i % 20}`, `m_${i}.sql`), 'x'.repeat(250));
    const cpu = process.cpuUsage(cpu0);
    return `wall ${seconds((performance.now() - t0) / 1000)}, cpu ${seconds((cpu.user + cpu.system) / 1e6)}`;
  };
  const fresh = create();
  rmSync(dir, { recursive: true, force: true });
  const afterDelete = create();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `  creating 10,000 new 250-byte files in ${tmpdir()} by itself (the floor under a cold 10k compile):`,
  );
  console.log(`    in a fresh folder: ${fresh}; right after deleting 10,000 files there: ${afterDelete}`);
}

/** The synthetic project as Dataform writes it: sqlx views and the macro as an includes/ function. */
function writeDataformProject(n, dir, nodeModules) {
  mkdirSync(join(dir, 'definitions'), { recursive: true });
  mkdirSync(join(dir, 'includes'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@dataform'), { recursive: true });
  spawnSync('cp', ['-r', join(nodeModules, '@dataform/core'), join(dir, 'node_modules/@dataform/')]);
  writeFileSync(
    join(dir, 'package.json'),
    '{"name":"synthetic","private":true,"dependencies":{"@dataform/core":"3"}}\n',
  );
  writeFileSync(
    join(dir, 'workflow_settings.yaml'),
    'defaultProject: bench\ndefaultLocation: US\ndefaultDataset: synthetic\ndefaultAssertionDataset: synthetic_assertions\n',
  );
  writeFileSync(
    join(dir, 'includes/money.js'),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the JavaScript written into the project
    'function cents_to_dollars(column, scale = 2) {\n  return `round(${column} / 100.0, ${scale})`;\n}\nmodule.exports = { cents_to_dollars };\n',
  );
  writeFileSync(
    join(dir, 'definitions/seed_numbers.sqlx'),
    'config { type: "view" }\nselect 1 as n union all select 2 union all select 3\n',
  );
  for (let i = 0; i < n; i++) {
    const folder = join(dir, 'definitions', `group_${Math.floor(i / 500)}`);
    mkdirSync(folder, { recursive: true });
    let body;
    if (i < 10) {
      body = `config { type: "view" }\nselect n as id, \${money.cents_to_dollars('n * ${i + 1}')} as amount\nfrom \${ref("seed_numbers")}\n`;
    } else {
      body = `config { type: "view" }\nwith\n\nsource as (\n    select id, amount from \${ref("m_${Math.floor(i / 2)}")}\n`;
      if (i % 25 === 0)
        body += `    union all select id, amount from \${ref("m_${i - 1}")}\n    union all select id, amount from \${ref("m_${i - 7}")}\n`;
      body += `),\n\nfinal as (\n    select id, \${money.cents_to_dollars('amount * 100', 4)} as amount from source\n)\n\nselect * from final\n`;
    }
    writeFileSync(join(folder, `m_${i}.sqlx`), body);
  }
}
