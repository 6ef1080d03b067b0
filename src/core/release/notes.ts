import { inertCode, inertMarkdown } from '../report/escape.js';
import type { ReleaseCandidate, ReleaseContext } from './plan.js';
import { trainingMarkdown } from '../tracking/report.js';
import type { TrainingSection } from '../tracking/training-check.js';

/**
 * The longest GitHub Release body modelgate writes, in characters as GitHub
 * counts them (Unicode code points, {@link characterCount}). GitHub refuses a
 * body over 125,000 characters; the margin covers a body GitHub stores with
 * CRLF line ends or a limit that shrinks again (it was 25,000 until 2021).
 */
export const RELEASE_NOTES_MAX = 100_000;

/** Free text from the manifest, the pull request or a finding is cut here: one value never crowds out the rest. */
const TEXT_MAX = 1_000;
/** A training section longer than this (a tracker's long parameter values) is replaced by a line saying so. */
const TRAINING_MAX = 20_000;

/** Unicode code points, as GitHub counts a body's characters (an emoji is 1, not its 2 UTF-16 units). */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * The GitHub Release body: provenance, what changed and why, compatibility,
 * evaluation, the training run (read and compared with production's when
 * `training` is given, else the manifest's reference), artifacts. At most
 * {@link RELEASE_NOTES_MAX} characters, whatever the manifest holds (up to
 * 4,096 weights): each table keeps its first rows, as many as fit, and says
 * how many more the tag holds.
 */
export function releaseNotes(
  candidate: ReleaseCandidate,
  context: ReleaseContext,
  training?: TrainingSection,
): string {
  const blocks = notesBlocks(candidate, context, training);
  const fits = (rows: number) => notesLength(blocks, rows) <= RELEASE_NOTES_MAX;
  if (fits(Infinity)) return renderNotes(blocks, Infinity);
  if (!fits(0)) return pointerNotes(candidate, context);
  // The largest row limit that fits, by bisection on lengths counted once per row; `fitting` always fits.
  let fitting = 0;
  let over = Math.max(...blocks.map((b) => (b.kind === 'lines' ? 0 : b.list.rows.length)));
  while (over - fitting > 1) {
    const rows = Math.floor((fitting + over) / 2);
    if (fits(rows)) fitting = rows;
    else over = rows;
  }
  return renderNotes(blocks, fitting);
}

/** A table's or list's rows, rendered once, with their lengths and the line that counts the rows left out. */
interface RowList {
  rows: string[];
  /** prefix[i]: the characters of the first i rows. */
  prefix: number[];
  note: (more: number) => string;
}

/** The notes as blocks: fixed lines, the first rows of a list, or the line under a list that counts the rest. */
type NotesBlock =
  { kind: 'lines'; lines: string[] } | { kind: 'rows'; list: RowList } | { kind: 'more'; list: RowList };

function rowList(rows: string[], what: string, where: string): RowList {
  const prefix = [0];
  for (const row of rows) prefix.push(prefix.at(-1)! + characterCount(row));
  return { rows, prefix, note: (more) => `… and ${more} more ${what} (${where}).` };
}

/** The notes with at most `rows` rows of each list. */
function renderNotes(blocks: readonly NotesBlock[], rows: number): string {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'lines') out.push(...block.lines);
    else if (block.kind === 'rows') out.push(...block.list.rows.slice(0, rows));
    else if (block.list.rows.length > rows) out.push(block.list.note(block.list.rows.length - rows), '');
  }
  return out.join('\n');
}

/** characterCount(renderNotes(blocks, rows)), from the lengths counted once. */
function notesLength(blocks: readonly NotesBlock[], rows: number): number {
  let characters = 0;
  let lines = 0;
  for (const block of blocks) {
    if (block.kind === 'lines') {
      lines += block.lines.length;
      for (const line of block.lines) characters += characterCount(line);
    } else if (block.kind === 'rows') {
      const shown = Math.min(rows, block.list.rows.length);
      lines += shown;
      characters += block.list.prefix[shown]!;
    } else if (block.list.rows.length > rows) {
      lines += 2;
      characters += characterCount(block.list.note(block.list.rows.length - rows));
    }
  }
  return characters + Math.max(0, lines - 1);
}

