import { l as latestVersion } from './state-AWNhEueb.js';
import { i as inertText } from './escape-C_Mv5luI.js';

const when = (seconds) => new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, 'Z');
/** `modelgate show`: one line per model, or every version of one model. */
function showText(models, stages, detail) {
    if (!models.length)
        return 'No models are registered (no tags in the name@vX.Y.Z format).\n';
    const lines = [];
    for (const model of models) {
        const latest = inertText(latestVersion(model)?.version ?? '—');
        const inStages = orderedStages(model, stages).map((s) => `${inertText(s.stage)} ${inertText(s.version)}`);
        lines.push(`${inertText(model.name)}  latest ${latest}${inStages.length ? `  ${inStages.join('  ')}` : ''}${model.deprecated ? '  (deprecated)' : ''}`);
        if (!detail)
            continue;
        for (const v of [...model.versions].reverse()) {
            const flags = [
                v.stages.length ? `in ${v.stages.map(inertText).join(', ')}` : '',
                v.deregistered ? 'deregistered' : '',
            ]
                .filter(Boolean)
                .join('; ');
            lines.push(`  ${inertText(v.version).padEnd(12)} ${when(v.date)}  ${inertText(v.author ?? 'unknown')}  ${v.commit.slice(0, 12)}${flags ? `  ${flags}` : ''}`);
        }
    }
    return `${lines.join('\n')}\n`;
}
/** `modelgate show --format json`. */
function showJson(models, stages) {
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
function historyText(events) {
    if (!events.length)
        return 'No registry events.\n';
    return `${events.map((e) => `${when(e.date)}  ${inertText(e.name)}  ${describe(e)}  by ${inertText(e.author ?? 'unknown')}  (${inertText(e.tag)})`).join('\n')}\n`;
}
/** `modelgate history --format json`. */
function historyJson(events) {
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
const GITHUB_ONLY = new Set(['github-release', 'deployment']);
/** The release plan, step by step, with what already existed. */
function planText(plan, mode) {
    if (!plan.steps.length)
        return 'Nothing to release: no manifest changed its version.\n';
    const mark = (step) => {
        if (step.done)
            return '= exists ';
        if (mode === 'dry-run')
            return '+ plan   ';
        if (mode === 'local' && GITHUB_ONLY.has(step.kind))
            return '- skipped';
        return '+ done   ';
    };
    const lines = plan.steps.map((s) => `${mark(s)}  ${describeStep(s)}`);
    if (mode === 'local' && plan.steps.some((s) => !s.done && GITHUB_ONLY.has(s.kind))) {
        lines.push('', 'GitHub Releases and Deployments are created by the Action (command: release); push the tags with: git push origin --tags');
    }
    return `${lines.join('\n')}\n`;
}
function describeStep(step) {
    switch (step.kind) {
        case 'version-tag':
            return `tag ${inertText(step.tag)} on ${step.commit.slice(0, 12)}`;
        case 'github-release':
            return `GitHub Release "${inertText(step.title)}"`;
        case 'stage-tag':
            return `tag ${inertText(step.tag)} (${inertText(step.model)} ${inertText(step.version)} -> ${inertText(step.stage)}) on ${step.commit.slice(0, 12)}`;
        case 'deployment':
            return `deployment: ${inertText(step.description)}`;
    }
}
function describe(e) {
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
function orderedStages(model, stages) {
    const rank = (stage) => (stages.includes(stage) ? stages.indexOf(stage) : stages.length);
    return [...model.stages].sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage));
}
function iso(seconds) {
    return new Date(seconds * 1000).toISOString();
}
/** A version as GTO prints it: SemVer with its `v`, a commit version as the commit. */
const gtoVersion = (version) => (/^[0-9a-f]{40}$/.test(version) ? version : `v${version}`);
/**
 * The stages `gto show` makes columns of: the configured ones, else every
 * stage some version holds now, sorted (GTO's `get_stages`).
 */
function gtoStages(models, configured) {
    const used = new Set();
    for (const model of models)
        for (const s of model.stages)
            used.add(s.stage);
    return [...used].sort();
}
/**
 * `gto show --json`: per model, the latest registered version, the holder of
 * each stage (null when none), and whether it is registered and active.
 * Deprecated models are left out unless `deprecated`, as in GTO.
 */
function gtoShowJson(models, stages, options = {}) {
    const shown = models.filter((m) => options.deprecated || !m.deprecated);
    return Object.fromEntries(shown.map((m) => {
        const latest = latestVersion(m);
        const holders = new Map(m.stages.map((s) => [s.stage, gtoVersion(s.version)]));
        return [
            m.name,
            {
                version: latest ? gtoVersion(latest.version) : null,
                stage: Object.fromEntries(stages.map((s) => [s, holders.get(s) ?? null])),
                registered: true,
                active: !m.deprecated,
            },
        ];
    }));
}
const GTO_EVENT = {
    deprecate: 'deprecation',
    register: 'registration',
    deregister: 'deregistration',
    assign: 'assignment',
    unassign: 'unassignment',
};
/** A tag's date as Python prints GTO's timezone-aware timestamps ("2022-05-27 02:49:52+03:00"). */
function gtoTimestamp(seconds, offset = '+0000') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
    const local = new Date((seconds + minutes * 60) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    return `${local}${offset.slice(0, 3)}:${offset.slice(3, 5)}`;
}
/**
 * Every event of `models` (in the registry's own model order) in GTO's
 * history order: by time, then deprecation, registration, deregistration,
 * assignment, withdrawal; newest first unless `ascending` (`gto history`).
 */
function registryHistory(models, options = {}) {
    const events = models.flatMap((m) => m.events).sort((a, b) => a.date - b.date || a.priority - b.priority);
    return options.ascending ? events : events.reverse();
}
/** `gto history --json`. */
function gtoHistoryJson(events) {
    return events.map((e) => ({
        timestamp: gtoTimestamp(e.date, e.offset),
        artifact: e.name,
        event: GTO_EVENT[e.action],
        priority: e.priority,
        version: e.version === undefined ? null : gtoVersion(e.version),
        stage: 'stage' in e ? e.stage : null,
        commit: e.commit,
        author: e.author ?? null,
        author_email: e.authorEmail ?? null,
        message: e.message?.trim() ?? '',
        ref: e.tag,
    }));
}

export { historyJson as a, gtoShowJson as b, gtoStages as c, showText as d, gtoHistoryJson as g, historyText as h, planText as p, registryHistory as r, showJson as s };
