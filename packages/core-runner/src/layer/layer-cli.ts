import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { manifestArtifact } from '../artifacts/artifact-writer.js';
import { ShopsmartError, ShopsmartErrorList } from '../errors.js';
import type { Layer } from '../project/define-layer.js';
import { defineProject } from '../project/define-project.js';
import { buildManifest } from '../project/manifest-builder.js';
import type { TargetConfig } from '../project/project-definition.js';
import { layerFragmentPath } from './layer-compatibility.js';
import { layerFragmentHeader } from './layer-schema.js';
import { documentationGaps } from './layer-validator.js';

/**
 * Loads, parses and checks a built layer package; returns its manifest fragment, headed by the
 * layer schema version and the core-runner range it was built for (see layer-schema.ts).
 */
export async function validateLayerPackage(packageDir: string): Promise<Record<string, unknown>> {
  const dir = resolve(packageDir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version?: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  // A fragment left by an earlier build says nothing about this one (and may be of another schema).
  rmSync(join(dir, layerFragmentPath), { force: true });
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry))
    throw new ShopsmartError('SSA-LAYER-001', `${pkg.name} has no dist/index.js`, {
      hint: 'run tsup first (pnpm turbo build does)',
    });
  const { layer } = (await import(pathToFileURL(entry).href)) as { layer?: Layer };
  if (!layer)
    throw new ShopsmartError('SSA-PROJECT-007', `${pkg.name} does not export a layer`, {
      file: 'src/index.ts',
      hint: 'export const layer = defineLayer({...})',
    });
  const errors: ShopsmartError[] = [];
  const declared = Object.keys(pkg.dependencies ?? {});
  for (const dependency of layer.dependencies) {
    const owner = declared.find((name) => name.endsWith(`/${dependency.name}`) || name === dependency.name);
    if (!owner)
      errors.push(
        new ShopsmartError(
          'SSA-LAYER-003',
          `layer '${layer.name}' uses layer '${dependency.name}' but package.json does not depend on it`,
          {
            file: 'package.json',
            hint: `add "@shopsmart/${dependency.name}": "workspace:^" to dependencies`,
          },
        ),
      );
  }
  const definition = defineProject({
    name: layer.name,
    rootDir: dir,
    layers: [layer],
    warehousePath: ':memory:',
  });
  const project = buildManifest({ definition, target: definition.targets.dev as TargetConfig });
  errors.push(...documentationGaps(project, layer.name));
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new ShopsmartErrorList(errors);
  const fragment = manifestArtifact(project.manifest);
  const own = (section: unknown) =>
    Object.fromEntries(
      Object.entries(section as Record<string, { package_name: string }>).filter(
        ([, n]) => n.package_name === layer.name,
      ),
    );
  return {
    layer: layerFragmentHeader(layer.name, pkg),
    ...fragment,
    nodes: own(fragment.nodes),
    sources: own(fragment.sources),
    exposures: own(fragment.exposures),
    macros: own(fragment.macros),
  };
}

/**
 * `shopsmart-layer build <dir>`: the build step of a layer package. Validates the layer (YAML shape,
 * refs resolvable, every model and column documented) and writes dist/manifest.json.
 */
export async function runLayerCli(argv: string[]): Promise<number> {
  const [command, dir = '.'] = argv;
  if (command !== 'build') {
    process.stderr.write('usage: shopsmart-layer build <package-dir>\n');
    return 2;
  }
  try {
    const fragment = await validateLayerPackage(dir);
    const out = join(resolve(dir), 'dist', 'manifest.json');
    mkdirSync(join(resolve(dir), 'dist'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(fragment, null, 2)}\n`);
    const count = Object.keys(fragment.nodes as object).length;
    process.stdout.write(`layer ok: ${count} nodes → dist/manifest.json\n`);
    return 0;
  } catch (error) {
    if (error instanceof ShopsmartErrorList) process.stderr.write(`${error.message}\n`);
    else if (error instanceof ShopsmartError) process.stderr.write(`${error.format()}\n`);
    else throw error;
    return 1;
  }
}
