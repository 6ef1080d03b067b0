import type { Finding, RuleId, Severity } from '../findings.js';
import type { YamlPath } from '../manifest/parse.js';
import type { ModelFacts } from '../model/facts.js';

/** A compatibility rule: facts about one model in, findings out. Pure and synchronous. */
export type Rule = (facts: ModelFacts) => Finding[];

/** What a rule says, before it is anchored on a manifest line. */
export interface Report {
  rule: RuleId;
  severity: Severity;
  /** Manifest key the finding is annotated on: an artifact key ("config") or a YAML path. */
  at: string | YamlPath;
  message: string;
  fix?: string;
  artifact?: string;
}

/** Anchors a report on the manifest line of the artifact or key it is about. */
export function finding(facts: ModelFacts, report: Report): Finding {
  const path = typeof report.at === 'string' ? ['artifacts', report.at] : report.at;
  const { at: _at, ...rest } = report;
  return { ...rest, model: facts.name, file: facts.manifestFile, line: facts.lineOf(path) };
}

/** Formats a list of values for a message, capped. */
export function preview(items: readonly unknown[], max = 5): string {
  const shown = items.slice(0, max).map(String);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}
