import { i as inertText, b as inertMarkdown, e as inertCode } from './escape-C_Mv5luI.js';
import { T as TRACKER_NAME } from './parse-B69nEYJT.js';

/** Tracking that cannot run here says so: everything that needs it is "not run". */
const noTracking = (reason) => async () => ({ ok: false, kind: 'unconfigured', reason });
/** The tag a run carries to say which model it trained. */
const MODEL_TAG = 'modelgate.model';
/**
 * A map from a tracker's keys, which the tracker's user chose: an object
 * without a prototype, so that "constructor" or "__proto__" is a key like any
 * other, never Object.prototype's member (a gate on `wandb/constructor` read a
 * function, and the check crashed).
 */
function trackerRecord(entries = []) {
    const record = Object.create(null);
    for (const [key, value] of entries)
        record[key] = value;
    return record;
}
/** The run's final value of metric `key`, when it logged one. */
function runMetric(run, key) {
    return Object.hasOwn(run.metrics, key) ? run.metrics[key] : undefined;
}

/** Rows beyond this are summarised: a run can log thousands of params. */
const MAX_ROWS = 50;
/** Compares a run with the production version's run (or lists its own metrics when there is none). */
function compareRuns(candidate, production) {
    const changed = [];
    let unchanged = 0;
    if (production) {
        const keys = [...new Set([...Object.keys(candidate.params), ...Object.keys(production.params)])].sort();
        for (const key of keys) {
            const a = candidate.params[key];
            const b = production.params[key];
            if (a === b)
                unchanged += 1;
            else
                changed.push({
                    key,
                    ...(a !== undefined ? { candidate: a } : {}),
                    ...(b !== undefined ? { production: b } : {}),
                });
        }
    }
    const metricKeys = [
        ...new Set([...Object.keys(candidate.metrics), ...Object.keys(production?.metrics ?? {})]),
    ].sort();
    const metrics = metricKeys.map((key) => {
        const a = runMetric(candidate, key);
        const b = production && runMetric(production, key);
        return {
            key,
            ...(a !== undefined ? { candidate: a } : {}),
            ...(b !== undefined ? { production: b } : {}),
        };
    });
    return { changed, unchanged, metrics };
}

const fmt = (v) => (v === undefined ? '—' : Number(v.toPrecision(6)).toString());
/** A URL safe inside a markdown link: characters that could end or reshape the link are percent-encoded. */
function href(url) {
    if (!/^https?:\/\//.test(url))
        return '';
    return url.replace(/[\s()<>[\]"'`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}
function runLink(id, link) {
    const target = href(link);
    return target ? `[${inertMarkdown(id)}](${target})` : inertCode(id);
}
/** The "Training" section of the check comment and the release notes. */
function trainingMarkdown(sections, heading = '### Training runs') {
    if (!sections.length)
        return '';
    const out = [heading, ''];
    for (const s of sections) {
        const tracker = s.tracker ? TRACKER_NAME[s.tracker] : 'tracker';
        if (!s.run) {
            out.push(`**${inertMarkdown(s.model)} ${inertMarkdown(s.version)}**: ${tracker} run ${inertCode(s.ref)} not read: ${inertMarkdown(s.unread ?? 'unknown reason')}.`, '');
            continue;
        }
        const details = [
            `${s.run.state === 'finished' ? '✅' : '❌'} ${inertMarkdown(s.run.stateText)}`,
            s.run.sourceCommit
                ? `commit ${inertCode(s.run.sourceCommit.slice(0, 12))}`
                : 'no source commit recorded',
            s.run.datasets.length
                ? `data ${s.run.datasets.map((d) => `${inertMarkdown(d.name)}${d.digest ? ` (${inertCode(d.digest)})` : ''}`).join(', ')}`
                : '',
        ].filter(Boolean);
        out.push(`**${inertMarkdown(s.model)} ${inertMarkdown(s.version)}**: ${tracker} run ${runLink(s.run.id, s.run.link)}; ${details.join('; ')}.`, '');
        const p = s.production;
        if (p?.run)
            out.push(`Compared with production ${inertMarkdown(p.version)}: run ${runLink(p.run.id, p.run.link)}.`, '');
        else if (p)
            out.push(`Production ${inertMarkdown(p.version)}'s run was not compared: ${inertMarkdown(p.unread ?? 'not read')}.`, '');
        const c = s.comparison;
        if (c && p?.run) {
            if (c.changed.length) {
                out.push('| param | this version | production |', '|---|---|---|');
                for (const row of c.changed.slice(0, MAX_ROWS))
                    out.push(`| ${inertCode(row.key)} | ${inertCode(row.candidate ?? '—')} | ${inertCode(row.production ?? '—')} |`);
                if (c.changed.length > MAX_ROWS)
                    out.push(`| … ${c.changed.length - MAX_ROWS} more | | |`);
                out.push('', `${c.unchanged} param(s) unchanged.`, '');
            }
            else
                out.push(`All ${c.unchanged} param(s) unchanged.`, '');
        }
        if (c?.metrics.length) {
            out.push(p?.run ? '| final metric | this version | production |' : '| final metric | value |', p?.run ? '|---|---|---|' : '|---|---|');
            for (const row of c.metrics.slice(0, MAX_ROWS))
                out.push(p?.run
                    ? `| ${inertCode(row.key)} | ${fmt(row.candidate)} | ${fmt(row.production)} |`
                    : `| ${inertCode(row.key)} | ${fmt(row.candidate)} |`);
            if (c.metrics.length > MAX_ROWS)
                out.push(`| … ${c.metrics.length - MAX_ROWS} more | |${p?.run ? ' |' : ''}`);
            out.push('');
        }
    }
    return out.join('\n');
}
/** The same for a terminal. */
function trainingText(sections) {
    if (!sections.length)
        return [];
    const lines = ['', 'Training runs:'];
    for (const s of sections) {
        const tracker = s.tracker ? TRACKER_NAME[s.tracker] : 'tracker';
        if (!s.run) {
            lines.push(`  ${inertText(s.model)} ${inertText(s.version)}: ${tracker} run ${inertText(s.ref)} not read: ${inertText(s.unread ?? '')}`);
            continue;
        }
        lines.push(`  ${inertText(s.model)} ${inertText(s.version)}: ${tracker} run ${inertText(s.run.id)} ${inertText(s.run.stateText)}  ${inertText(s.run.link)}`);
        if (s.production?.run)
            lines.push(`    production ${inertText(s.production.version)}: run ${inertText(s.production.run.id)}`);
        else if (s.production)
            lines.push(`    production ${inertText(s.production.version)} not compared: ${inertText(s.production.unread ?? '')}`);
        for (const row of (s.comparison?.changed ?? []).slice(0, MAX_ROWS))
            lines.push(`    param  ${inertText(row.key)}: ${inertText(row.production ?? '—')} -> ${inertText(row.candidate ?? '—')}`);
        for (const row of (s.comparison?.metrics ?? []).slice(0, MAX_ROWS))
            lines.push(`    metric ${inertText(row.key)}: ${s.production?.run ? `${fmt(row.production)} -> ` : ''}${fmt(row.candidate)}`);
    }
    return lines;
}

export { MODEL_TAG as M, trainingMarkdown as a, trainingText as b, compareRuns as c, noTracking as n, runMetric as r, trackerRecord as t };
