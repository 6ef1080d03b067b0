import { afterEach, describe, expect, it, vi } from 'vitest';
import { annotate } from '../../src/action/annotate.js';
import {
  BIDI,
  expectInert,
  registryWithHostileName,
  TERMINAL_CONTROL,
  workflowCommands,
} from '../core/report/inert-output.js';

/** The workflow commands @actions/core writes to the step's stdout while `run` runs. */
function commandsWritten(run: () => void): string {
  let written = '';
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((written += chunk.toString()), true));
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return written;
}

/** A workflow command as the runner reads it: name, properties and data, unescaped. */
function parseCommand(line: string) {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart());
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const properties = Object.fromEntries(
    (match[2] ?? '').split(',').map((pair) => {
      const [key = '', value = ''] = pair.split(/=(.*)/s);
      return [key, unescape(value)];
    }),
  );
  return { name: match[1], properties, data: unescape(match[3]!) };
}

afterEach(() => vi.restoreAllMocks());

describe('annotations of a manifest whose name is an attack', () => {
  it('are one command per finding, and their title and message show nothing a terminal or the log acts on', async () => {
    const registry = registryWithHostileName();
    const report = await registry.validate();
    expect(report.findings.length).toBeGreaterThan(0);

    const written = commandsWritten(() => annotate(report.findings, registry.root));

    // Only modelgate's own commands, one per finding, each on its own line.
    const commands = workflowCommands(written);
    expect(commands).toHaveLength(report.findings.length);
    expectInert(written, commands);
    for (const command of commands.map(parseCommand)) {
      expect(command.name).toBe('error');
      const shown = [command.properties.title, command.properties.file, command.data].join('\n');
      expect(shown).not.toMatch(TERMINAL_CONTROL);
      expect(shown).not.toMatch(BIDI);
      expect(command.data.split('\n')).toHaveLength(2); // the message, then the fix
      expect(command.properties.title).toBe(
        'MANIFEST-SCHEMA (evil\\u001b[31m\\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007\\u001b[2J\\r\\n::error title=x::pwned\\u202egnp.exe\\u009b2J ##\\u005bwarning]w)',
      );
    }
  });
});
