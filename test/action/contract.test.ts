// The Action's public contract: action.yml is what workflows see, src/action/inputs.ts is what
// the code reads and sets. They are one list written twice, so this file holds them together
// (as github/branch-deploy's tests do): a name added, renamed or dropped on one side only fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, INPUTS, OUTPUTS } from '../../src/action/inputs.js';
import { runAction } from '../helpers/action.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface ActionYml {
  inputs: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
  outputs: Record<string, { description?: unknown }>;
  runs: { using: string; main: string };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

/** Every TypeScript source under src/, parsed (not compiled): the code that can read inputs or set outputs. */
const sources = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => {
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    return { file: relative(ROOT, path), ast: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true) };
  });

const READERS = new Set(['getInput', 'getBooleanInput', 'getMultilineInput']);

interface IoCall {
  kind: 'input' | 'output';
  file: string;
  line: number;
  /** The expression naming the input or output: `INPUTS.root`, a parameter, or a literal. */
  name: ts.Expression;
}

/** One pass over the sources: every input read and output set, and every `INPUTS.key` / `OUTPUTS.key` named. */
function scan() {
  const calls: IoCall[] = [];
  const named = { INPUTS: new Set<string>(), OUTPUTS: new Set<string>() };
  for (const { file, ast } of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0]) {
        const method = node.expression.name.text;
        const kind = READERS.has(method) ? 'input' : method === 'setOutput' ? 'output' : undefined;
        const line = ast.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (kind) calls.push({ kind, file, line, name: node.arguments[0] });
      }
      if (
        ts.isPropertyAccessExpression(node) &&
        ts.isIdentifier(node.expression) &&
        (node.expression.text === 'INPUTS' || node.expression.text === 'OUTPUTS')
      ) {
        // An output counts as set only where it is the name given to setOutput.
        const call = node.parent;
        const setsOutput =
          ts.isCallExpression(call) &&
          ts.isPropertyAccessExpression(call.expression) &&
          call.expression.name.text === 'setOutput';
        if (node.expression.text === 'INPUTS' || setsOutput) named[node.expression.text].add(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
  }
  return { calls, named };
}
const scanned = scan();

describe("action.yml and the code's registry of inputs and outputs (src/action/inputs.ts) agree", () => {
  it('every input action.yml declares is in INPUTS, and every input in INPUTS is declared', () => {
    const declared = Object.keys(action.inputs);
    const registered: string[] = Object.values(INPUTS);
    expect({
      'declared in action.yml, missing from INPUTS': declared.filter((name) => !registered.includes(name)),
      'in INPUTS, missing from action.yml': registered.filter((name) => !declared.includes(name)),
    }).toEqual({
      'declared in action.yml, missing from INPUTS': [],
      'in INPUTS, missing from action.yml': [],
    });
  });

  it('every output action.yml declares is in OUTPUTS, and every output in OUTPUTS is declared', () => {
    const declared = Object.keys(action.outputs);
    const registered: string[] = Object.values(OUTPUTS);
    expect({
      'declared in action.yml, missing from OUTPUTS': declared.filter((name) => !registered.includes(name)),
      'in OUTPUTS, missing from action.yml': registered.filter((name) => !declared.includes(name)),
    }).toEqual({
      'declared in action.yml, missing from OUTPUTS': [],
      'in OUTPUTS, missing from action.yml': [],
    });
  });

  it('no input is read and no output is set by a name written outside the registry', () => {
    const literal = (name: ts.Expression) =>
      ts.isStringLiteralLike(name) || ts.isTemplateExpression(name) || ts.isBinaryExpression(name);
    const offending = scanned.calls
      .filter((call) => literal(call.name))
      .map((call) => `${call.file}:${call.line} ${call.name.getText()}`);
    expect(offending).toEqual([]);
    // The runner's INPUT_* variables are @actions/core's business, not read around it.
    const raw = sources.filter(({ ast }) => /\bINPUT_[A-Z]/.test(ast.text)).map(({ file }) => file);
    expect(raw).toEqual([]);
  });

  it('every registered input is read somewhere, and every registered output is set somewhere', () => {
    expect(Object.keys(INPUTS).filter((key) => !scanned.named.INPUTS.has(key))).toEqual([]);
    expect(Object.keys(OUTPUTS).filter((key) => !scanned.named.OUTPUTS.has(key))).toEqual([]);
  });

  it('every input and output says what it is; inputs have string defaults, as the runner passes them', () => {
    const problems: string[] = [];
    for (const [name, input] of Object.entries(action.inputs)) {
      if (typeof input.description !== 'string' || input.description.trim() === '')
        problems.push(`input ${name}: no description`);
      if (input.required !== undefined && typeof input.required !== 'boolean')
        problems.push(`input ${name}: required must be true or false`);
      // `default: false` unquoted is a YAML boolean; the runner hands every input over as text.
      if (input.default !== undefined && typeof input.default !== 'string')
        problems.push(`input ${name}: default ${JSON.stringify(input.default)} must be quoted`);
    }
    for (const [name, output] of Object.entries(action.outputs))
      if (typeof output.description !== 'string' || output.description.trim() === '')
        problems.push(`output ${name}: no description`);
    expect(problems).toEqual([]);
  });

  it("the command input's description and default name commands the code accepts, all of them", () => {
    const command = action.inputs[INPUTS.command]!;
    expect(COMMANDS).toContain(command.default);
    expect(COMMANDS.filter((name) => !String(command.description).includes(name))).toEqual([]);
  });

  it('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it('the bundle, run as the runner runs it, sets only outputs that action.yml declares', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const run = await runAction(registry.root, { [INPUTS.command]: 'validate', [INPUTS.root]: '.' });
    expect(run.status).toBe(0);
    const written = Object.keys(run.outputs);
    expect(written.sort()).toEqual(
      [OUTPUTS.errorCount, OUTPUTS.errors, OUTPUTS.findingsJson, OUTPUTS.requiredBump].sort(),
    );
    expect(written.filter((name) => !(name in action.outputs))).toEqual([]);
  });
});