/** Every part of the notes, each row escaped once. */
function notesBlocks(
  candidate: ReleaseCandidate,
  context: ReleaseContext,
  training: TrainingSection | undefined,
): NotesBlock[] {
  const { facts, change, findings } = candidate;
  const { manifest } = facts;
  const blocks: NotesBlock[] = [];
  const lines = (...text: string[]) => blocks.push({ kind: 'lines', lines: text });
  const list = (rows: RowList) => {
    blocks.push({ kind: 'rows', list: rows });
    return rows;
  };
  const more = (rows: RowList) => blocks.push({ kind: 'more', list: rows });

  lines(...heading(candidate, context), '### What changed', '');
  if (!change || change.status === 'new') lines('First release of this model.', '');
  else {
    lines(
      `${change.from} → ${change.to}: a **${change.declared}** release; the change requires **${change.required}**.`,
      '',
    );
    if (change.reasons.length) {
      lines('| bump | file | reason |', '|---|---|---|');
      const reasons = list(
        rowList(
          change.reasons.map(
            (r) => `| ${r.bump} | ${inertCode(clip(r.file))} | ${inertMarkdown(clip(r.reason))} |`,
          ),
          'reasons',
          'the pull request’s check lists them all',
        ),
      );
      lines('');
      more(reasons);
    }
  }

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning');
  lines(
    '### Compatibility',
    '',
    errors
      ? `❌ ${errors} error(s)`
      : `✅ tokenizer, config and weights checks pass${warnings.length ? `, ${warnings.length} warning(s):` : '.'}`,
    '',
  );
  if (warnings.length) {
    const listed = list(
      rowList(
        warnings.map((w) => `- ${w.rule}: ${inertMarkdown(clip(w.message))}`),
        'warnings',
        '`modelgate validate` at the tag lists them all',
      ),
    );
    lines('');
    more(listed);
  }

  if (candidate.metrics.length) {
    lines('### Evaluation', '', '| metric | value | stderr |', '|---|---|---|');
    const metrics = list(
      rowList(
        candidate.metrics.map((m) => `| ${inertMarkdown(clip(m.name))} | ${m.value} | ${m.stderr ?? '—'} |`),
        'metrics',
        'see the results files at the tag',
      ),
    );
    lines('');
    more(metrics);
  }

  if (training) lines(trainingSection(training));
  else if (manifest.training?.run !== undefined)
    lines('### Training', '', `Run ${inertCode(clip(manifest.training.run))} (not read at release).`, '');

  lines('### Artifacts', '', '| artifact | sha256 | size |', '|---|---|---|');
  const weights = list(
    rowList(
      manifest.artifacts.weights.map(
        (w) => `| ${inertCode(clip(w.uri))} | \`${w.sha256}\` | ${w.size ?? '—'} |`,
      ),
      'weights',
      'see the manifest at the tag',
    ),
  );
  // The manifest's own row always: its digest pins every other line of the table.
  lines(`| ${inertCode(clip(facts.manifestFile))} | \`${candidate.manifestDigest}\` | |`);
  const files = list(
    rowList(
      [...candidate.digests]
        .filter(([path]) => path !== facts.manifestFile)
        .map(([path, digest]) => `| ${inertCode(clip(path))} | \`${digest}\` | |`),
      'files',
      'see the files at the tag',
    ),
  );
  lines('');
  more(weights);
  more(files);
  return blocks;
}

/** The title line and where the release came from. */
function heading(candidate: ReleaseCandidate, context: ReleaseContext): string[] {
  const { name, manifest } = candidate.facts;
  const pr = context.pullRequest;
  return [
    `**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**${manifest.description ? `: ${inertMarkdown(clip(manifest.description))}` : ''}`,
    '',
    pr
      ? `Merged in [#${pr.number} ${inertMarkdown(clip(pr.title))}](${pr.url})${context.actor ? ` by @${inertMarkdown(clip(context.actor))}` : ''}.`
      : `Released from ${context.trigger.slice(0, 12)}.`,
    '',
  ];
}

/** The training section, or one line when a tracker's values make it longer than the notes can hold. */
function trainingSection(training: TrainingSection): string {
  const section = trainingMarkdown([training], '### Training');
  if (characterCount(section) <= TRAINING_MAX) return section;
  return [
    '### Training',
    '',
    `Run ${inertCode(clip(training.ref))}: its comparison is too long for the notes (${characterCount(section)} characters); the release check's summary has it.`,
    '',
  ].join('\n');
}

/** Notes that only point at the tag, for a release whose fixed parts alone would not fit. */
function pointerNotes(candidate: ReleaseCandidate, context: ReleaseContext): string {
  const { name, manifest } = candidate.facts;
  return [
    `**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**`,
    '',
    `Released from ${context.trigger.slice(0, 12)}. The notes are too long for a GitHub Release: the tag's message and the manifest at the tag (sha256 \`${candidate.manifestDigest}\`) hold its provenance and artifacts.`,
    '',
  ].join('\n');
}

/** At most TEXT_MAX code points of `text` (never half a surrogate pair), with an ellipsis when cut. */
function clip(text: string): string {
  if (text.length <= TEXT_MAX) return text;
  const points = Array.from(text);
  return points.length <= TEXT_MAX ? text : `${points.slice(0, TEXT_MAX).join('')}…`;
}
