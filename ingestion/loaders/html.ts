// HTML to readable text: page chrome and code are dropped, headings become "## Heading" lines for the
// chunker, block elements become line breaks, entities are decoded.
import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';
import { decodeText } from './sniff.js';
import type { Loader } from './types.js';

const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'head',
  'button',
  'select',
]);
// Site chrome; kept inside <article>/<main>, where a <header> usually holds the document's own title.
const CHROME = new Set(['header', 'footer', 'aside']);
const BLOCK = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);

// Break markers (private-use characters), resolved once the whole page is walked: runs of breaks become one line break, or a blank
// line if a paragraph or heading is among them.
const LINE = '\ue000';
const PARAGRAPH = '\ue001';

function walk(node: Node, out: string[], inContent: boolean, inPre: boolean): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    const text = node.text.replace(/[\ue000\ue001]/g, '');
    out.push(inPre ? text : text.replace(/\s+/g, ' '));
    return;
  }
  if (!(node instanceof HTMLElement)) return; // comments
  const tag = (node.rawTagName ?? '').toLowerCase();
  if (DROPPED.has(tag) || node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return;
  if (CHROME.has(tag) && !inContent) return;
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    const inner: string[] = [];
    for (const child of node.childNodes) walk(child, inner, inContent, false);
    const title = inner.join('').replace(/\s+/g, ' ').trim();
    if (title) out.push(`${PARAGRAPH}${'#'.repeat(Number(heading[1]))} ${title}${PARAGRAPH}`);
    return;
  }
  if (tag === 'br') {
    out.push('\n');
    return;
  }
  const block = BLOCK.has(tag) ? (tag === 'p' ? PARAGRAPH : LINE) : '';
  out.push(block);
  if (tag === 'li') out.push('- ');
  if (tag === 'td' || tag === 'th') out.push(' ');
  const content = inContent || tag === 'article' || tag === 'main';
  for (const child of node.childNodes) walk(child, out, content, inPre || tag === 'pre');
  out.push(block);
}

export function htmlToText(html: string): string {
  const root = parse(html.replace(/<!doctype[^>]*>/gi, ''), {
    comment: false,
    blockTextElements: { script: false, style: false, noscript: false, template: false, pre: true },
  });
  const out: string[] = [];
  walk(root, out, false, false);
  return out
    .join('')
    .replace(/[ \t]*[\n\ue000\ue001][\s\ue000\ue001]*/g, (breaks) =>
      breaks.includes(PARAGRAPH) ? '\n\n' : '\n',
    )
    .trim();
}

export const htmlLoader: Loader = {
  format: 'html',
  async load(bytes, { name }) {
    return { text: htmlToText(await decodeText(bytes, name, 'an HTML page')) };
  },
};
