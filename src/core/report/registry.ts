import type { ModelRegistry, RegistryEvent } from '../registry/state.js';
import { latestVersion } from '../registry/state.js';
import type { ReleasePlan, ReleaseStep } from '../release/plan.js';
import { inertText } from './escape.js';

const when = (seconds: number) =>
  new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, 'Z');

/** `modelgate show`: one line per model, or every version of one model. */
export function showText(
  models: readonly ModelRegistry[],
  stages: readonly string[],
  detail: boolean,
): string {
  if (!models.length) return 'No models are registered (no tags in the name@vX.Y.Z format).\n';
  const lines: string[] = [];
  for (const model of models) {
    const latest = inertText(latestVersion(model)?.version ?? '—');
    const inStages = orderedStages(model, stages).map((s) => `${inertText(s.stage)} ${inertText(s.version)}`);
    lines.push(
      `${inertText(model.name)}  latest ${latest}${inStages.length ? `  ${inStages.join('  ')}` : ''}${model.deprecated ? '  (deprecated)' : ''}`,
    );
    if (!detail) continue;
    for (const v of [...model.versions].reverse()) {
      const flags = [
        v.stages.length ? `in ${v.stages.map(inertText).join(', ')}` : '',
        v.deregistered ? 'deregistered' : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(
        `  ${inertText(v.version).padEnd(12)} ${when(v.date)}  ${inertText(v.author ?? 'unknown')}  ${v.commit.slice(0, 12)}${flags ? `  ${flags}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `modelgate show --format json`. */
export function showJson(models: readonly ModelRegistry[], stages: readonly string[]): unknown {
  return {
    models: models.map((m) => ({
      name: m.name,
      latest: latestVersion(m)?.version ?? null,
      deprecated: m.deprecated
        ? { tag: m.deprecated.tag, date: iso(m.deprecated.date), author: m.deprecated.author ?? null }
        : null,
      stages: Object.fromEntries(orderedStages(m, stages).map((s) => [s.stage, s.version])),
      versions: m.versions.map((v) => ({
        version: v.version,
        tag: v.tag,
        commit: v.commit,
        date: iso(v.date),
        author: v.author ?? null,
        stages: v.stages,
        deregistered: v.deregistered,
      })),
    })),
  };
}

/** `modelgate history`: every registry event, oldest first. */
export function historyText(events: readonly RegistryEvent[]): string {
  if (!events.length) return 'No registry events.\n';
  return `${events.map((e) => `${when(e.date)}  ${inertText(e.name)}  ${describe(e)}  by ${inertText(e.author ?? 'unknown')}  (${inertText(e.tag)})`).join('\n')}\n`;
}

/** `modelgate history --format json`. */
export function historyJson(events: readonly RegistryEvent[]): unknown {
  return {
    events: events.map((e) => ({
      model: e.name,
      action: e.action,
      version: 'version' in e ? (e.version ?? null) : null,
      stage: 'stage' in e ? e.stage : null,
      tag: e.tag,
      commit: e.commit,
      date: iso(e.date),
      author: e.author ?? null,
    })),
  };
}

/** How a plan was carried out: printed only, applied to the local clone (tags only), or applied on GitHub. */
export type PlanMode = 'dry-run' | 'local' | 'github';

const GITHUB_ONLY = new Set<ReleaseStep['kind']>(['github-release', 'deployment']);

/** The release plan, step by step, with what already existed. */
export function planText(plan: ReleasePlan, mode: PlanMode): string {
  if (!plan.steps.length) return 'Nothing to release: no manifest changed its version.\n';
  const mark = (step: ReleaseStep) => {
    if (step.done) return '= exists ';
    if (mode === 'dry-run') return '+ plan   ';
    if (mode === 'local' && GITHUB_ONLY.has(step.kind)) return '- skipped';
    return '+ done   ';
  };
  const lines = plan.steps.map((s) => `${mark(s)}  ${describeStep(s)}`);
  if (mode === 'local' && plan.steps.some((s) => !s.done && GITHUB_ONLY.has(s.kind))) {
    lines.push(
      '',
      'GitHub Releases and Deployments are created by the Action (command: release); push the tags with: git push origin --tags',
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeStep(step: ReleaseStep): string {
  switch (step.kind) {
    case 'version-tag':
      return `tag ${inertText(step.tag)} on ${step.commit.slice(0, 12)}`;
    case 'github-release':
      return `GitHub Release "${inertText(step.title)}"`;
    case 'stage-tag':
      return `tag ${inertText(step.tag)} (${inertText(step.model)} ${inertText(step.version)} -> ${inertText(step.stage)}) on ${step.commit.slice(0, 12)}`;
    case 'deployment':
      return `deployment of ${inertText(step.model)} ${inertText(step.payload.version)} to ${inertText(step.environment)} at ${step.payload.weight}%`;
  }
}

function describe(e: RegistryEvent): string {
  switch (e.action) {
    case 'register':
      return `registered ${inertText(e.version)}`;
    case 'deregister':
      return `deregistered ${inertText(e.version)}`;
    case 'assign':
      return `${inertText(e.version ?? '?')} -> ${inertText(e.stage)}`;
    case 'unassign':
      return `${inertText(e.version ?? '?')} withdrawn from ${inertText(e.stage)}`;
    case 'deprecate':
      return 'deprecated';
  }
}

function orderedStages(model: ModelRegistry, stages: readonly string[]) {
  const rank = (stage: string) => (stages.includes(stage) ? stages.indexOf(stage) : stages.length);
  return [...model.stages].sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage));
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
