/**
 * About 1 MB (1,000,000 characters) of input per compressor, for the speed
 * budget of the compressors section. Each is built from real files of its
 * kind: whole files concatenated in name order and repeated until there is
 * enough, then cut at the last line end before 1,000,000 characters. The
 * corpus has no fetched HTML page, so the HTML input is a page built here,
 * deterministically, from the reference docs (../shared/reference/*.md)
 * with the chrome a real page has (scripts, styles, navigation, footer);
 * the prose input is the reference docs' prose (fenced code and tables left
 * out, so it is prose to the router).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SIZE = 1_000_000;

/** `parts` repeated in order until there are SIZE characters, cut at the last line end before SIZE; and how many parts it took. */
function fill(parts) {
  let text = '';
  let used = 0;
  while (text.length < SIZE) text += parts[used++ % parts.length];
  const cut = text.lastIndexOf('\n', SIZE - 1);
  return { text: text.slice(0, cut + 1), used };
}

function filesIn(dir, test) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(test)
    .sort()
    .map((name) => path.join(dir, name));
}

/** Whole files ending with a newline, so one file's last line never runs into the next one's first. */
function wholeFiles(files) {
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    return text.endsWith('\n') ? text : `${text}\n`;
  });
}

const names = (files) => files.map((file) => path.basename(file)).join(' + ');

/** The reference docs' lines outside fenced code blocks and tables. */
function proseLines(reference) {
  const lines = [];
  for (const file of filesIn(reference, (name) => name.endsWith('.md'))) {
    let fenced = false;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('```')) fenced = !fenced;
      else if (!fenced && !line.startsWith('|')) lines.push(line);
    }
  }
  return lines;
}

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const inline = (text) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The reference docs as an article's HTML: headings, paragraphs, lists, tables and code blocks. */
function articleHtml(reference) {
  const out = [];
  for (const file of filesIn(reference, (name) => name.endsWith('.md'))) {
    let code = null;
    let table = null;
    let list = false;
    let paragraph = [];
    const flush = () => {
      if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
      paragraph = [];
      if (list) out.push('</ul>');
      list = false;
      if (table) out.push(`<table>${table.join('')}</table>`);
      table = null;
    };
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (code !== null) {
        if (line.startsWith('```')) {
          out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
          code = null;
        } else code.push(line);
      } else if (line.startsWith('```')) {
        flush();
        code = [];
      } else if (line.startsWith('|')) {
        if (!table) flush();
        table ??= [];
        if (!/^\|[\s:|-]+\|?$/.test(line)) {
          table.push(
            `<tr>${line
              .split('|')
              .slice(1, -1)
              .map((cell) => `<td>${inline(cell.trim())}</td>`)
              .join('')}</tr>`,
          );
        }
      } else if (/^#{1,6} /.test(line)) {
        flush();
        const level = Math.min(line.indexOf(' '), 4) + 1;
        out.push(`<h${level}>${inline(line.replace(/^#+ /, ''))}</h${level}>`);
      } else if (/^\s*[-*] /.test(line)) {
        if (paragraph.length || table) flush();
        if (!list) out.push('<ul>');
        list = true;
        out.push(`<li>${inline(line.replace(/^\s*[-*] /, ''))}</li>`);
      } else if (line.trim() === '') flush();
      else paragraph.push(line.trim());
    }
    flush();
  }
  return out.join('\n');
}

/** A documentation page around `article`, with the scripts, styles, navigation and footer a fetched page has. */
function page(article, reference) {
  const nav = Array.from({ length: 40 }, (_, i) => `<li><a href="/docs/section-${i}">Section ${i}</a></li>`).join('');
  const script = `<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',0);</script>`;
  const style = `<style>${Array.from({ length: 60 }, (_, i) => `.c${i}{margin:${i}px;padding:${i % 7}px}`).join('')}</style>`;
  // As many copies of the article as fit in SIZE with the chrome around them: the page stays whole.
  let body = '';
  for (let copy = 0; ; copy++) {
    const section = `<article id="copy-${copy}">\n${article}\n</article>\n<aside><h3>Related</h3><ul>${nav}</ul></aside>\n${script}\n`;
    if (copy > 0 && body.length + section.length > SIZE - 10_000) break;
    body += section;
  }
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>headroom reference (${path.basename(reference)})</title>${style}${script}</head>\n` +
    `<body><header><nav><ul>${nav}</ul></nav></header>\n<main>\n${body}</main>\n<footer><p>© docs</p><ul>${nav}</ul></footer></body></html>\n`
  );
}

/**
 * The inputs, each with the compressor it is for, the tool call that would
 * fetch it, and what it was built from. Kinds whose files are missing are
 * left out.
 */
export function buildOneMb(corpus, reference) {
  const outputs = path.join(corpus, 'tool-outputs');
  const inputs = [];
  const logs = path.join(outputs, 'logs');
  const grep = path.join(outputs, 'grep');
  // [compressor, its files, the call that fetched them]
  const kinds = [
    // Text logs of at most 1 MB (a larger one could not be whole); the JSON-lines log separately.
    ['log_compressor', filesIn(logs, (name) => !name.endsWith('.ndjson')).filter((file) => readFileSync(file).length <= SIZE), { tool: 'Bash', args: { command: 'cat build.log' } }],
    ['log_compressor', filesIn(logs, (name) => name.endsWith('.ndjson')), { tool: 'Bash', args: { command: 'cat access.ndjson' } }],
    // file:line:content listings; `rg --json` output separately.
    ['search_compressor', filesIn(grep, (name) => /^(?:grep_rn|rg_openhands_except)/.test(name)), { tool: 'Grep', args: { pattern: 'def |except Exception' } }],
    ['search_compressor', filesIn(grep, (name) => name.endsWith('.jsonl')), { tool: 'Bash', args: { command: "rg --json 'err != nil'" } }],
    ['diff_compressor', filesIn(path.join(outputs, 'diffs'), (name) => /\.(?:diff|patch)$/.test(name)), { tool: 'Bash', args: { command: 'git diff' } }],
    // One language, so the whole input parses.
    ['code_outline', filesIn(path.join(corpus, 'code-files'), (name) => name.endsWith('.py')), { tool: 'Read', args: { file_path: '/repo/module.py' } }],
  ];
  for (const [compressor, files, call] of kinds) {
    if (files.length === 0) continue;
    const { text, used } = fill(wholeFiles(files));
    const builtFrom = used > files.length ? `${names(files)} ×${(used / files.length).toFixed(1)}` : names(files.slice(0, used));
    inputs.push({ compressor, text, builtFrom, query: 'What failed, and where?', ...call });
  }
  if (existsSync(reference)) {
    const html = page(articleHtml(reference), reference);
    inputs.push({
      compressor: 'html_extractor',
      text: html,
      builtFrom: 'page built from reference/*.md',
      query: 'What does this page say about caching?',
      tool: 'WebFetch',
      args: { url: 'https://docs.example.com/reference' },
    });
    inputs.push({
      compressor: 'text_compressor',
      text: fill([`${proseLines(reference).join('\n')}\n`]).text,
      builtFrom: 'reference/*.md prose',
      query: 'What does this say about caching?',
      tool: 'WebFetch',
      args: { url: 'https://docs.example.com/reference.txt' },
    });
  }
  return inputs;
}
