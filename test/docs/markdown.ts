import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (this file is test/docs/markdown.ts). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** One page of the user documentation: the README and every page under docs/. */
export interface DocPage {
  /** Repository-relative path, e.g. `docs/cli.md`. */
  file: string;
  text: string;
}

/** The README and docs/*.md, read once. */
export function docPages(): DocPage[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(REPO_ROOT, 'docs', name));
  return [join(REPO_ROOT, 'README.md'), ...docs].map((path) => ({
    file: relative(REPO_ROOT, path),
    text: readFileSync(path, 'utf8'),
  }));
}

/**
 * What the HTML comments right above a fenced block say about it (only blank
 * lines may stand between them and the fence):
 * `<!-- not run: why -->`, `<!-- exit: N -->`, `<!-- continues -->`, `<!-- output -->`.
 */
export interface BlockMarkers {
  notRun?: string;
  exit?: number;
  continues: boolean;
  output: boolean;
  /** Comments above the block that are none of the above (a slot for the lead, say). */
  other: string[];
}

/** A fenced code block of a page. */
export interface FencedBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`yaml`, `sh`, …), '' when there is none. */
  lang: string;
  body: string;
  markers: BlockMarkers;
}

// CommonMark: at most three spaces before the fence, and no backtick in a backtick fence's info string.
const FENCE = /^( {0,3})(`{3,}(?=[^`]*$)|~{3,})\s*(\S*)/;
const COMMENT = /^\s*<!--\s*(.*?)\s*-->\s*$/;

/** Every fenced block of a page, in order, with the markers above it. */
export function fencedBlocks(page: DocPage): FencedBlock[] {
  const lines = page.text.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    blocks.push({
      file: page.file,
      line: i + 1,
      lang: open[3]!.toLowerCase(),
      body: body.join('\n'),
      markers: markersAbove(lines, i),
    });
    i = j;
  }
  return blocks;
}

function markersAbove(lines: string[], fenceIndex: number): BlockMarkers {
  const markers: BlockMarkers = { continues: false, output: false, other: [] };
  for (let k = fenceIndex - 1; k >= 0; k--) {
    const line = lines[k]!;
    if (line.trim() === '') continue;
    const comment = COMMENT.exec(line);
    if (!comment) break;
    const said = comment[1]!;
    const notRun = /^not run:\s*(.*)$/.exec(said);
    const exit = /^exit:\s*(\d+)$/.exec(said);
    if (notRun) markers.notRun = notRun[1]!.trim();
    else if (exit) markers.exit = Number(exit[1]);
    else if (said === 'continues') markers.continues = true;
    else if (said === 'output') markers.output = true;
    else markers.other.push(said);
  }
  return markers;
}

/** The page's text with fenced blocks and inline code blanked out (headings and links live outside them). */
function proseOf(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const open = FENCE.exec(line);
      if (fence) {
        if (line.trimStart().startsWith(fence)) fence = undefined;
        return '';
      }
      if (open) {
        fence = open[2]!;
        return '';
      }
      return line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

/** The anchors GitHub gives the page's headings: lowercased, punctuation dropped, spaces to dashes, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const open = FENCE.exec(line);
    if (fence) {
      if (line.trimStart().startsWith(fence)) fence = undefined;
      continue;
    }
    if (open) {
      fence = open[2]!;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every markdown link target `[text](target)` in the page's prose, with its line. */
export function linkTargets(text: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  proseOf(text)
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        links.push({ target: match[1]!, line: index + 1 });
      }
    });
  return links;
}

/** The rows of the first markdown table under `heading` (cells trimmed, header and rule rows left out). */
export function tableUnder(text: string, heading: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s+/, '') === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    if (line.startsWith('|')) {
      inTable = true;
      rows.push(
        line
          .slice(1, line.endsWith('|') ? -1 : undefined)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim()),
      );
    } else if (inTable) break;
  }
  return rows.slice(2);
}
