import { type DocNode, type DocsModel, nodeHref } from '../docs-model.js';
import { h } from '../dom.js';
import { upstreamFailures } from './upstream-status.js';

/**
 * The notice on an exposure's page when something upstream failed in the last run: the nodes,
 * each with its failed, errored or skipped tests (or its own error), linked.
 */
export function upstreamNotice(model: DocsModel, node: DocNode): HTMLElement | null {
  const failures = upstreamFailures(model, node.id);
  if (failures.length === 0) return null;
  return h(
    'section',
    { class: 'upstream-notice', role: 'alert' },
    h(
      'p',
      {},
      h('strong', {}, 'Upstream failures in the last run'),
      model.runGeneratedAt ? ` (${model.runGeneratedAt})` : '',
      `: ${failures.length} node${failures.length === 1 ? '' : 's'} this ${node.json?.type ?? 'exposure'} reads from failed or ${failures.length === 1 ? 'was' : 'were'} skipped, so its figures may be wrong or stale.`,
    ),
    h(
      'ul',
      {},
      failures.map((f) =>
        h(
          'li',
          { 'data-id': f.node.id },
          h('a', { href: nodeHref(f.node) }, f.node.label),
          f.status ? ` — ${f.status}` : '',
          f.tests.length ? ' — tests: ' : '',
          f.tests.flatMap((t, i) => [
            i ? ', ' : '',
            h('a', { href: nodeHref(t), class: 'mono failed-test' }, t.name),
            ` (${t.result?.status})`,
          ]),
        ),
      ),
    ),
  );
}
