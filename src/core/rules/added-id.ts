import type { Finding } from '../findings.js';
import { allAddedTokens } from '../model/facts.js';
import { finding, preview, type Rule } from './rule.js';

/** ADDED-ID: the files that declare added tokens agree, and no added token takes another token's id or string. */
export const addedId: Rule = (facts) => {
  const added = allAddedTokens(facts);
  if (!added.length) return [];
  const findings: Finding[] = [];
  const report = (message: string, fix: string, artifact: string) =>
    findings.push(
      finding(facts, {
        rule: 'ADDED-ID',
        severity: 'error',
        at: artifactKey(facts, artifact),
        artifact,
        message,
        fix,
      }),
    );

  const byId = new Map<number, { content: string; source: string }>();
  const byContent = new Map<string, { id: number; source: string }>();
  const idConflicts: string[] = [];
  const contentConflicts: string[] = [];
  for (const token of added) {
    const sameId = byId.get(token.id);
    if (sameId && sameId.content !== token.content) {
      idConflicts.push(
        `id ${token.id} is ${JSON.stringify(sameId.content)} in ${sameId.source} but ${JSON.stringify(token.content)} in ${token.source}`,
      );
    } else byId.set(token.id, { content: token.content, source: token.source });
    const sameContent = byContent.get(token.content);
    if (sameContent && sameContent.id !== token.id) {
      contentConflicts.push(
        `${JSON.stringify(token.content)} is ${sameContent.id} in ${sameContent.source} but ${token.id} in ${token.source}`,
      );
    } else byContent.set(token.content, { id: token.id, source: token.source });
  }
  const sourceOf = (text: string) => /in (\S+)$/.exec(text)?.[1] ?? facts.manifestFile;
  if (idConflicts.length)
    report(
      `added tokens disagree: ${preview(idConflicts, 3)}`,
      'Regenerate the tokenizer files together (save_pretrained) so every file lists the same added tokens.',
      sourceOf(idConflicts[0]!),
    );
  if (contentConflicts.length)
    report(
      `added tokens disagree: ${preview(contentConflicts, 3)}`,
      'Regenerate the tokenizer files together (save_pretrained) so every file lists the same added tokens.',
      sourceOf(contentConflicts[0]!),
    );

  const vocab = facts.tokenizer?.vocab;
  if (vocab) {
    const collisions: string[] = [];
    for (const [id, { content, source }] of byId) {
      const atId = vocab.tokenAt(id);
      const idOfContent = vocab.idOf(content);
      if (atId !== undefined && atId !== content)
        collisions.push(
          `${JSON.stringify(content)} (${source}) takes id ${id}, which the vocabulary gives to ${JSON.stringify(atId)}`,
        );
      else if (idOfContent !== undefined && idOfContent !== id)
        collisions.push(
          `${JSON.stringify(content)} (${source}) is id ${id}, but the vocabulary has it as ${idOfContent}`,
        );
    }
    if (collisions.length) {
      report(
        `added tokens collide with the vocabulary of ${facts.tokenizer!.file}: ${preview(collisions, 3)}`,
        'Give added tokens ids above the vocabulary, or reuse the vocabulary entry and its id.',
        facts.tokenizer!.file,
      );
    }
  }
  return findings;
};

/** The manifest key whose file is `path`, so the annotation lands on the right line. */
export function artifactKey(facts: { paths: Partial<Record<string, string>> }, path: string): string {
  return Object.entries(facts.paths).find(([, p]) => p === path)?.[0] ?? 'tokenizer';
}
