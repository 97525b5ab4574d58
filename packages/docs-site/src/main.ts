import './style.css';
import { disposeCharts, drawPendingCharts, resizeCharts } from './dashboards/dashboard-section.js';
import { buildModel, type DocsModel, nodeHref, type RawDocsData } from './docs-model.js';
import { clear, h } from './dom.js';
import { lineagePage } from './pages/lineage-page.js';
import { nodePage } from './pages/node-page.js';
import { overviewPage } from './pages/overview-page.js';
import { searchBox } from './search-box.js';
import { SearchIndex } from './search-index.js';

declare global {
  interface Window {
    __SHOPSMART_DOCS__?: RawDocsData;
  }
}

const sidebarTypes = [
  'model',
  'source',
  'seed',
  'snapshot',
  'analysis',
  'exposure',
  'macro',
  'test',
  'unit_test',
];

function sidebar(model: DocsModel): HTMLElement {
  const groups = new Map<string, HTMLElement[]>();
  for (const node of model.ordered) {
    const items = groups.get(node.resourceType) ?? [];
    items.push(h('li', {}, h('a', { href: nodeHref(node), 'data-id': node.id }, node.label)));
    groups.set(node.resourceType, items);
  }
  return h(
    'nav',
    { class: 'sidebar' },
    h('a', { href: '#!/overview', class: 'nav-top' }, 'Overview'),
    h('a', { href: '#!/lineage', class: 'nav-top' }, 'Lineage'),
    sidebarTypes
      .filter((type) => groups.has(type))
      .map((type) =>
        h(
          'details',
          { open: type === 'model' || type === 'source' || type === 'exposure' },
          h('summary', {}, `${type === 'analysis' ? 'analyses' : `${type}s`} (${groups.get(type)?.length})`),
          h('ul', {}, groups.get(type)),
        ),
      ),
  );
}

/** Renders the page the URL fragment names: `#!/overview`, `#!/<type>/<id>`, `#!/lineage?select=…`. */
function route(model: DocsModel, main: HTMLElement): void {
  const started = performance.now();
  const hash = location.hash.replace(/^#!?\/?/, '');
  const go = (href: string) => {
    location.hash = href;
  };
  disposeCharts();
  clear(main);
  // The query is decoded by URLSearchParams only: decoding it first would turn `%2B` into a `+`
  // that then reads as a space, and selectors are full of `+`.
  const [path = '', query = ''] = hash.split('?');
  const [kind = '', ...rest] = path.split('/').map((part) => decodeURIComponent(part));
  let page: HTMLElement;
  if (kind === 'lineage') page = lineagePage(model, new URLSearchParams(query), go);
  else if (kind === '' || kind === 'overview') page = overviewPage(model);
  else {
    const node = model.nodes.get(rest.join('/'));
    page = node
      ? nodePage(model, node)
      : h(
          'article',
          { class: 'page' },
          h('h1', {}, 'Not found'),
          h('p', {}, `Nothing is documented as ${hash}.`),
        );
  }
  main.appendChild(page);
  drawPendingCharts();
  main.scrollTop = 0;
  document.title = `${page.querySelector('h1')?.textContent ?? ''} · ${model.projectName} docs`;
  for (const a of document.querySelectorAll('.sidebar a.current')) a.classList.remove('current');
  document.querySelector(`.sidebar a[href="${CSS.escape(location.hash)}"]`)?.classList.add('current');
  document.body.dataset.route = location.hash;
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  document.dispatchEvent(new CustomEvent('docs:rendered'));
}

function start(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const data = window.__SHOPSMART_DOCS__;
  if (!data) {
    app.textContent = 'docs-data.js is missing: run `shopsmart docs generate`.';
    return;
  }
  performance.mark('docs:start');
  const model = buildModel(data);
  performance.mark('docs:model-built');
  const main = h('main', { class: 'content', id: 'content' });
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { href: '#!/overview', class: 'brand' }, `${model.projectName} docs`),
    searchBox(new SearchIndex(model.ordered), (href) => {
      location.hash = href;
    }),
  );
  clear(app);
  app.append(header, h('div', { class: 'layout' }, sidebar(model), main));
  performance.mark('docs:shell-built');
  window.addEventListener('hashchange', () => route(model, main));
  window.addEventListener('resize', resizeCharts);
  route(model, main);
  performance.mark('docs:first-render');
  document.body.dataset.ready = 'true';
}

start();
