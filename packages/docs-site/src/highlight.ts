import hljs from 'highlight.js/lib/core';
import sql from 'highlight.js/lib/languages/sql';

hljs.registerLanguage('sql', sql);

/** A <pre><code> block with the SQL highlighted (highlight.js escapes the text it wraps). */
export function sqlBlock(code: string): HTMLElement {
  const pre = document.createElement('pre');
  const element = document.createElement('code');
  element.className = 'hljs language-sql';
  element.innerHTML = hljs.highlight(code, { language: 'sql', ignoreIllegals: true }).value;
  pre.appendChild(element);
  return pre;
}
