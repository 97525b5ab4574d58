import type { DocsModel } from '../docs-model.js';
import { h } from '../dom.js';
import { renderMarkdown } from '../markdown.js';

/** The project overview: the `__overview__` doc block (else `money_terms`) and what the project holds. */
export function overviewPage(model: DocsModel): HTMLElement {
  const counts = new Map<string, number>();
  for (const node of model.nodes.values())
    counts.set(node.resourceType, (counts.get(node.resourceType) ?? 0) + 1);
  return h(
    'article',
    { class: 'page overview' },
    h('h1', {}, model.projectName),
    h(
      'p',
      { class: 'muted' },
      `Generated ${model.generatedAt}`,
      model.runGeneratedAt ? ` · last run ${model.runGeneratedAt}` : '',
    ),
    h(
      'ul',
      { class: 'counts' },
      [...counts].map(([type, n]) => h('li', {}, h('strong', {}, n), ` ${type}${n === 1 ? '' : 's'}`)),
    ),
    h('p', {}, h('a', { href: '#!/lineage' }, 'Open the lineage of the whole project')),
    model.overview ? renderMarkdown(model.overview) : h('p', { class: 'muted' }, 'No overview doc block.'),
  );
}
