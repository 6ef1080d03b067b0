import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import type { BehaviourPlan, TemplateMarker } from '../tokenizer/behaviour-plan.js';
import type { TokenizerBehaviour } from '../tokenizer/behaviour.js';
import { artifactKey } from './added-id.js';
import { finding, preview } from './rule.js';
import { specialId, stopIds } from './tokens.js';

/** Above this share of unknown ids on the corpus, a tokenizer with an unk token is reported. */
const UNK_RATE_LIMIT = 0.01;
/** Examples a finding quotes. */
const EXAMPLES = 3;

/**
 * The behavioural rules, on a tokenizer's measured behaviour (encoded corpus,
 * rendered chat): special strings of the chat template are one id each and
 * the end of turn is a stop id (SPECIAL-RESOLVES, CHAT-STOP), the
 * conversation starts with exactly one BOS (DOUBLE-BOS), byte-level
 * tokenizers decode what they encode (ROUND-TRIP), and unknown tokens stay
 * rare (UNK-RATE). Pure: the measurement is made before.
 */
export function tokenizerBehaviourFindings(
  facts: ModelFacts,
  plan: BehaviourPlan,
  behaviour: TokenizerBehaviour,
): Finding[] {
  return [
    ...markerFindings(facts, plan, behaviour),
    ...bosFindings(facts, plan, behaviour),
    ...roundTripFindings(facts, plan, behaviour),
    ...unknownFindings(facts, plan, behaviour),
  ];
}

/** `[27, 91, 68]` ("<", "|", "e"): ids and their pieces, capped. */
function showIds(ids: readonly number[], behaviour: TokenizerBehaviour, max = 12): string {
  const shown = ids.slice(0, max);
  const more = ids.length > max ? `, … ${ids.length - max} more` : '';
  const pieces = shown.map((id) => JSON.stringify(behaviour.pieces[String(id)] ?? `#${id}`));
  return `[${shown.join(', ')}${more}] (${pieces.join(', ')}${more ? ', …' : ''})`;
}

function markerFindings(facts: ModelFacts, plan: BehaviourPlan, behaviour: TokenizerBehaviour): Finding[] {
  const chat = plan.chat;
  const tokenizer = facts.tokenizer;
  if (!chat || !tokenizer) return [];
  const findings: Finding[] = [];
  chat.markers.forEach((marker, i) => {
    const ids = behaviour.ids[plan.chatAt + 1 + i] ?? [];
    if (ids.length === 1) {
      findings.push(...unknownEndOfTurn(facts, chat.file, marker, ids[0]!));
      return;
    }
    const listedElsewhere = marker.known && !marker.inAddedTokens;
    const why = listedElsewhere
      ? `; it is listed in ${facts.paths.tokenizer_config ?? 'the tokenizer files'} but not in added_tokens of ${tokenizer.file}, and runtimes that read tokenizer.json alone (the tokenizers library, TGI, tokenizers.js) match only those as one token`
      : marker.known
        ? ''
        : `; no file of the model names it as a token`;
    const encodes = `${tokenizer.file} encodes it to ${ids.length} ids ${showIds(ids, behaviour)}`;
    findings.push(
      finding(facts, {
        rule: marker.endOfTurn ? 'CHAT-STOP' : 'SPECIAL-RESOLVES',
        severity: 'error',
        at: artifactKey(facts, chat.file),
        artifact: chat.file,
        message: marker.endOfTurn
          ? `the chat template in ${chat.file} ends assistant turns with ${JSON.stringify(marker.text)}, but ${encodes}${why}: the model never produces it as one token, so generation does not stop at the end of its turn`
          : `the chat template in ${chat.file} writes ${JSON.stringify(marker.text)}, but ${encodes}${why}: the model sees ordinary text where it was trained on one special token`,
        fix: marker.known
          ? `List ${JSON.stringify(marker.text)} in added_tokens of ${tokenizer.file} (with "special": true and the id the model was trained with); regenerate the files with save_pretrained.`
          : `Write the model's own ${marker.endOfTurn ? 'end-of-turn' : 'special'} token in the template, or add ${JSON.stringify(marker.text)} as an added token the model was trained with.`,
      }),
    );
  });
  return findings;
}

/** An end-of-turn string no file names as a token but that happens to be one id must still be a stop id (CHAT-STOP on ids). */
function unknownEndOfTurn(facts: ModelFacts, file: string, marker: TemplateMarker, id: number): Finding[] {
  if (!marker.endOfTurn || marker.known) return [];
  const stop = stopIds(facts);
  if (!stop.file || stop.ids.includes(id)) return [];
  return [
    finding(facts, {
      rule: 'CHAT-STOP',
      severity: 'error',
      at: facts.generation ? 'generation_config' : 'config',
      artifact: stop.file,
      message: `the chat template in ${file} ends assistant turns with ${JSON.stringify(marker.text)} (id ${id}), but eos_token_id in ${stop.file} is [${stop.ids.join(', ')}]: generation runs past the end of the turn`,
      fix: `Add ${id} to eos_token_id in ${stop.file}.`,
    }),
  ];
}

