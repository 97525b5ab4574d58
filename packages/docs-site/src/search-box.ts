import { nodeHref } from './docs-model.js';
import { clear, h } from './dom.js';
import type { SearchIndex } from './search-index.js';

/**
 * The header's search field with a result list: ↑/↓ move, Enter opens, Escape closes, `/`
 * anywhere focuses the field.
 */
export function searchBox(index: SearchIndex, open: (href: string) => void): HTMLElement {
  const list = h('ul', { class: 'search-results', role: 'listbox', id: 'search-results', hidden: true });
  let hits: ReturnType<SearchIndex['search']> = [];
  let active = 0;
  const input = h('input', {
    type: 'search',
    id: 'search',
    placeholder: 'Search names, columns, tags, descriptions  ( / )',
    autocomplete: 'off',
    'aria-controls': 'search-results',
  });
  const render = () => {
    clear(list);
    list.hidden = hits.length === 0;
    hits.forEach((hit, i) => {
      const item = h(
        'li',
        {
          role: 'option',
          class: i === active ? 'active' : undefined,
          'aria-selected': i === active ? 'true' : 'false',
          'data-id': hit.node.id,
          onmousedown: (event: Event) => {
            event.preventDefault();
            choose(i);
          },
        },
        h('span', { class: `badge type-${hit.node.resourceType}` }, hit.node.resourceType),
        h('span', { class: 'hit-name' }, hit.node.label),
        h('span', { class: 'hit-reason' }, hit.reason),
      );
      list.appendChild(item);
    });
    list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    input.value = '';
    hits = [];
    render();
    input.blur();
    open(nodeHref(hit.node));
  };
  input.addEventListener('input', () => {
    hits = index.search(input.value);
    active = 0;
    render();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') active = Math.min(active + 1, hits.length - 1);
    else if (event.key === 'ArrowUp') active = Math.max(active - 1, 0);
    else if (event.key === 'Enter') return choose(active);
    else if (event.key === 'Escape') {
      hits = [];
      input.blur();
    } else return;
    event.preventDefault();
    render();
  });
  input.addEventListener('blur', () => {
    list.hidden = true;
  });
  input.addEventListener('focus', () => {
    list.hidden = hits.length === 0;
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (event.key === '/' && target?.tagName !== 'INPUT' && target?.tagName !== 'TEXTAREA') {
      event.preventDefault();
      input.focus();
    }
  });
  return h('div', { class: 'search' }, input, list);
}
