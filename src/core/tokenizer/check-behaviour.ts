import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { artifactKey } from '../rules/added-id.js';
import { finding } from '../rules/rule.js';
import { tokenizerBehaviourFindings } from '../rules/tokenizer-behaviour.js';
import type { BehaviourComparison } from '../semver/behaviour-change.js';
import type { ContentDigests } from '../semver/required-bump.js';
import type { ArtifactSource } from '../source.js';
import { behaviourPlan, chatSample, corpusFor, doubtfulMarkers } from './behaviour-plan.js';
import { measureBehaviour, type BehaviourCache, type Measured, type TokenizerRunner } from './behaviour.js';

/** When validation encodes a model's tokenizer: see ValidateOptions.tokenizerBehaviour. */
export type TokenizerBehaviourMode = 'changed' | 'always';

/** One model version to check, where its files are read from, and (with a base) its content digests. */
export interface VersionAt {
  facts: ModelFacts;
  source: ArtifactSource;
  digests?: ContentDigests;
}

export interface TokenizerCheckInputs {
  mode: TokenizerBehaviourMode;
  head: VersionAt;
  /** The base version, 'new' when the model did not exist at the base, absent without a base. */
  base?: VersionAt | 'new';
  cache: BehaviourCache;
  /** Where tokenizers run, bounded in time and memory (src/io/tokenizer-sandbox.ts). */
  runner: TokenizerRunner;
  progress?: (message: string) => void;
}

/** Manifest keys of the files that decide how text becomes ids, and how a conversation is written. */
const TOKENIZER_KEYS = ['tokenizer', 'tokenizer_config', 'special_tokens_map', 'added_tokens'] as const;
const BEHAVIOUR_KEYS = [...TOKENIZER_KEYS, 'chat_template', 'tokenizer_corpus'] as const;

/**
 * Decides whether a model's tokenizer must be encoded, encodes it (and the
 * base version's, to compare), and returns the behavioural findings and the
 * evidence for the SemVer check. Cost is paid only where it buys something:
 * - a chat template special string that tokenizer.json's added tokens do not
 *   list is encoded to see how many ids it becomes (the table answers the
 *   usual case for free);
 * - the corpus rules run for a tokenizer or template the base comparison
 *   finds changed (or a new model), for a model that declares its own
 *   corpus, and for every model in 'always' mode.
 * Only tokenizer.json files are encoded; other formats keep the structural rules.
 */
export async function checkTokenizerBehaviour(
  inputs: TokenizerCheckInputs,
): Promise<{ findings: Finding[]; comparison?: BehaviourComparison }> {
  const { head, base, cache, runner } = inputs;
  const facts = head.facts;
  if (facts.tokenizer?.format !== 'tokenizer.json') return { findings: [] };
  const changed = base === 'new' || (base !== undefined && behaviourChanged(head, base));
  const wantCorpus = inputs.mode === 'always' || facts.tokenizerCorpus !== undefined || changed;
  const doubtful = doubtfulMarkers(chatSample(facts)).length > 0;
  if (!wantCorpus && !doubtful) return { findings: [] };

  const baseVersion = base !== undefined && base !== 'new' ? base : undefined;
  const corpus = wantCorpus ? corpusFor(facts, baseVersion?.facts) : [];
  const plan = behaviourPlan(facts, corpus);
  inputs.progress?.(`encoding ${plan.texts.length} texts with the tokenizer of ${facts.name}`);
  const measured = await measureBehaviour(head.source, facts, plan.texts, runner, cache);
  if (!measured.ok)
    return {
      findings: [unmeasured(facts, measured)],
      ...comparisonFailure(facts, baseVersion, changed, measured.problem),
    };
  const findings = tokenizerBehaviourFindings(facts, plan, measured.behaviour);
  if (!baseVersion || !changed || baseVersion.facts.tokenizer?.format !== 'tokenizer.json')
    return { findings };

  const basePlan = behaviourPlan(baseVersion.facts, corpus);
  inputs.progress?.(`encoding ${basePlan.texts.length} texts with the base tokenizer of ${facts.name}`);
  const baseMeasured = await measureBehaviour(
    baseVersion.source,
    baseVersion.facts,
    basePlan.texts,
    runner,
    cache,
  );
  if (!baseMeasured.ok)
    return { findings, ...comparisonFailure(facts, baseVersion, changed, baseMeasured.problem) };
  const file = changedTokenizerFile(head, baseVersion);
  return {
    findings,
    comparison: {
      base: { plan: basePlan, behaviour: baseMeasured.behaviour },
      head: { plan, behaviour: measured.behaviour },
      file: file ?? facts.tokenizer.file,
      fileChanged: file !== undefined,
    },
  };
}

/** Whether any file that decides encoding or the conversation differs from the base (by content digest). */
function behaviourChanged(head: VersionAt, base: VersionAt): boolean {
  return BEHAVIOUR_KEYS.some((key) => {
    const now = head.facts.paths[key];
    const before = base.facts.paths[key];
    if (now === undefined || before === undefined) return now !== before;
    return now !== before || head.digests?.get(now) !== base.digests?.get(before);
  });
}

/** The first tokenizer file whose content changed (tokenizer.json before tokenizer_config.json …). */
function changedTokenizerFile(head: VersionAt, base: VersionAt): string | undefined {
  for (const key of TOKENIZER_KEYS) {
    const now = head.facts.paths[key];
    const before = base.facts.paths[key];
    if (now === undefined && before === undefined) continue;
    if (
      now === undefined ||
      before === undefined ||
      now !== before ||
      head.digests?.get(now) !== base.digests?.get(before)
    )
      return now ?? before;
  }
  return undefined;
}

function comparisonFailure(
  facts: ModelFacts,
  base: VersionAt | undefined,
  changed: boolean,
  problem: string,
): { comparison?: BehaviourComparison } {
  if (!base || !changed) return {};
  return { comparison: { file: facts.tokenizer?.file ?? facts.manifestFile, unmeasured: problem } };
}

/**
 * Behaviour that was wanted and could not be measured is an error: the rules
 * it carries (CHAT-STOP, SPECIAL-RESOLVES, DOUBLE-BOS, ROUND-TRIP, UNK-RATE)
 * did not run, so a tokenizer that cannot be run on its corpus and template
 * (one that backtracks on a line the same change adds, or that the library
 * refuses) would otherwise pass with its errors unseen.
 */
function unmeasured(facts: ModelFacts, failure: Extract<Measured, { ok: false }>): Finding {
  const file = facts.tokenizer!.file;
  return finding(facts, {
    rule: 'ARTIFACT-INVALID',
    severity: 'error',
    at: artifactKey(facts, file),
    artifact: file,
    message: `the behaviour of ${file} was not checked (corpus and chat template encoding): ${failure.problem}`,
    fix:
      failure.fix ??
      'Check that the tokenizer loads with the tokenizers library (Tokenizer.from_file); modelgate runs tokenizer.json with @huggingface/tokenizers.',
  });
}
