import { ARCHITECTURE_FIELDS, type ModelConfig } from '../config/model-config.js';
import { jsonEqual } from '../json-equal.js';
import { allAddedTokens, type ModelFacts } from '../model/facts.js';
import { effectiveTemplate, templateVariables } from '../rules/chat-template.js';
import { highestTokenId, specialToken, stopIds, tokenId } from '../rules/tokens.js';
import { renderCanonical } from '../template/render.js';
import { stableJson } from '../tokenizer/tokenizer-json.js';
import { SPECIAL_ROLES } from '../tokenizer/tokenizer-config.js';
import { behaviourReasons, type BehaviourComparison } from './behaviour-change.js';
import { largerBump, type Bump } from './bump.js';

/** One reason a change needs a bump, tied to the file that changed. */
export interface BumpReason {
  bump: Exclude<Bump, 'none'>;
  file: string;
  reason: string;
}

export interface RequiredBump {
  bump: Bump;
  reasons: BumpReason[];
}

/** Repository path -> sha256 of every file that makes up one model version. */
export type ContentDigests = ReadonlyMap<string, string>;

/**
 * The smallest version bump that honestly describes the change from `base` to
 * `head` (DESIGN.md "SemVer policy"). Every reason names its file. With
 * `behaviour` (both tokenizers measured on the same corpus), the reasons
 * carry the evidence: how many lines encode to other ids, or that none does.
 */
export function requiredBump(
  base: ModelFacts,
  head: ModelFacts,
  digests: { base: ContentDigests; head: ContentDigests },
  behaviour?: BehaviourComparison,
): RequiredBump {
  const reasons: BumpReason[] = [
    ...tokenizerChanges(base, head, digests),
    ...specialTokenChanges(base, head),
    ...configChanges(base, head),
    ...templateChanges(base, head),
    ...stopChanges(base, head),
    ...weightChanges(base, head),
    ...(behaviour ? behaviourReasons(behaviour) : []),
  ];
  const explained = new Set(reasons.map((r) => r.file));
  for (const [path, digest] of digests.head) {
    if (digests.base.get(path) !== digest && !explained.has(path)) {
      reasons.push({
        bump: 'patch',
        file: path,
        reason: digests.base.has(path) ? 'changed (metadata, eval or documentation)' : 'added',
      });
    }
  }
  for (const path of digests.base.keys()) {
    if (!digests.head.has(path) && !explained.has(path))
      reasons.push({ bump: 'patch', file: path, reason: 'no longer part of the model' });
  }
  const bump = reasons.reduce<Bump>((max, r) => largerBump(max, r.bump), 'none');
  return { bump, reasons };
}

function tokenizerChanges(
  base: ModelFacts,
  head: ModelFacts,
  digests: { base: ContentDigests; head: ContentDigests },
): BumpReason[] {
  const before = base.tokenizer;
  const after = head.tokenizer;
  if (!before || !after) return [];
  const file = after.file;
  const reasons: BumpReason[] = [];
  // The same bytes parse to the same model type, pipeline and vocabulary: only added tokens, which
  // other files (tokenizer_config.json) declare too, are left to compare. Most changes leave the
  // tokenizer alone, and walking a 128k vocabulary and its merges twice cost most of a --base run.
  const sameFile =
    digests.base.get(before.file) !== undefined && digests.base.get(before.file) === digests.head.get(file);
  if (!sameFile && (before.format !== after.format || before.modelType !== after.modelType)) {
    reasons.push({
      bump: 'major',
      file,
      reason: `tokenizer changed from ${before.modelType} (${before.format}) to ${after.modelType} (${after.format})`,
    });
  }
  const parts = sameFile ? [] : new Set([...Object.keys(before.pipeline), ...Object.keys(after.pipeline)]);
  for (const part of parts) {
    if (!jsonEqual(before.pipeline[part], after.pipeline[part]))
      reasons.push({ bump: 'major', file, reason: `tokenizer ${part} changed` });
  }

  const moved: string[] = [];
  const removed: string[] = [];
  const check = (token: string, id: number) => {
    const now = tokenId(head, token);
    if (now === undefined) removed.push(token);
    else if (now !== id) moved.push(`${JSON.stringify(token)} ${id} -> ${now}`);
  };
  if (!sameFile) for (const [token, id] of before.vocab.entries()) check(token, id);
  for (const token of allAddedTokens(base)) check(token.content, token.id);
  if (removed.length)
    reasons.push({
      bump: 'major',
      file,
      reason: `${removed.length} token(s) removed: ${sample(removed.map((t) => JSON.stringify(t)))}`,
    });
  if (moved.length)
    reasons.push({
      bump: 'major',
      file,
      reason: `${moved.length} token(s) moved to another id: ${sample(moved)}`,
    });

  // A loop, not Math.max(...ids): hundreds of thousands of added tokens overflow the call stack.
  const oldMax = highestTokenId(base);
  const appended: string[] = [];
  const filled: string[] = [];
  const seen = (token: string) => tokenId(base, token) !== undefined;
  if (!sameFile)
    for (const [token, id] of after.vocab.entries())
      if (!seen(token)) (id > oldMax ? appended : filled).push(token);
  for (const token of allAddedTokens(head))
    if (!seen(token.content)) (token.id > oldMax ? appended : filled).push(token.content);
  if (appended.length)
    reasons.push({
      bump: 'minor',
      file,
      reason: `${unique(appended).length} token(s) appended above id ${oldMax}: ${sample(unique(appended).map((t) => JSON.stringify(t)))}`,
    });
  if (filled.length)
    reasons.push({
      bump: 'minor',
      file,
      reason: `${unique(filled).length} token(s) added at unused ids: ${sample(unique(filled).map((t) => JSON.stringify(t)))}`,
    });
  return reasons;
}

