import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Layer, projectFileName, readProject } from '@shopsmart/core-runner';
import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

/** A layer package name: lowercase, starts with a letter; `-` allowed in the folder and package name. */
const validName = /^[a-z][a-z0-9_-]*$/;

/** The layers the new one builds on: the package entries of shopsmart.yml (name and npm package). */
interface Upstream {
  layer: string;
  packageName: string;
}

/**
 * `shopsmart init NAME`: scaffolds `packages/NAME`, a layer package (package.json with the
 * layers' build and test scripts, dbt_project.yml, one example model with its YAML and tests,
 * src/index.ts, README.md) and lists it in shopsmart.yml's `layers:` as a path layer, so
 * `shopsmart build -s NAME` works before `pnpm install`. As `dbt init` does, a bad name or an
 * existing folder is refused before anything is written (exit 2).
 *
 * @example
 * // $ shopsmart init returns
 * // Created layer 'returns' in packages/returns (@shopsmart/returns)
 * // Next steps: pnpm install; pnpm cli build -s returns
 */
export async function initCommand(args: CliArgs, output: Output): Promise<number> {
  const name = args.operands[0] ?? '';
  if (!validName.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '_')
      .replace(/^[^a-z]+/, '');
    throw new UsageError(
      `'${name}' is not a valid layer name: use lowercase letters, digits, '_' or '-', starting with a letter`,
      undefined,
      undefined,
      suggestion ? `e.g. shopsmart init ${suggestion}` : 'e.g. shopsmart init returns',
    );
  }
  // The dbt project name and model prefix: dbt allows only letters, digits and underscores.
  const layerName = name.replace(/-/g, '_');
  const root = resolve(args.projectDir);
  const projectFile = join(root, projectFileName);
  if (!existsSync(projectFile))
    throw new UsageError(
      `no ${projectFileName} in ${root}: init adds a layer to a ShopSmart workspace`,
      undefined,
      undefined,
      'run it at the workspace root or pass --project-dir <workspace root>',
    );
  const folder = join(root, 'packages', name);
  const packageName = `@shopsmart/${name}`;
  if (existsSync(folder))
    throw new UsageError(
      `packages/${name} already exists`,
      undefined,
      undefined,
      'pick another name; init never overwrites a folder',
    );
  const owner = workspacePackageFolder(root, packageName);
  if (owner)
    throw new UsageError(
      `a workspace package is already named ${packageName} (${owner})`,
      undefined,
      undefined,
      'pick another name',
    );

  const text = readFileSync(projectFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  const existing = doc.get('layers', true);
  if (existing !== undefined && existing !== null && !isSeq(existing) && !isScalar(existing))
    throw new UsageError(
      `${projectFileName}: layers is not a list`,
      undefined,
      undefined,
      'layers: is a list of package names and { name, path } entries',
    );
  const definition = await readProject(root);
  const known = new Set<string>();
  const visit = (layer: Layer) => {
    known.add(layer.name);
    layer.dependencies.forEach(visit);
  };
  definition.layers.forEach(visit);
  if (known.has(layerName) || known.has(name))
    throw new UsageError(
      `the project already has a layer named '${layerName}'`,
      undefined,
      undefined,
      `layers: ${[...known].join(', ')}`,
    );
  const upstream = packageLayers(existing, definition.layers);

  const files = scaffold(name, layerName, packageName, upstream);
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), contents);
  }

  const layerPath = relative(root, folder).split('\\').join('/');
  const entry = doc.createNode(
    upstream.length > 0
      ? { name: layerName, path: layerPath, depends_on: upstream.map((u) => u.layer) }
      : { name: layerName, path: layerPath },
  );
  if (isMap(entry)) {
    const dependsOn = entry.get('depends_on', true);
    if (isSeq(dependsOn)) dependsOn.flow = true;
  }
  if (isSeq(existing)) {
    existing.flow = false;
    existing.items.push(entry);
  } else {
    const seq = new YAMLSeq();
    seq.items.push(entry);
    doc.set('layers', seq);
  }
  writeFileSync(projectFile, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));

  const shown = relative(process.cwd(), root) || '.';
  output.out(`Created layer '${layerName}' in ${layerPath} (${packageName}):`);
  for (const path of Object.keys(files)) output.out(`  ${layerPath}/${path}`);
  output.out(
    `Added it to ${projectFileName}'s layers (path: ${layerPath}${
      upstream.length > 0 ? `, depends_on: ${upstream.map((u) => u.layer).join(', ')}` : ''
    }).`,
  );
  output.out('');
  output.out('Next steps:');
  if (shown !== '.') output.out(`  cd ${shown}`);
  output.out('  pnpm install                 # links the new workspace package');
  output.out(`  pnpm cli build -s ${layerName}   # builds and tests ${layerName}_example`);
  output.out(`  then replace models/${layerName}_example.sql with your own models`);
  return ExitCode.ok;
}

/** The folder (relative to the root) of the workspace package already called `packageName`, if any. */
function workspacePackageFolder(root: string, packageName: string): string | undefined {
  for (const group of ['packages', 'apps', 'tests']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const child of readdirSync(dir, { withFileTypes: true })) {
      if (!child.isDirectory()) continue;
      const file = join(dir, child.name, 'package.json');
      if (!existsSync(file)) continue;
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === packageName)
          return `${group}/${child.name}`;
      } catch {
        // An unreadable package.json is not this package.
      }
    }
  }
  return undefined;
}

