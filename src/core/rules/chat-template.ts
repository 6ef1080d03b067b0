import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { endOfTurnText, renderCanonical, TEMPLATE_LIMITS, type Rendered } from '../template/render.js';
import { artifactKey } from './added-id.js';
import { finding, type Rule } from './rule.js';
import { specialToken, stopIds, tokenId } from './tokens.js';
import { allAddedTokens } from '../model/facts.js';

const INSTRUCT = /instruct|chat|(^|[-_/])it($|[-_/])|assistant|sft|dpo|rlhf/i;

/** The special strings a template sees as variables. */
export function templateVariables(facts: Pick<ModelFacts, 'tokenizer' | 'settings'>) {
  const content = (role: 'bos' | 'eos' | 'unk' | 'pad') => specialToken(facts, role)?.content ?? undefined;
  return {
    bos_token: content('bos'),
    eos_token: content('eos'),
    unk_token: content('unk'),
    pad_token: content('pad'),
  };
}

/** The template that serving uses: chat_template.jinja wins over tokenizer_config.json (as in transformers). */
export function effectiveTemplate(facts: Pick<ModelFacts, 'chatTemplates'>) {
  return facts.chatTemplates[0];
}

/** TEMPLATE-SRC, CHAT-STOP and DOUBLE-BOS: the chat template is unambiguous, stops, and does not double BOS. */
export const chatTemplate: Rule = (facts) => {
  const findings: Finding[] = [];
  const [first, second] = facts.chatTemplates;
  if (first && second && first.text.trim() !== second.text.trim()) {
    findings.push(
      finding(facts, {
        rule: 'TEMPLATE-SRC',
        severity: 'error',
        at: 'chat_template',
        artifact: second.file,
        message: `the chat template is defined in ${first.file} and differently in ${second.file}: serving stacks disagree on which one wins`,
        fix: `Keep one: delete chat_template from ${second.file}, or make both identical.`,
      }),
    );
  }
  if (!first) {
    const { name, lineage, description } = facts.manifest;
    if ([name, lineage?.base, description].some((text) => text && INSTRUCT.test(text))) {
      findings.push(
        finding(facts, {
          rule: 'TEMPLATE-SRC',
          severity: 'warning',
          at: ['artifacts'],
          message: `${name} looks like an instruct/chat model but has no chat template: clients will format conversations their own way`,
          fix: 'Add artifacts.chat_template (chat_template.jinja) or chat_template in tokenizer_config.json.',
        }),
      );
    }
    return findings;
  }
  const rendered = renderCanonical(first.text, templateVariables(facts));
  if (!rendered.ok) {
    findings.push(
      finding(facts, {
        rule: 'TEMPLATE-SRC',
        severity: 'error',
        at: artifactKey(facts, first.file),
        artifact: first.file,
        message: `the chat template in ${first.file} ${rendered.error}`,
        fix: rendered.limit
          ? `A chat template formats one conversation: remove the loop or data that makes it this large (modelgate renders at most ${TEMPLATE_LIMITS.steps} steps, lists of ${TEMPLATE_LIMITS.items} items and strings of ${TEMPLATE_LIMITS.stringChars} characters).`
          : 'Fix the template; render it with transformers apply_chat_template to check.',
      }),
    );
    return findings;
  }
  findings.push(...chatStop(facts, first.file, rendered), ...doubleBos(facts, first.file, rendered));
  return findings;
};

function chatStop(facts: ModelFacts, file: string, rendered: Extract<Rendered, { ok: true }>): Finding[] {
  const after = endOfTurnText(rendered)?.trimStart();
  if (!after) return [];
  const candidates = allAddedTokens(facts)
    .map((t) => t.content)
    .concat(facts.settings.special.map((s) => s.content ?? '').filter(Boolean));
  const endOfTurn = candidates.filter((c) => after.startsWith(c)).sort((a, b) => b.length - a.length)[0];
  if (!endOfTurn) return [];
  const id = tokenId(facts, endOfTurn);
  const stop = stopIds(facts);
  if (id === undefined || !stop.file || stop.ids.includes(id)) return [];
  return [
    finding(facts, {
      rule: 'CHAT-STOP',
      severity: 'error',
      at: facts.generation ? 'generation_config' : 'config',
      artifact: stop.file,
      message: `the chat template in ${file} ends assistant turns with ${JSON.stringify(endOfTurn)} (id ${id}), but eos_token_id in ${stop.file} is [${stop.ids.join(', ')}]: generation runs past the end of the turn`,
      fix: `Add ${id} to eos_token_id in ${stop.file}.`,
    }),
  ];
}

function doubleBos(facts: ModelFacts, file: string, rendered: Extract<Rendered, { ok: true }>): Finding[] {
  const bos = specialToken(facts, 'bos')?.content;
  if (!bos || !rendered.text.trimStart().startsWith(bos)) return [];
  const tokenizer = facts.tokenizer;
  const { addBosToken, addEosToken } = facts.settings;
  // transformers replaces tokenizer.json's post-processor when tokenizer_config.json sets either flag (add_bos_token defaulting to false).
  const flagged = addBosToken !== undefined || addEosToken !== undefined;
  const adds =
    tokenizer?.format === 'tokenizer.json' && !flagged ? tokenizer.prepends === bos : addBosToken === true;
  if (!adds) return [];
  const by =
    tokenizer?.format === 'tokenizer.json' && !flagged
      ? `the post-processor of ${tokenizer.file}`
      : `add_bos_token in ${facts.paths.tokenizer_config}`;
  return [
    finding(facts, {
      rule: 'DOUBLE-BOS',
      severity: 'warning',
      at: artifactKey(facts, file),
      artifact: file,
      message: `the chat template in ${file} starts with ${JSON.stringify(bos)} and ${by} adds it too: text rendered with the template and then tokenized with special tokens gets two BOS tokens`,
      fix: 'Tokenize rendered chats with add_special_tokens=False, or drop bos_token from the template.',
    }),
  ];
}
