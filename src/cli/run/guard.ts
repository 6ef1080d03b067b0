import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeUtf8 } from '../../core/bytes.js';
import { analyzeRecordedGuard, readRecordedGuard } from '../../core/guard/recorded.js';
import { guardAnalysisMarkdown, guardAnalysisText } from '../../core/guard/report.js';
import type { GuardPolicy } from '../../core/manifest/guard.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import { inertJson } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';

/** `modelgate guard analyze`: the app's production-guard judge on recorded windows. */
export async function runGuard(args: CommandArgs, out: Output): Promise<number> {
  if (args.positionals[0] !== 'analyze')
    throw new CommandError(
      `unknown guard command "${args.positionals[0]}"`,
      'Use: modelgate guard analyze --metrics FILE',
    );
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const metricsFile = stringOf(args, 'metrics');
  if (!metricsFile)
    throw new CommandError(
      '--metrics FILE is required',
      'Record the windows as described in modelgate guard --help.',
    );
  let recorded;
  try {
    recorded = readRecordedGuard(JSON.parse(await readFile(metricsFile, 'utf8')), metricsFile);
  } catch (error) {
    throw new CommandError(`${metricsFile} cannot be used: ${(error as Error).message}`);
  }
  const name = stringOf(args, 'model') ?? recorded.model;
  if (!name) throw new CommandError('which model? Pass --model NAME or put "model" in the file');
  const root = resolve(stringOf(args, 'root') ?? '.');
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  let policy: GuardPolicy | undefined;
  for (const file of await repo.findManifests(settings.manifests)) {
    const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
    const parsed = read.ok ? parseManifest(decodeUtf8(read.value), file) : undefined;
    if (parsed?.manifest?.name === name) policy = parsed.manifest.guard;
    // The model's own manifest is broken: its policy cannot be trusted to judge anything.
    else if (parsed && !parsed.manifest && parsed.rawName === name)
      throw new CommandError(
        `the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`,
        `Run modelgate validate --root ${stringOf(args, 'root') ?? '.'} for every problem.`,
      );
  }
  if (!policy)
    throw new CommandError(
      `no manifest of ${name} with a guard block under ${root}`,
      'Add a guard block (bake, metrics) to the manifest.',
    );
  const analysis = analyzeRecordedGuard(policy, recorded, name);
  out.stdout(
    format === 'json'
      ? `${inertJson(analysis)}\n`
      : format === 'markdown'
        ? `${guardAnalysisMarkdown(analysis)}\n`
        : guardAnalysisText(analysis),
  );
  if (analysis.outcome !== 'passed') out.stderr(`modelgate: the guard did not pass: ${analysis.reason}\n`);
  return analysis.outcome === 'passed' ? 0 : 1;
}
