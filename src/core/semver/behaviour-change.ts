import type { BehaviourPlan } from '../tokenizer/behaviour-plan.js';
import type { TokenizerBehaviour } from '../tokenizer/behaviour.js';
import type { BumpReason } from './required-bump.js';

/**
 * Both versions' tokenizers measured on the same corpus, and the file a
 * difference is charged to; or, when either could not be measured, why.
 */
export type BehaviourComparison = MeasuredComparison | { file: string; unmeasured: string };

/** Both versions measured. */
export interface MeasuredComparison {
  base: { plan: BehaviourPlan; behaviour: TokenizerBehaviour };
  head: { plan: BehaviourPlan; behaviour: TokenizerBehaviour };
  /** The tokenizer file that changed (tokenizer.json first, else tokenizer_config.json …). */
  file: string;
  /** Whether `file` itself changed, so that "encodes identically" can be said of it. */
  fileChanged: boolean;
}

const EXAMPLES = 3;
/** Ids shown on each side of the first difference. */
const WINDOW = 4;

/**
 * The evidence of a tokenizer change: every corpus line encoded with both
 * versions, as `tokenizer(text)` encodes it (special tokens included, so a
 * flipped add_bos_token shows). Lines whose ids differ are ids that moved:
 * a major change (DESIGN.md, SemVer policy), reported with the first
 * examples side by side. A changed file that encodes every line the same is
 * said to do so (a re-serialisation). The canonical conversation is compared
 * as apply_chat_template encodes it.
 */
export function behaviourReasons(comparison: BehaviourComparison): BumpReason[] {
  if ('unmeasured' in comparison)
    return [
      {
        bump: 'major',
        file: comparison.file,
        reason: `the tokenizer or chat template changed and the change could not be measured: ${comparison.unmeasured}`,
      },
    ];
  const { base, head, file } = comparison;
  const framed = (side: typeof base, i: number) => [
    ...side.behaviour.frame.prefix,
    ...(side.behaviour.ids[i] ?? []),
    ...side.behaviour.frame.suffix,
  ];
  const count = Math.min(base.plan.corpus.length, head.plan.corpus.length);
  const changed: string[] = [];
  let changedLines = 0;
  for (let i = 0; i < count; i++) {
    const before = framed(base, i);
    const after = framed(head, i);
    if (sameIds(before, after)) continue;
    changedLines += 1;
    if (changed.length < EXAMPLES) {
      const entry = head.plan.corpus[i]!;
      changed.push(
        `${entry.label} ${JSON.stringify(entry.text)}: ${sideBySide(before, after, base.behaviour, head.behaviour)}`,
      );
    }
  }
  const reasons: BumpReason[] = [];
  if (changedLines)
    reasons.push({
      bump: 'major',
      file,
      reason: `${changedLines} of ${count} corpus lines encode to different ids (ids moved), e.g. ${changed.join('; ')}`,
    });
  else if (comparison.fileChanged)
    reasons.push({
      bump: 'patch',
      file,
      reason: `changed, but all ${count} corpus lines encode to the same ids (a re-serialisation)`,
    });

  if (base.plan.chat && head.plan.chat) {
    const before = base.behaviour.ids[base.plan.chatAt] ?? [];
    const after = head.behaviour.ids[head.plan.chatAt] ?? [];
    if (!sameIds(before, after))
      reasons.push({
        bump: 'patch',
        file: head.plan.chat.file,
        reason: `the canonical conversation encodes to ${after.length} ids (was ${before.length}): ${sideBySide(before, after, base.behaviour, head.behaviour)}`,
      });
  }
  return reasons;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** `[… 40, 41] -> [… 40, 99]` around the first difference, with the pieces. */
function sideBySide(
  before: readonly number[],
  after: readonly number[],
  beforeBehaviour: TokenizerBehaviour,
  afterBehaviour: TokenizerBehaviour,
): string {
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first += 1;
  const from = Math.max(0, first - WINDOW);
  const show = (ids: readonly number[], behaviour: TokenizerBehaviour) => {
    const slice = ids.slice(from, first + WINDOW);
    const head = from > 0 ? '… ' : '';
    const tail = first + WINDOW < ids.length ? ' …' : '';
    const pieces = slice.map((id) => JSON.stringify(behaviour.pieces[String(id)] ?? `#${id}`)).join(' ');
    return `[${head}${slice.join(', ')}${tail}] (${pieces})`;
  };
  return `${show(before, beforeBehaviour)} -> ${show(after, afterBehaviour)}`;
}
