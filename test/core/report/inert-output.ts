import { TempRegistry } from '../../helpers/registry.js';
import { expect } from 'vitest';

/**
 * What an attacker puts in a manifest name, a tagger or a metric: a colour, a
 * terminal hyperlink (OSC 8), a screen clear, a CR/LF followed by a workflow
 * command, a right-to-left override, a one-byte C1 CSI and the runner's older
 * command syntax.
 */
export const HOSTILE =
  'evil\x1b[31m\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b[2J\r\n::error title=x::pwned\u202egnp.exe\u009b2J ##[warning]w';

/** The same, as it reads once made inert for a terminal or a log. */
export const HOSTILE_AS_TEXT =
  'evil\\u001b[31m\\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007\\u001b[2J\\r\\n::error title=x::pwned\\u202egnp.exe\\u009b2J ##\\u005bwarning]w';

/** Control characters a terminal acts on (all but newline and tab), DEL and C1. */
// eslint-disable-next-line no-control-regex
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Bidi marks, embeddings, overrides and isolates: they reorder what a reader sees. */
export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The workflow commands the Actions runner would execute if this were a
 * step's output: it splits lines at CR as well as LF, reads `::name` at the
 * start of a line after whitespace, and `##[name` anywhere in it.
 */
export function workflowCommands(output: string): string[] {
  return output
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

/** Asserts that output printed on a terminal or in a CI log can neither act on the terminal nor on the runner. */
export function expectInert(output: string, ownCommands: readonly string[] = []): void {
  expect(output).not.toMatch(TERMINAL_CONTROL);
  expect(output).not.toMatch(BIDI);
  expect(workflowCommands(output)).toEqual(ownCommands);
}

/** A pull request's manifest whose name is the attack (schema-invalid, so it is reported under its raw name). */
export function registryWithHostileName() {
  const registry = TempRegistry.create();
  registry.writeManifest('models/evil/model.yaml', {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: HOSTILE,
    version: '1.0.0',
    artifacts: {},
  });
  return registry;
}
