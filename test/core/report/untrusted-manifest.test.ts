import { describe, expect, it } from 'vitest';
import { toJson } from '../../../src/core/report/json.js';
import { toMarkdown } from '../../../src/core/report/markdown.js';
import { toText } from '../../../src/core/report/text.js';
import { runCli } from '../../helpers/cli.js';
import { expectInert, HOSTILE, HOSTILE_AS_TEXT, registryWithHostileName } from './inert-output.js';

describe('a manifest whose name carries escape sequences, CR/LF and a workflow command', () => {
  it('validate prints it on one line, escaped, and the runner sees no command (text)', async () => {
    const registry = registryWithHostileName();
    const { code, stdout, stderr } = await runCli('validate', '--root', registry.root);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain(`✗ ${HOSTILE_AS_TEXT}\n  error MANIFEST-SCHEMA  models/evil/model.yaml: name: `);
    expectInert(stdout);
  });

  it('the markdown report keeps it inside its table cell, escaped (job summary, comments)', async () => {
    const registry = registryWithHostileName();
    const { code, stdout } = await runCli('validate', '--root', registry.root, '--format', 'markdown');
    expect(code).toBe(1);
    expect(stdout).toContain(
      '| ❌ | MANIFEST-SCHEMA | evil\\\\u001b\\[31m\\\\u001b\\]8;;https://evil.example\\\\u0007link\\\\u001b\\]8;;\\\\u0007\\\\u001b\\[2J ::error title=x::pwned\\\\u202egnp.exe\\\\u009b2J \\#\\#\\[warning\\]w | `models/evil/model.yaml:3` |',
    );
    expectInert(stdout);
  });

  it('the JSON report carries the exact name, encoded so a terminal or the runner reads nothing into it', async () => {
    const registry = registryWithHostileName();
    const { code, stdout } = await runCli('validate', '--root', registry.root, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: { rule: string; model: string }[] };
    expect(report.findings.find((f) => f.rule === 'MANIFEST-SCHEMA')?.model).toBe(HOSTILE);
    expectInert(stdout);
  });

  it('every report format of the same validation is inert', async () => {
    const report = await registryWithHostileName().validate();
    for (const output of [toText(report), toMarkdown(report), toJson(report)]) expectInert(output);
  });
});