function bosFindings(facts: ModelFacts, plan: BehaviourPlan, behaviour: TokenizerBehaviour): Finding[] {
  const chat = plan.chat;
  const bosId = specialId(facts, 'bos');
  const ids = behaviour.ids[plan.chatAt];
  if (!chat || bosId === undefined || !ids) return [];
  let leading = 0;
  while (ids[leading] === bosId) leading += 1;
  const bos = JSON.stringify(behaviour.pieces[String(bosId)] ?? `#${bosId}`);
  const start = showIds(ids.slice(0, 6), behaviour);
  const at = artifactKey(facts, chat.file);
  if (leading >= 2)
    return [
      finding(facts, {
        rule: 'DOUBLE-BOS',
        severity: 'error',
        at,
        artifact: chat.file,
        message: `the canonical conversation rendered by ${chat.file} starts with ${leading} BOS tokens (${bos}, id ${bosId}) before any special token is added: ${start}`,
        fix: 'Write bos_token once, at the very start of the template.',
      }),
    ];
  if (leading === 0 && behaviour.frame.prefix.includes(bosId))
    return [
      finding(facts, {
        rule: 'DOUBLE-BOS',
        severity: 'warning',
        at,
        artifact: chat.file,
        message: `the canonical conversation rendered by ${chat.file} starts without BOS (${start}), but ${facts.tokenizer?.file} puts ${bos} (id ${bosId}) before every text: apply_chat_template and vLLM encode rendered chats without special tokens, so the model sees chats without the BOS it was trained with`,
        fix: 'Start the template with {{ bos_token }}.',
      }),
    ];
  return [];
}

// Canonically equivalent texts are the same text: an NFC normaliser (Qwen 2.5) is no round-trip failure.
const sameText = (a: string, b: string) => a === b || a.normalize('NFC') === b.normalize('NFC');

function roundTripFindings(facts: ModelFacts, plan: BehaviourPlan, behaviour: TokenizerBehaviour): Finding[] {
  if (!behaviour.byteLevel || !facts.tokenizer) return [];
  // Text around a special token is the pre-tokenizer's business (Llama 2's legacy mode adds a space after one), not the decoder's.
  const special = facts.tokenizer.added.filter((t) => t.special && t.content !== '').map((t) => t.content);
  const broken = plan.corpus.flatMap((entry, i) => {
    const back = behaviour.decoded[i];
    if (back === null || back === undefined || sameText(back, entry.text)) return [];
    return special.some((token) => entry.text.includes(token)) ? [] : [{ entry, back }];
  });
  if (!broken.length) return [];
  const examples = broken
    .slice(0, EXAMPLES)
    .map(
      ({ entry, back }) =>
        `${entry.label} ${JSON.stringify(entry.text)} comes back as ${JSON.stringify(back)}`,
    );
  return [
    finding(facts, {
      rule: 'ROUND-TRIP',
      severity: 'error',
      at: 'tokenizer',
      artifact: facts.tokenizer.file,
      message: `${facts.tokenizer.file} is byte-level but does not decode what it encodes: ${broken.length} of ${plan.corpus.length} corpus lines change, e.g. ${preview(examples, EXAMPLES)}`,
      fix: 'Check the normalizer and decoder of the tokenizer: a byte-level tokenizer gives back every text it encodes (a lowercasing or folding normalizer, or a decoder that drops bytes, breaks this). Regenerate tokenizer.json with the library that trained it.',
    }),
  ];
}

function unknownFindings(facts: ModelFacts, plan: BehaviourPlan, behaviour: TokenizerBehaviour): Finding[] {
  const unk = behaviour.unkId;
  if (unk === undefined || !facts.tokenizer || !plan.corpus.length) return [];
  const unkPiece = behaviour.pieces[String(unk)];
  let total = 0;
  let unknown = 0;
  const lines: string[] = [];
  plan.corpus.forEach((entry, i) => {
    const ids = behaviour.ids[i] ?? [];
    total += ids.length;
    // The unknown token written literally ("<unk>") is that token, not unknown text.
    const literal = unkPiece ? entry.text.split(unkPiece).length - 1 : 0;
    const count = Math.max(0, ids.filter((id) => id === unk).length - literal);
    unknown += count;
    if (count && lines.length < EXAMPLES) lines.push(`${entry.label} ${JSON.stringify(entry.text)}`);
  });
  const rate = total ? unknown / total : 0;
  const byteLevel = behaviour.byteLevel;
  if (unknown === 0 || (!byteLevel && rate <= UNK_RATE_LIMIT)) return [];
  const share = `${unknown} of ${total} ids (${(rate * 100).toFixed(1)}%)`;
  return [
    finding(facts, {
      rule: 'UNK-RATE',
      severity: byteLevel ? 'error' : 'warning',
      at: 'tokenizer',
      artifact: facts.tokenizer.file,
      message: byteLevel
        ? `${facts.tokenizer.file} is byte-level, so no text should be unknown, yet ${share} of the corpus are the unknown token ${JSON.stringify(behaviour.pieces[String(unk)] ?? unk)}: ${preview(lines, EXAMPLES)}`
        : `${share} of the corpus encode to the unknown token ${JSON.stringify(behaviour.pieces[String(unk)] ?? unk)}, more than ${UNK_RATE_LIMIT * 100}%: ${preview(lines, EXAMPLES)}`,
      fix: byteLevel
        ? 'Check model.byte_fallback and the byte tokens (<0x00> … <0xFF>) of the tokenizer: with byte fallback, unknown characters become bytes, never the unknown token.'
        : 'Train the tokenizer on text like the corpus, enable byte fallback, or add the missing characters to the vocabulary.',
    }),
  ];
}
