import type { ModelFacts, TensorLocation } from '../model/facts.js';
import { finding, type Rule } from './rule.js';

const EMBEDDING = /(^|\.)(embed_tokens|wte|word_embeddings|tok_embeddings|embed_in)\.weight$/;
const LM_HEAD = /(^|\.)(lm_head|embed_out)\.weight$/;

/** The input embedding and lm_head tensors of the weights headers that could be read. */
export function embeddingTensors(facts: Pick<ModelFacts, 'tensors'>): [string, TensorLocation][] {
  return [...(facts.tensors ?? [])].filter(([name]) => EMBEDDING.test(name) || LM_HEAD.test(name));
}

/** EMBED-SHAPE: the input embedding and lm_head are [vocab_size, hidden_size]. TIED: untied models ship an lm_head. */
export const embedShape: Rule = (facts) => {
  const { config, tensors } = facts;
  if (!config || !tensors) return [];
  const findings = [];
  const { vocabSize, hiddenSize } = config;
  const check = (name: string, tensor: TensorLocation) => {
    const [rows, cols] = tensor.shape;
    const rowsOk = vocabSize === undefined || rows === vocabSize;
    const colsOk = hiddenSize === undefined || cols === hiddenSize;
    if (tensor.shape.length === 2 && rowsOk && colsOk) return;
    findings.push(
      finding(facts, {
        rule: 'EMBED-SHAPE',
        severity: 'error',
        at: 'config',
        artifact: tensor.file,
        message: `${name} in ${tensor.file} has shape [${tensor.shape.join(', ')}], but ${config.file} says [vocab_size ${vocabSize ?? '?'}, hidden_size ${hiddenSize ?? '?'}]`,
        fix: 'Make config.json describe these weights (or export the weights that match it).',
      }),
    );
  };
  let lmHead = false;
  for (const [name, tensor] of tensors) {
    if (EMBEDDING.test(name)) check(name, tensor);
    else if (LM_HEAD.test(name)) {
      lmHead = true;
      check(name, tensor);
    }
  }
  if (!config.tieWordEmbeddings && !lmHead) {
    findings.push(
      finding(facts, {
        rule: 'TIED',
        severity: 'error',
        at: 'config',
        artifact: config.file,
        message: `${config.file} sets tie_word_embeddings: false, but no lm_head tensor is in the weights: the output layer would be randomly initialised`,
        fix: 'Export lm_head.weight with the weights, or set tie_word_embeddings: true if the model really shares them.',
      }),
    );
  }
  return findings;
};
