import { analyzeRecordedAb, readRecordedAb } from '../../core/ab/recorded.js';
import { renderAbSection, renderAbText } from '../../core/ab/report.js';
import { inertJson } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { formatOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { readRecordedAnalysis, requireAnalyze } from './recorded-analysis.js';

/** `modelgate ab analyze`: the app's A/B judgment on recorded counts. */
export async function runAb(args: CommandArgs, out: Output): Promise<number> {
  requireAnalyze(args, 'ab', 'modelgate ab analyze --counts FILE');
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const { file, recorded, name, root, manifest } = await readRecordedAnalysis(
    args,
    { name: 'ab', option: 'counts', records: 'per-interval counts' },
    readRecordedAb,
  );
  const policy = manifest?.rollout?.ab;
  if (!policy || manifest?.rollout?.strategy !== 'ab')
    throw new CommandError(
      `no manifest of ${name} with rollout.strategy ab under ${root}`,
      'Add a rollout block with strategy: ab and an ab.metric to the manifest (docs/ab.md).',
    );
  const analysis = analyzeRecordedAb(policy, recorded, name, file, manifest?.canary);
  if (analysis.health === 'not recorded')
    out.stderr('modelgate: serving health not recorded: judged on the product metric alone\n');
  out.stdout(
    format === 'json'
      ? `${inertJson(analysis)}\n`
      : format === 'markdown'
        ? `${renderAbSection(analysis.state, policy)}\n`
        : renderAbText(analysis.state, policy),
  );
  if (analysis.outcome !== 'promote_b')
    out.stderr(`modelgate: the A/B test did not show B better: ${analysis.reason}\n`);
  return analysis.outcome === 'promote_b' ? 0 : 1;
}
