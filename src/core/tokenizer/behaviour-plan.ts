import { allAddedTokens, type ModelFacts } from '../model/facts.js';
import { effectiveTemplate, templateVariables } from '../rules/chat-template.js';
import { endOfTurnText, renderCanonical } from '../template/render.js';
import { REFERENCE_CORPUS } from './corpus.js';

/** A text the corpus rules judge, and how a report names it. */
export interface CorpusEntry {
  text: string;
  /** "reference line 12 (cjk)", "eos_token", "models/m/corpus.txt:3". */
  label: string;
}

/** A special string the chat template writes, and whether it ends the assistant's turn. */
export interface TemplateMarker {
  text: string;
  endOfTurn: boolean;
  /** Listed in tokenizer.json's added_tokens: every runtime matches it as one token before anything else. */
  inAddedTokens: boolean;
  /** Named as a token in any of the model's files (added tokens, special tokens). */
  known: boolean;
}

/** The chat template's canonical conversation and the special strings in it. */
export interface ChatSample {
  file: string;
  rendered: string;
  markers: TemplateMarker[];
}

/** The texts one measurement encodes, and where each part sits in the list. */
export interface BehaviourPlan {
  texts: string[];
  corpus: CorpusEntry[];
  chat?: ChatSample;
  /** Index of the rendered conversation in `texts`; the markers follow it. */
  chatAt: number;
}

// Markers that look like a chat template's own tokens: <|eot_id|>, <end_of_turn>, [/INST], <｜end▁of▁sentence｜>.
const MARKER_SHAPE = /^(<[^<>\s]{1,64}>|\[[^[\]\s]{1,64}\])/;

/**
 * The special strings the effective chat template writes in the canonical
 * conversation: every declared special token and special added token that
 * occurs in the render, and the marker right after the assistant's reply
 * (the end of turn), known to the tokenizer or not. Cheap: a render and a
 * scan, no tokenizer.
 */
export function chatSample(facts: ModelFacts): ChatSample | undefined {
  const template = effectiveTemplate(facts);
  if (!template) return undefined;
  const rendered = renderCanonical(template.text, templateVariables(facts));
  if (!rendered.ok) return undefined;
  const table = new Set(
    facts.tokenizer?.format === 'tokenizer.json' ? facts.tokenizer.added.map((t) => t.content) : [],
  );
  const special = new Set<string>();
  for (const token of allAddedTokens(facts)) if (token.special) special.add(token.content);
  for (const declared of facts.settings.special) if (declared.content) special.add(declared.content);
  const written = [...special].filter((s) => s !== '' && rendered.text.includes(s));

  const after = endOfTurnText(rendered)?.trimStart() ?? '';
  const knownEnd = written.filter((s) => after.startsWith(s)).sort((a, b) => b.length - a.length)[0];
  const endOfTurn = knownEnd ?? MARKER_SHAPE.exec(after)?.[0];
  const markers = written.map((text) => ({
    text,
    endOfTurn: text === endOfTurn,
    inAddedTokens: table.has(text),
    known: true,
  }));
  if (endOfTurn !== undefined && !written.includes(endOfTurn)) {
    const known = allAddedTokens(facts).some((t) => t.content === endOfTurn);
    markers.push({ text: endOfTurn, endOfTurn: true, inAddedTokens: table.has(endOfTurn), known });
  }
  return { file: template.file, rendered: rendered.text, markers };
}

/** Markers a table lookup cannot vouch for: only encoding them tells how many ids they become. */
export function doubtfulMarkers(sample: ChatSample | undefined): TemplateMarker[] {
  return sample?.markers.filter((m) => !m.inAddedTokens) ?? [];
}

/**
 * The corpus one model version is judged on: the reference corpus, the
 * special-token strings of the model (and of `other`, so two versions encode
 * the same texts), the markers their templates write, and the repository's
 * own corpus.
 */
export function corpusFor(facts: ModelFacts, other?: ModelFacts): CorpusEntry[] {
  const entries: CorpusEntry[] = REFERENCE_CORPUS.map((line, i) => ({
    text: line.text,
    label: `reference line ${i + 1} (${line.kind})`,
  }));
  const seen = new Set<string>();
  const add = (text: string, label: string) => {
    if (text === '' || seen.has(text)) return;
    seen.add(text);
    entries.push({ text, label });
  };
  for (const model of other ? [facts, other] : [facts]) {
    for (const declared of model.settings.special)
      if (declared.content) add(declared.content, `${declared.role}_token`);
    for (const marker of chatSample(model)?.markers ?? [])
      add(marker.text, 'a special string the chat template writes');
  }
  for (const { line, text } of facts.tokenizerCorpus?.lines ?? [])
    entries.push({ text, label: `${facts.tokenizerCorpus!.file}:${line}` });
  return entries;
}

/** The texts to encode: the corpus (may be empty), then the chat render and its markers. */
export function behaviourPlan(facts: ModelFacts, corpus: CorpusEntry[]): BehaviourPlan {
  const chat = chatSample(facts);
  const texts = corpus.map((e) => e.text);
  const chatAt = texts.length;
  if (chat) texts.push(chat.rendered, ...chat.markers.map((m) => m.text));
  return { texts, corpus, ...(chat ? { chat } : {}), chatAt };
}
