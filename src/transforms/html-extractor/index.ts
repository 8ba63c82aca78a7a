/**
 * The HTML extractor: a fetched page becomes its readable content as
 * Markdown — title, headings, paragraphs, lists, links, tables, code blocks —
 * with scripts, styles, navigation chrome and markup dropped, followed by one
 * marker under which the whole page is stored.
 *
 * It is a *summary* transform: the extract is derived text, not kept lines,
 * so the marker does not stand in place for a span; it stands for the entire
 * input (see the summary rule of test/pipeline/marker-oracle-support.ts).
 * An HTML file read from disk is source code under discussion, not a page to
 * read, and passes through untouched. An agent tag pair after the page's
 * `</html>` (a `<system-reminder>` a harness appended to the tool result) is
 * not the page: it is written verbatim after the extract. Tags inside the
 * page are its content (custom elements, or text an untrusted page carries)
 * and are extracted like any other.
 */
import { HTML_ELEMENTS } from '../../analysis/waste/html-noise.js';
import { findMarkers } from '../../ccr/markers.js';
import { savesEnough } from '../lines.js';
import type { Transform, TransformFactory } from '../types.js';
import { loadParser } from './dom.js';
import { toMarkdown } from './markdown.js';
import { readablePage } from './readable.js';

export const HTML_EXTRACTOR = 'html_extractor';

export const htmlExtractorFactory: TransformFactory = {
  name: HTML_EXTRACTOR,
  reads: ['html_extractor.enabled', 'html_extractor.min_savings_ratio', 'html_extractor.keep_links', 'html_extractor.keep_title'],
  create(config) {
    const { enabled, minSavingsRatio, keepLinks, keepTitle } = config.htmlExtractor;
    if (!enabled) return null;
    const transform: Transform = {
      name: HTML_EXTRACTOR,
      lossless: false,
      accepts: ['html'],
      async apply(block, context) {
        if (context.filePath !== null) return { decline: 'file-read' };
        if (block.structured) return { decline: 'unsupported-shape' };
        if (findMarkers(block.text).length > 0) return { decline: 'already-marked' };
        if (!context.canOffload) return { decline: 'needs-offload' };
        const parseDocument = await loadParser();
        const page = readablePage(parseDocument(block.text, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }));
        const body = toMarkdown(page.root, { keepLinks, isNoise: page.isNoise });
        if (body === '') return { decline: 'unsupported-shape' };
        const extract = keepTitle && page.title !== null && !repeatsTitle(body, page.title) ? `# ${page.title}\n\n${body}` : body;
        // A declined rewrite's offload is not kept: the pipeline stores only originals whose marker is in the accepted text.
        const marker = context.offload({ original: block.text, unit: 'html page', count: 1, detail: `the whole page, ${block.text.length} chars; the text above is extracted from it` });
        const note = trailingNote(block.text);
        const text = note === null ? `${extract}\n\n${marker}` : `${extract}\n\n${note}\n\n${marker}`;
        const tokens = context.count(text);
        if (!savesEnough(block.tokens, tokens, minSavingsRatio)) return { decline: 'small-gain' };
        return { text, label: `html→markdown ${block.tokens}→${tokens}` };
      },
    };
    return transform;
  },
};

/** Whether the extract already says the title: the page's first heading is the title or its start (`Install — Widget Docs`). */
function repeatsTitle(body: string, title: string): boolean {
  const heading = /^#{1,6} (.+)$/m.exec(body)?.[1];
  return body.includes(title) || (heading !== undefined && title.startsWith(heading));
}

const HTML_END = '</html>';

/** What follows the page's last `</html>` when it is an agent tag pair (`<system-reminder>…</system-reminder>`), trimmed; else null. */
function trailingNote(page: string): string | null {
  const end = page.toLowerCase().lastIndexOf(HTML_END);
  if (end < 0) return null;
  const tail = page.slice(end + HTML_END.length).trim();
  // A pair, not a lone tag: it opens with a tag that is not an HTML element and ends with the closing tag of the same name.
  const name = /^<([a-z][\w:.-]{0,63})[^<>]{0,1000}>/.exec(tail)?.[1];
  return name !== undefined && !HTML_ELEMENTS.has(name) && tail.length > name.length * 2 + 5 && tail.toLowerCase().endsWith(`</${name}>`) ? tail : null;
}
