import { html, nothing } from '@mosaic/plugin-sdk/views';
import type { TemplateResult } from 'lit';

/**
 * Renders the Markdown of a note as Lit templates: headings, paragraphs, bullet and numbered lists,
 * quotes, code blocks, **bold**, *italic*, `code` and links. No HTML string is ever built or parsed —
 * every piece of text goes through Lit's text bindings — so a note cannot inject markup or script
 * whatever it holds, and no sanitiser is needed. Raw HTML in a note shows as the text it is. Links are
 * kept only for http(s) and mailto; anything else (`javascript:` …) shows as plain text.
 */
export function renderMarkdown(source: string): TemplateResult {
  const blocks: TemplateResult[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      i++;
      blocks.push(html`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2]!);
      blocks.push(heading[1]!.length === 1 ? html`<h4>${text}</h4>` : heading[1]!.length === 2 ? html`<h5>${text}</h5>` : html`<h6>${text}</h6>`);
      i++;
      continue;
    }
    const list = listKind(line);
    if (list) {
      const items: TemplateResult[] = [];
      for (; i < lines.length && listKind(lines[i]!) === list; i++) items.push(html`<li>${inline(lines[i]!.replace(LIST_MARKER[list], ''))}</li>`);
      blocks.push(list === 'ul' ? html`<ul>${items}</ul>` : html`<ol>${items}</ol>`);
      continue;
    }
    if (line.startsWith('>')) {
      const quoted: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) quoted.push(lines[i]!.replace(/^>\s?/, ''));
      blocks.push(html`<blockquote>${renderMarkdown(quoted.join('\n'))}</blockquote>`);
      continue;
    }
    const paragraph: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && !isBlockStart(lines[i]!); i++) paragraph.push(lines[i]!);
    blocks.push(html`<p>${paragraph.map((l, n) => html`${n > 0 ? html`<br />` : nothing}${inline(l)}`)}</p>`);
  }
  return html`${blocks}`;
}

const LIST_MARKER = { ul: /^\s*[-*+]\s+/, ol: /^\s*\d+[.)]\s+/ } as const;

function listKind(line: string): 'ul' | 'ol' | undefined {
  if (LIST_MARKER.ul.test(line)) return 'ul';
  if (LIST_MARKER.ol.test(line)) return 'ol';
  return undefined;
}

function isBlockStart(line: string): boolean {
  return line.startsWith('```') || /^#{1,3}\s/.test(line) || listKind(line) !== undefined || line.startsWith('>');
}

/** `code`, [links](https://…), **bold** and *italic* / _italic_, outermost first; the rest is text. */
const INLINE = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_/;

function inline(text: string): (TemplateResult | string)[] {
  const out: (TemplateResult | string)[] = [];
  let rest = text;
  for (let match = INLINE.exec(rest); match; match = INLINE.exec(rest)) {
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const [whole, code, label, href, bold, italic, italic2] = match;
    if (code !== undefined) out.push(html`<code>${code}</code>`);
    else if (label !== undefined) out.push(/^(https?:|mailto:)/i.test(href!) ? html`<a href=${href!} target="_blank" rel="noopener noreferrer">${inline(label)}</a>` : whole);
    else if (bold !== undefined) out.push(html`<strong>${inline(bold)}</strong>`);
    else out.push(html`<em>${inline((italic ?? italic2)!)}</em>`);
    rest = rest.slice(match.index + whole.length);
  }
  if (rest) out.push(rest);
  return out;
}
