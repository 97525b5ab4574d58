import DOMPurify from 'dompurify';
import { marked } from 'marked';

marked.setOptions({ gfm: true, breaks: false, async: false });

// Links in descriptions may point anywhere a user clicks to, but nothing loads by itself:
// images and other embedded resources from outside the site are dropped.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer');
    if (/^https?:/i.test(node.getAttribute('href') ?? '')) node.setAttribute('target', '_blank');
  }
  if (node.hasAttribute('src') && !/^(data:|#)/i.test(node.getAttribute('src') ?? ''))
    node.removeAttribute('src');
  if (node.hasAttribute('srcset')) node.removeAttribute('srcset');
});

/**
 * Markdown rendered and sanitised: a description holding `<script>` or `<img onerror=…>` comes
 * out inert (DOMPurify drops scripts and event handlers).
 *
 * @example
 * renderMarkdown('**net** revenue <script>alert(1)</script>'); // → a div with <p><strong>net</strong> revenue </p>
 */
export function renderMarkdown(text: string): HTMLElement {
  const element = document.createElement('div');
  element.className = 'markdown';
  const html = marked.parse(text ?? '', { async: false }) as string;
  element.innerHTML = DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'iframe', 'object', 'embed'],
  });
  return element;
}
