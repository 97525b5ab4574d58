import { dashboardSection } from '../dashboards/dashboard-section.js';
import { upstreamNotice } from '../dashboards/upstream-notice.js';
import { type DocColumn, type DocNode, type DocsModel, nodeHref } from '../docs-model.js';
import { h } from '../dom.js';
import { sqlBlock } from '../highlight.js';
import { renderMarkdown } from '../markdown.js';

const statusClass = (status: string | undefined) =>
  status === 'pass' || status === 'success' ? 'ok' : status === 'warn' ? 'warn' : status ? 'bad' : 'none';

function statusBadge(status: string | undefined): HTMLElement {
  return h('span', { class: `status status-${statusClass(status)}` }, status ?? 'not run');
}

function link(model: DocsModel, id: string): HTMLElement {
  const node = model.nodes.get(id);
  return node
    ? h(
        'a',
        { href: nodeHref(node) },
        h('span', { class: `badge type-${node.resourceType}` }, node.resourceType),
        node.label,
      )
    : h('span', { class: 'muted' }, id);
}

function testName(test: DocNode): string {
  return test.json?.test_metadata?.name ?? test.name;
}

function columnsTable(node: DocNode): HTMLElement {
  return h(
    'table',
    { class: 'columns' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Column'),
        h('th', {}, 'Type'),
        h('th', {}, 'Description'),
        h('th', {}, 'Tests'),
      ),
    ),
    h(
      'tbody',
      {},
      node.columns.map((column: DocColumn) =>
        h(
          'tr',
          { 'data-column': column.name },
          h('td', { class: 'mono' }, column.name),
          h('td', { class: 'mono muted' }, column.type ?? ''),
          h('td', {}, column.description ? renderMarkdown(column.description) : ''),
          h(
            'td',
            {},
            column.tests.map((test) =>
              h(
                'a',
                {
                  class: `test-chip status-${statusClass(test.result?.status)}`,
                  href: nodeHref(test),
                  title: test.result?.status ?? 'not run',
                },
                testName(test),
                ' ',
                test.result?.status ?? '–',
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function details(model: DocsModel, node: DocNode): HTMLElement {
  const rows: [string, Node | string][] = [];
  const add = (label: string, value: Node | string | undefined | null) => {
    if (value !== undefined && value !== null && value !== '') rows.push([label, value]);
  };
  add('Type', node.resourceType);
  add('Layer package', node.packageName);
  if (['model', 'seed', 'snapshot'].includes(node.resourceType)) add('Materialization', node.materialized);
  add('Path', node.path);
  const json = node.json;
  if (json?.schema) add('Relation', json.relation_name ?? `${json.schema}.${json.alias ?? node.name}`);
  add('Tags', node.tags.length ? node.tags.join(', ') : undefined);
  const owner = json?.owner ?? (json?.meta?.owner as string | undefined);
  add(
    'Owner',
    typeof owner === 'string'
      ? owner
      : owner
        ? [owner.name, owner.email].filter(Boolean).join(' · ')
        : undefined,
  );
  if (json?.resource_type === 'exposure') {
    add('Exposure type', json.type);
    add('Maturity', json.maturity);
    // Only site routes and http(s) become links (never javascript: or other schemes).
    const url = json.url ?? '';
    add(
      'URL',
      /^(#!\/|https?:\/\/)/.test(url)
        ? h(
            'a',
            { href: url, ...(url.startsWith('#') ? {} : { target: '_blank', rel: 'noopener noreferrer' }) },
            url,
          )
        : url,
    );
  }
  if (node.catalog) {
    add('Warehouse type', node.catalog.metadata.type);
    for (const stat of Object.values(node.catalog.stats))
      if (stat.include)
        add(
          stat.label,
          typeof stat.value === 'number' ? stat.value.toLocaleString('en-US') : String(stat.value),
        );
  }
  if (node.result)
    add(
      'Last run',
      h(
        'span',
        {},
        statusBadge(node.result.status),
        ` ${node.result.execution_time.toFixed(2)}s `,
        node.result.message ?? '',
      ),
    );
  if (node.freshness) {
    const f = node.freshness;
    add(
      'Freshness',
      h(
        'span',
        {},
        statusBadge(f.status),
        f.max_loaded_at ? ` last loaded ${f.max_loaded_at}` : '',
        f.max_loaded_at_time_ago_in_s !== undefined
          ? ` (${(f.max_loaded_at_time_ago_in_s / 3600).toFixed(1)} h before the check)`
          : '',
      ),
    );
  }
  if (json?.test_metadata) {
    add(
      'Test',
      `${json.test_metadata.namespace ? `${json.test_metadata.namespace}.` : ''}${json.test_metadata.name}`,
    );
    if (json.attached_node) add('Tests', link(model, json.attached_node));
    add('Column', json.column_name);
  }
  return h(
    'dl',
    { class: 'details' },
    rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

function neighbours(model: DocsModel, title: string, ids: string[]): HTMLElement | null {
  const shown = ids.filter((id) => model.nodes.get(id)?.resourceType !== 'test');
  const tests = ids.length - shown.length;
  if (ids.length === 0) return null;
  return h(
    'section',
    { class: 'neighbours' },
    h('h3', {}, title),
    h(
      'ul',
      {},
      shown.map((id) => h('li', {}, link(model, id))),
    ),
    tests ? h('p', { class: 'muted' }, `and ${tests} test${tests === 1 ? '' : 's'}`) : null,
  );
}

/** Fixture rows as a table (mappings) or as the CSV text they were written in. */
function rowsView(rows: Record<string, unknown>[] | string | undefined): HTMLElement {
  if (rows === undefined) return h('p', { class: 'muted' }, 'no rows');
  if (typeof rows === 'string') return h('pre', {}, rows);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h(
    'table',
    { class: 'columns fixture' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { class: 'mono' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map((c) =>
            h('td', { class: 'mono' }, row[c] === null ? 'null' : row[c] === undefined ? '' : String(row[c])),
          ),
        ),
      ),
    ),
  );
}

function unitTestFixtures(json: DocNode['json']): HTMLElement | null {
  if (!json?.given) return null;
  return h(
    'section',
    { class: 'unit-test' },
    h('h2', {}, 'Given'),
    json.given.map((input) => h('div', {}, h('h3', { class: 'mono' }, input.input), rowsView(input.rows))),
    h('h2', {}, 'Expect'),
    rowsView(json.expect?.rows),
  );
}

/** One node's page: description, details, columns with tests and results, SQL, neighbours. */
export function nodePage(model: DocsModel, node: DocNode): HTMLElement {
  const nodeTests = node.children
    .map((id) => model.nodes.get(id))
    .filter((t): t is DocNode => t?.resourceType === 'test' && !t.json?.column_name);
  const lineageSelector = node.resourceType === 'source' ? `+source:${node.label}+` : `+${node.name}+`;
  const canLineage = node.resourceType !== 'macro';
  const exposure = node.resourceType === 'exposure';
  return h(
    'article',
    { class: 'page node-page', 'data-id': node.id },
    h(
      'p',
      { class: 'crumbs' },
      h('span', { class: `badge type-${node.resourceType}` }, node.resourceType),
      ` ${node.packageName}`,
    ),
    h('h1', {}, node.label),
    exposure && node.json?.label ? h('p', { class: 'subtitle' }, node.json.label) : null,
    exposure ? upstreamNotice(model, node) : null,
    canLineage
      ? h(
          'p',
          {},
          h(
            'a',
            { class: 'lineage-link', href: `#!/lineage?select=${encodeURIComponent(lineageSelector)}` },
            `Lineage ${lineageSelector}`,
          ),
        )
      : null,
    h(
      'section',
      { class: 'description' },
      node.description ? renderMarkdown(node.description) : h('p', { class: 'muted' }, 'No description.'),
    ),
    exposure ? dashboardSection(model, node) : null,
    details(model, node),
    node.columns.length ? h('section', {}, h('h2', {}, 'Columns'), columnsTable(node)) : null,
    unitTestFixtures(node.json),
    nodeTests.length
      ? h(
          'section',
          {},
          h('h2', {}, 'Tests'),
          h(
            'ul',
            {},
            nodeTests.map((t) =>
              h('li', {}, h('a', { href: nodeHref(t) }, t.name), ' ', statusBadge(t.result?.status)),
            ),
          ),
        )
      : null,
    neighbours(model, 'Depends on', node.parents),
    neighbours(model, 'Referenced by', node.children),
    node.rawCode ? h('section', {}, h('h2', {}, 'Source code'), sqlBlock(node.rawCode)) : null,
    node.compiledCode ? h('section', {}, h('h2', {}, 'Compiled SQL'), sqlBlock(node.compiledCode)) : null,
  );
}
