import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { registryTemplate, type TempRegistry } from './registry.js';

/** The example registry's BERT ticket router (examples/registry): a real vocab.txt, checked in seconds. */
const TICKET_ROUTER = join(
  import.meta.dirname,
  '..',
  '..',
  'examples',
  'registry',
  'models',
  'ticket-router',
);
export const ROUTER = 'models/ticket-router/model.yaml';
export const OTHER = 'models/other/model.yaml';

/**
 * Writes a version of ticket-router whose recorded samples answer `correct`
 * of 400 documents right, judged by a drop gate (at most 2 points below the
 * baseline, higher is better).
 */
export function writeRouterVersion(registry: TempRegistry, version: string, correct: number): void {
  const manifest = parse(registry.read(ROUTER)) as Record<string, unknown>;
  manifest.version = version;
  manifest.eval = {
    results: [{ path: 'evals/samples.jsonl' }],
    gates: [{ metric: 'acc', max_drop: 0.02, higher_is_better: true }],
  };
  registry.write(ROUTER, stringify(manifest));
  registry.write(
    'models/ticket-router/evals/samples.jsonl',
    Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: i, acc: i < correct ? 1 : 0 })).join('\n') +
      '\n',
  );
}

/**
 * The registry of the security review's scenario, built once by the returned
 * function (call this at the top of a test file: a template shared between
 * files would outlive the file that built it, whose cleanup removes it):
 * production holds ticket-router 1.1.0 (90 % right); 1.2.0 (50 %) failed its
 * canary and still holds `canary`. A second model, `other`, sits next to it.
 * Branch `pr` is checked out at the base commit, which `built` returns.
 */
export const stagedRegistryTemplate = () =>
  registryTemplate((registry) => {
    cpSync(TICKET_ROUTER, join(registry.root, 'models/ticket-router'), { recursive: true });
    cpSync(TICKET_ROUTER, join(registry.root, 'models/other'), { recursive: true });
    const other = parse(registry.read(OTHER)) as Record<string, unknown>;
    registry.write(OTHER, stringify({ ...other, name: 'other' }));
    writeRouterVersion(registry, '1.1.0', 360);
    registry.commit('ticket-router 1.1.0');
    // Tags are ordered by their dates: one minute apart.
    let date = 1_700_000_000;
    const tag = (name: string) => registry.tag(name, { date: (date += 60) });
    tag('ticket-router@v1.1.0');
    tag('ticket-router#canary#1');
    tag('ticket-router#production#2');
    writeRouterVersion(registry, '1.2.0', 200);
    const base = registry.commit('ticket-router 1.2.0');
    tag('ticket-router@v1.2.0');
    tag('ticket-router#canary#3');
    registry.git('checkout', '-qb', 'pr');
    return base;
  });
