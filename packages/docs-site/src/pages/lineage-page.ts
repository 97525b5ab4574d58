import { type DocsModel, nodeHref } from '../docs-model.js';
import { h } from '../dom.js';
import { LineageCanvas } from '../lineage/lineage-canvas.js';
import { layerColour, typeColours } from '../lineage/lineage-colours.js';
import { type LineageLayout, layoutAny } from '../lineage/lineage-layout.js';
import { type LineageSelection, projectGraph, selectLineage } from '../lineage/lineage-selection.js';

declare global {
  interface Window {
    /** What the lineage on screen shows, for tests and the bench (positions of drawn nodes). */
    shopsmartLineage?: {
      ids: () => string[];
      clientPoint: (id: string) => { x: number; y: number } | undefined;
      /** True once the canvas is sized and drawn. */
      ready: boolean;
    };
  }
}

type Graph = ReturnType<typeof projectGraph>;
const layouts = new Map<string, LineageLayout>();
let graphCache: { model: DocsModel; graph: Graph } | undefined;

function graphOf(model: DocsModel): Graph {
  if (graphCache?.model !== model) graphCache = { model, graph: projectGraph(model) };
  return graphCache.graph;
}

function legend(model: DocsModel, selection: LineageSelection): HTMLElement {
  const layers = [...new Set(selection.ids.map((id) => model.nodes.get(id)?.packageName ?? ''))].sort();
  const types = [...new Set(selection.ids.map((id) => model.nodes.get(id)?.resourceType ?? ''))].sort();
  return h(
    'div',
    { class: 'legend' },
    layers.map((layer) =>
      h(
        'span',
        { class: 'legend-item' },
        h('i', { class: 'swatch', style: `background:${layerColour(layer)}` }),
        layer,
      ),
    ),
    types.map((type) =>
      h(
        'span',
        { class: 'legend-item' },
        h('i', { class: 'swatch band', style: `background:${typeColours[type] ?? '#555'}` }),
        type,
      ),
    ),
  );
}

/**
 * The lineage: the whole project, or what `select` / `exclude` pick with the CLI's selector
 * grammar (`+fct_orders`, `tag:finance`, `package:marts`, `2+dim_customers+1`).
 */
export function lineagePage(
  model: DocsModel,
  params: URLSearchParams,
  go: (href: string) => void,
): HTMLElement {
  const select = params.get('select') ?? '';
  const exclude = params.get('exclude') ?? '';
  const selection = selectLineage(graphOf(model), select, exclude);
  const selectInput = h('input', {
    name: 'select',
    id: 'lineage-select',
    value: select,
    placeholder: '--select, e.g. +fct_orders tag:finance',
  });
  const excludeInput = h('input', {
    name: 'exclude',
    id: 'lineage-exclude',
    value: exclude,
    placeholder: '--exclude',
  });
  const form = h(
    'form',
    { class: 'lineage-form' },
    h('label', {}, 'select ', selectInput),
    h('label', {}, 'exclude ', excludeInput),
    h('button', { type: 'submit' }, 'Apply'),
    h('a', { href: '#!/lineage' }, 'whole project'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (selectInput.value.trim()) next.set('select', selectInput.value.trim());
    if (excludeInput.value.trim()) next.set('exclude', excludeInput.value.trim());
    const query = next.toString();
    go(`#!/lineage${query ? `?${query}` : ''}`);
  });
  const page = h('article', { class: 'page lineage-page' }, h('h1', {}, 'Lineage'), form);
  if (selection.error) {
    page.append(h('p', { class: 'error', role: 'alert' }, selection.error));
    return page;
  }
  const key = `${select}\u0000${exclude}`;
  let layout = layouts.get(key);
  if (!layout) {
    layout = layoutAny(selection.ids, selection.edges, (id) => model.nodes.get(id)?.label ?? id);
    layouts.set(key, layout);
  }
  // The nodes the selector names (without graph operators) are outlined.
  const focus = new Set(
    select
      .split(/[\s,]+/)
      .map((part) => part.replace(/^\d*\+|\+\d*$/g, '').replace(/^@/, ''))
      .flatMap((name) =>
        selection.ids.filter(
          (id) =>
            model.nodes.get(id)?.name === name || model.nodes.get(id)?.label === name.replace(/^source:/, ''),
        ),
      ),
  );
  const canvas = new LineageCanvas(
    layout,
    (id) => {
      const node = model.nodes.get(id);
      return {
        label: node?.label ?? id,
        packageName: node?.packageName ?? '',
        resourceType: node?.resourceType ?? '',
      };
    },
    (id) => {
      const node = model.nodes.get(id);
      if (node) go(nodeHref(node));
    },
    focus,
  );
  page.append(
    h(
      'p',
      { class: 'muted', id: 'lineage-count' },
      `${selection.ids.length} nodes, ${selection.edges.length} edges`,
      selection.warnings.length ? ` · ${selection.warnings.join('; ')}` : '',
    ),
    legend(model, selection),
    h('div', { class: 'canvas-wrap' }, canvas.element),
    h('p', { class: 'muted hint' }, 'Scroll to zoom, drag to pan, click a node to open it.'),
    h(
      'details',
      { class: 'lineage-list' },
      h('summary', {}, `Nodes in this view (${selection.ids.length})`),
      h(
        'ul',
        {},
        selection.ids.map((id) => {
          const node = model.nodes.get(id);
          return node
            ? h('li', {}, h('a', { href: nodeHref(node) }, node.resourceType, ' ', node.label))
            : null;
        }),
      ),
    ),
  );
  const api = {
    ids: () => [...selection.ids],
    clientPoint: (id: string) => canvas.clientPoint(id),
    ready: false,
  };
  window.shopsmartLineage = api;
  requestAnimationFrame(() => {
    canvas.fit();
    // Nodes must stay readable: a fit that shrinks labels below legibility zooms to the focus.
    const first = [...focus][0];
    if (canvas.scale < 0.5 && first) canvas.centreOn(first, 0.9);
    api.ready = true;
  });
  return page;
}