function specialTokenChanges(base: ModelFacts, head: ModelFacts): BumpReason[] {
  const reasons: BumpReason[] = [];
  for (const role of SPECIAL_ROLES) {
    const before = specialToken(base, role)?.content ?? null;
    const after = specialToken(head, role);
    const afterContent = after?.content ?? null;
    const file = after?.source ?? head.paths.tokenizer_config ?? head.tokenizer?.file ?? head.manifestFile;
    if (before !== afterContent) {
      reasons.push({
        bump: 'major',
        file,
        reason: `${role}_token changed from ${JSON.stringify(before)} to ${JSON.stringify(afterContent)}`,
      });
      continue;
    }
    const idBefore = before === null ? undefined : tokenId(base, before);
    const idAfter = afterContent === null ? undefined : tokenId(head, afterContent);
    if (idBefore !== idAfter)
      reasons.push({
        bump: 'major',
        file,
        reason: `${role}_token ${JSON.stringify(before)} changed id from ${idBefore} to ${idAfter}`,
      });
  }
  return reasons;
}

function configChanges(base: ModelFacts, head: ModelFacts): BumpReason[] {
  const before = base.config;
  const after = head.config;
  const reasons: BumpReason[] = [];
  if (before && after) {
    const file = after.file;
    for (const field of ARCHITECTURE_FIELDS) {
      const a = architectureField(before, field);
      const b = architectureField(after, field);
      if (a !== b)
        reasons.push({
          bump: 'major',
          file,
          reason: `${field} changed from ${a ?? 'unset'} to ${b ?? 'unset'}`,
        });
    }
    reasons.push(...sizeChange(file, 'vocab_size', before.vocabSize, after.vocabSize));
    reasons.push(...sizeChange(file, 'max_position_embeddings', before.maxPositions, after.maxPositions));
  }
  const tokenizerConfig = head.paths.tokenizer_config ?? head.tokenizer?.file ?? head.manifestFile;
  reasons.push(
    ...sizeChange(
      tokenizerConfig,
      'model_max_length',
      base.settings.modelMaxLength,
      head.settings.modelMaxLength,
    ),
  );
  return reasons;
}

function architectureField(config: ModelConfig, field: string): string | undefined {
  const value = config.text[field] ?? config.raw[field];
  return value === undefined ? undefined : stableJson(value);
}

function sizeChange(
  file: string,
  field: string,
  before: number | undefined,
  after: number | undefined,
): BumpReason[] {
  if (before === undefined || after === undefined || before === after) return [];
  return after < before
    ? [{ bump: 'major', file, reason: `${field} decreased from ${before} to ${after}` }]
    : [{ bump: 'minor', file, reason: `${field} increased from ${before} to ${after}` }];
}

function templateChanges(base: ModelFacts, head: ModelFacts): BumpReason[] {
  const before = effectiveTemplate(base);
  const after = effectiveTemplate(head);
  if (!before && !after) return [];
  if (!after) return [{ bump: 'major', file: before!.file, reason: 'the chat template was removed' }];
  if (!before) return [{ bump: 'minor', file: after.file, reason: 'a chat template was added' }];
  if (before.text === after.text) return [];
  const renderedBefore = renderCanonical(before.text, templateVariables(base));
  const renderedAfter = renderCanonical(after.text, templateVariables(head));
  if (!renderedBefore.ok || !renderedAfter.ok) {
    return [
      {
        bump: 'major',
        file: after.file,
        reason: 'the chat template changed and could not be rendered to compare',
      },
    ];
  }
  const squash = (text: string) => text.replace(/\s+/g, '');
  if (squash(renderedBefore.text) !== squash(renderedAfter.text)) {
    return [
      {
        bump: 'major',
        file: after.file,
        reason: 'the chat template renders a conversation differently (role markers or special tokens)',
      },
    ];
  }
  return [{ bump: 'patch', file: after.file, reason: 'the chat template changed in whitespace only' }];
}

function stopChanges(base: ModelFacts, head: ModelFacts): BumpReason[] {
  const before = new Set(stopIds(base).ids);
  const after = stopIds(head);
  const added = after.ids.filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.ids.includes(id));
  const file = after.file ?? head.manifestFile;
  const reasons: BumpReason[] = [];
  if (removed.length)
    reasons.push({
      bump: 'major',
      file,
      reason: `stop id(s) ${removed.join(', ')} removed from eos_token_id`,
    });
  if (added.length)
    reasons.push({ bump: 'minor', file, reason: `stop id(s) ${added.join(', ')} added to eos_token_id` });
  return reasons;
}

function weightChanges(base: ModelFacts, head: ModelFacts): BumpReason[] {
  const before = new Set(base.manifest.artifacts.weights.map((w) => w.sha256));
  const after = head.manifest.artifacts.weights.map((w) => w.sha256);
  if (after.length === before.size && after.every((d) => before.has(d))) return [];
  return [{ bump: 'minor', file: head.manifestFile, reason: 'new weights (sha256 changed)' }];
}

const unique = (items: string[]) => [...new Set(items)];

function sample(items: readonly string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ');
}