/** shopsmart.yml's package entries (`- '@shopsmart/marts'`) and the layers they load, in order. */
function packageLayers(entries: unknown, layers: readonly { name: string }[]): Upstream[] {
  if (!isSeq(entries)) return [];
  const upstream: Upstream[] = [];
  entries.items.forEach((item, index) => {
    const layer = layers[index];
    if (!layer) return;
    if (isScalar(item) && typeof item.value === 'string')
      upstream.push({ layer: layer.name, packageName: item.value });
    else if (isMap(item) && typeof item.get('package') === 'string')
      upstream.push({ layer: layer.name, packageName: item.get('package') as string });
  });
  return upstream;
}

/** The new package's files, by path inside packages/NAME. */
function scaffold(
  name: string,
  layer: string,
  packageName: string,
  upstream: Upstream[],
): Record<string, string> {
  const model = `${layer}_example`;
  const dependencies = Object.fromEntries(upstream.map((u) => [u.packageName, 'workspace:^']));
  const packageJson = {
    name: packageName,
    version: '0.1.0',
    description: `The ${layer} layer of the ShopSmart warehouse.`,
    keywords: ['dbt', 'duckdb', 'analytics', layer, 'shopsmart-layer', 'shopsmart'],
    license: 'MIT',
    repository: {
      type: 'git',
      url: 'git+https://github.com/shopsmart-analytics/shopsmart-analytics.git',
      directory: `packages/${name}`,
    },
    type: 'module',
    engines: { node: '>=20.19' },
    files: ['dist', 'README.md', 'dbt_project.yml', 'models', 'macros', 'seeds', 'snapshots', 'tests'],
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './package.json': './package.json',
    },
    scripts: {
      build: 'tsup && shopsmart-layer build .',
      test: 'vitest run',
      'check-package': 'node ../../scripts/check-package.mjs',
      typecheck: 'tsc --noEmit',
    },
    peerDependencies: { '@shopsmart/core-runner': '0.x' },
    ...(upstream.length > 0 ? { dependencies } : {}),
    devDependencies: { '@shopsmart/core-runner': 'workspace:^' },
    publishConfig: { access: 'public' },
  };
  const alias = (u: Upstream) => `${u.layer.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Layer`;
  const imports = upstream.map((u) => `import { layer as ${alias(u)} } from '${u.packageName}';\n`);
  const sourceIndex = `import { defineLayer } from '@shopsmart/core-runner';
${imports.join('')}
/** The \`${layer}\` layer: its models, macros, seeds, snapshots, tests and analyses, with the layers it builds on. */
export const layer = defineLayer({
  name: '${layer}',
  root: new URL('..', import.meta.url),
  dependencies: [${upstream.map(alias).join(', ')}],
});
`;
  const refHint =
    upstream.length > 0
      ? `Models here may read the models of ${upstream.map((u) => `\`${u.layer}\``).join(', ')} with \`ref('<model>')\`.`
      : "Models here read other layers' models with `ref('<model>')` once they are listed in `depends_on`.";
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'dbt_project.yml': `name: ${layer}
version: '0.1.0'
config-version: 2
profile: shopsmart

model-paths: ['models']
macro-paths: ['macros']
seed-paths: ['seeds']
snapshot-paths: ['snapshots']
test-paths: ['tests']
analysis-paths: ['analyses']

models:
  ${layer}:
    +materialized: view
    +tags: ['${layer}']
`,
    [`models/${model}.sql`]: `with

example_rows as (
    select 1 as example_id, 'first' as example_label
    union all
    select 2 as example_id, 'second' as example_label
),

final as (
    select
        example_id,
        example_label,
    from example_rows
)

select * from final
`,
    [`models/_${layer}__models.yml`]: `version: 2

models:
  - name: ${model}
    description: >-
      The ${layer} layer's starting point, two constant rows (grain: example_id). Replace it with
      the layer's own models, each documented here with every column and tested.
    columns:
      - name: example_id
        description: Row id, the primary key.
        data_tests: [unique, not_null]
      - name: example_label
        description: A label for the row.
        data_tests: [not_null]
`,
    'src/index.ts': sourceIndex,
    [`test/${name}-layer.test.ts`]: `import { describe, expect, it } from 'vitest';
import { layer } from '../src/index.js';

describe('${layer} layer', () => {
  it('is named after its dbt project', () => {
    expect(layer.name).toBe('${layer}');
  });
});
`,
    'tsconfig.json': '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src", "test"]\n}\n',
    'tsup.config.ts': `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
  },
});
`,
    'README.md': `# ${packageName}

The \`${layer}\` layer of the ShopSmart warehouse (made by \`shopsmart init ${name}\`).

${refHint}

| path | what it holds |
|---|---|
| \`dbt_project.yml\` | the layer's dbt project: name, paths, \`+materialized: view\` and the \`${layer}\` tag for its models |
| \`models/${model}.sql\` | an example model: replace it with your own |
| \`models/_${layer}__models.yml\` | every model and column documented, every model tested (the layer build fails otherwise) |
| \`src/index.ts\` | the layer as a package: \`defineLayer\` with the layers it builds on |

## Commands

| command | what it does |
|---|---|
| \`pnpm cli build -s ${layer}\` | builds the layer's models and runs their tests in the warehouse |
| \`pnpm turbo build --filter ${packageName}\` | compiles the package and writes its layer manifest (\`shopsmart-layer build\`: fails on an undocumented model or column) |
| \`pnpm turbo test --filter ${packageName}\` | the package's tests |
`,
    'analyses/.gitkeep': '',
    'macros/.gitkeep': '',
    'seeds/.gitkeep': '',
    'snapshots/.gitkeep': '',
    'tests/.gitkeep': '',
  };
}
