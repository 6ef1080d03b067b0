import { analyzeRecordedGuard, readRecordedGuard } from '../../core/guard/recorded.js';
import { guardAnalysisMarkdown, guardAnalysisText } from '../../core/guard/report.js';
import { inertJson } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { formatOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { readRecordedAnalysis, requireAnalyze } from './recorded-analysis.js';

/** `modelgate guard analyze`: the app's production-guard judge on recorded windows. */
export async function runGuard(args: CommandArgs, out: Output): Promise<number> {
  requireAnalyze(args, 'guard', 'modelgate guard analyze --metrics FILE');
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const { recorded, name, root, manifest } = await readRecordedAnalysis(
    args,
    { name: 'guard', option: 'metrics', records: 'windows' },
    readRecordedGuard,
  );
  const policy = manifest?.guard;
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
