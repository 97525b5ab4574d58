import { builtinLayerName, builtinMacroFiles } from '../template/builtin-macros.js';
import { contextMacroFiles } from '../template/context-globals.js';
import { pythonDatetimeText, pythonStrftime, runStartedAtGlobals } from '../template/python-values.js';
import { TemplateEngine } from '../template/template-engine.js';
import { visibleLayerNames } from './define-layer.js';
import type { LoadedLayer } from './layer-loader.js';

/** Per layer: the layer names its templates may reference (itself, its dependencies, the built-ins). */
export function visibleLayers(layers: readonly LoadedLayer[]): Map<string, string[]> {
  return new Map(layers.map((l) => [l.layer.name, [...visibleLayerNames(l.layer), builtinLayerName]]));
}

/** Docs block name → text, for `{{ doc('name') }}`. */
export function docsIndexOf(layers: readonly LoadedLayer[]): Map<string, string> {
  return new Map(layers.flatMap((l) => l.docs.map((d) => [d.name, d.text] as const)));
}

/** The project's template engine: every layer's macros, dbt's globals for this invocation. */
export function createProjectEngine(
  layers: readonly LoadedLayer[],
  globals: { target: Record<string, unknown>; runStartedAt: Date; invocationId: string; projectName: string },
): TemplateEngine {
  const { runStartedAt } = globals;
  const visible = visibleLayers(layers);
  const docsIndex = docsIndexOf(layers);
  // The root project (a plain dbt project is one layer of the project's name) may override dbt's
  // and packages' dispatched macros, and its `dispatch:` config orders the search.
  const root = layers.find((l) => l.layer.name === globals.projectName);
  const dispatch = root ? { rootProject: root.layer.name, searchOrders: root.project.dispatch ?? [] } : {};
  return new TemplateEngine(
    [
      {
        layer: builtinLayerName,
        visible: [builtinLayerName],
        files: [...builtinMacroFiles, ...contextMacroFiles],
        trusted: true,
      },
      ...layers.map((l) => ({
        layer: l.layer.name,
        visible: visible.get(l.layer.name) ?? [],
        files: l.macroFiles,
        packageAliases: l.layer.packageAliases ?? [],
      })),
    ],
    {
      target: globals.target,
      // dbt's run_started_at is an aware UTC datetime: printed as Python prints one.
      run_started_at: pythonDatetimeText(runStartedAt),
      [runStartedAtGlobals.strftime]: (format: unknown) => pythonStrftime(runStartedAt, String(format)),
      [runStartedAtGlobals.isoformat]: () => pythonDatetimeText(runStartedAt, 'T'),
      invocation_id: globals.invocationId,
      project_name: globals.projectName,
      doc: (name: unknown) => docsIndex.get(String(name)) ?? '',
    },
    { dispatch },
  );
}
