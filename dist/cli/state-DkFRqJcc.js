import { r as requireParse, s as semverCompare } from './parse-DJL9lWzy.js';
import { j as getDefaultExportFromCjs, k as readRegistryTag } from './settings-file-DTnV_6cP.js';

var parseExports = requireParse();
var semverParse = /*@__PURE__*/getDefaultExportFromCjs(parseExports);

// No leading zeros, as SemVer 2 (and node-semver) require; the numbers are checked for size below.
const PLAIN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** The version read for ordering, or null where node-semver's `parse` gives null (not a version it can compare). */
function versionKey(text) {
    const match = PLAIN.exec(text);
    if (match) {
        const major = Number(match[1]);
        const minor = Number(match[2]);
        const patch = Number(match[3]);
        // node-semver refuses a part above Number.MAX_SAFE_INTEGER: left to it, so it refuses here too.
        if (Number.isSafeInteger(major) && Number.isSafeInteger(minor) && Number.isSafeInteger(patch))
            return { major, minor, patch, text, plain: true };
    }
    const parsed = semverParse(text);
    return parsed && { major: parsed.major, minor: parsed.minor, patch: parsed.patch, text, plain: false };
}
/** node-semver's `compare` of two keys: main parts as numbers, then (when either has more) node-semver itself. */
function compareVersionKeys(a, b) {
    if (a.major !== b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor !== b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch !== b.patch)
        return a.patch < b.patch ? -1 : 1;
    return a.plain && b.plain ? 0 : semverCompare(a.text, b.text);
}

const PRIORITY = {
    deprecate: 2,
    register: 3,
    deregister: 4,
    assign: 5,
    unassign: 6,
};
// GTO reads tags kind by kind (`GitRegistry.get_state`): deprecations, then versions, then stages.
const PASS = {
    deprecate: 0,
    register: 1,
    deregister: 1,
    assign: 2,
    unassign: 2,
};
/**
 * The event a readable registry tag records: built field by field (no spread), one
 * shape per kind, as readRegistry files thousands of them. A version is kept with
 * its `v` ("v1.2.3") until the registry is read out.
 */
function eventOf(parsed, record, tagger) {
    const { name: tag, commit, date, message } = record;
    const offset = record.offset || undefined;
    const priority = PRIORITY[parsed.action];
    const author = tagger.name;
    const authorEmail = tagger.email;
    switch (parsed.action) {
        case 'register':
        case 'deregister': {
            const { action, name, number } = parsed;
            const version = parsed.version.startsWith('v') ? parsed.version : `v${parsed.version}`;
            // prettier-ignore
            return { action, name, version, number, tag, commit, date, offset, author, authorEmail, message, priority };
        }
        case 'assign':
        case 'unassign': {
            const { action, name, stage, number } = parsed;
            // prettier-ignore
            return { action, name, stage, number, tag, commit, date, offset, author, authorEmail, message, priority, version: undefined };
        }
        case 'deprecate': {
            const { action, name, number } = parsed;
            return { action, name, number, tag, commit, date, offset, author, authorEmail, message, priority };
        }
    }
}
/** Python's `sorted(key=...)`: stable, ascending; each key is computed once, not at every comparison. */
function sortedBy(items, key) {
    if (items.length < 2)
        return items.slice();
    const keys = items.map(key);
    const order = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    return order.map((i) => items[i]);
}
const byDate = (items) => items.length < 2 ? items.slice() : items.slice().sort((a, b) => a.date - b.date);
/** Python's `sorted(...)[::-1]`: GTO's "newest first", ties broken by reversing the input order. */
function newestFirst(items) {
    // Most lists here hold one or two events (a version's registration, a stage's assignment):
    // ordered without a sort, the same order the sort gives.
    if (items.length === 1)
        return [items[0]];
    if (items.length === 2) {
        const [a, b] = items;
        return a.date <= b.date ? [b, a] : [a, b];
    }
    return byDate(items).reverse();
}
// A stable sort keeps the input order among equal dates, so sorting parts before joining them
// changes nothing in the order of the whole: the methods below join first and sort once.
/** A (version, stage) pair: GTO's `VStage`. */
class VersionStage {
    stage;
    assignments = [];
    withdrawals = [];
    newest;
    constructor(stage) {
        this.stage = stage;
    }
    // Read only after readRegistry has filed every tag, so sorted once (10,000 tags: not 10,000 sorts).
    events() {
        return (this.newest ??= newestFirst(this.withdrawals.length ? this.assignments.concat(this.withdrawals) : this.assignments));
    }
    get active() {
        return this.events()[0]?.action === 'assign';
    }
    get activatedAt() {
        return this.events()[0].date;
    }
    /** The newest assignment: GTO's authoring event of a stage. */
    get authoring() {
        return this.events().find((e) => e.action === 'assign') ?? this.events()[0];
    }
}
/** One version of a model at one commit: GTO's `Version`. */
class VersionRecord {
    version;
    commit;
    registrations = [];
    deregistrations = [];
    /** Each stage this version was assigned to or withdrawn from, in the order first seen. */
    stages = new Map();
    /** The version read for ordering, when it is a SemVer one ("v1.2.3"): read once, not at every comparison. */
    semver;
    newest;
    newestDirect;
    newestIndirect;
    constructor(
    /** "v1.2.3", or the commit for a version known only from a stage tag. */
    version, commit) {
        this.version = version;
        this.commit = commit;
        this.semver = version.startsWith('v') ? versionKey(version.slice(1)) : null;
    }
    direct() {
        return this.deregistrations.length ? this.registrations.concat(this.deregistrations) : this.registrations;
    }
    indirect() {
        const events = [];
        for (const stage of this.stages.values())
            for (const e of stage.events())
                events.push(e);
        return events;
    }
    // Read only after readRegistry has filed every tag, so sorted once.
    events() {
        return (this.newest ??= newestFirst(this.direct().concat(this.indirect())));
    }
    // Asked while tags are filed: counts, never the cached events.
    get discovered() {
        return this.registrations.length === 0 && this.deregistrations.length === 0;
    }
    get registered() {
        return this.registrations.length > 0;
    }
    // Asked only after every tag is filed (stage holders, states), so each is sorted once, not per question.
    directNewestFirst() {
        return (this.newestDirect ??= newestFirst(this.direct()));
    }
    indirectNewestFirst() {
        return (this.newestIndirect ??= newestFirst(this.indirect()));
    }
    get active() {
        const direct = this.directNewestFirst();
        if (direct.length)
            return direct[0].action === 'register';
        return this.indirectNewestFirst().length > 0;
    }
    get authoring() {
        const addition = this.directNewestFirst().find((e) => e.action === 'register');
        return addition ?? this.indirectNewestFirst()[0];
    }
    /** The record of `stage` on this version, created when first seen. */
    stage(stage) {
        let known = this.stages.get(stage);
        if (!known)
            this.stages.set(stage, (known = new VersionStage(stage)));
        return known;
    }
    /** GTO's `get_vstages(ascending=True)`: active stages, the one activated first first. */
    activeStages() {
        return sortedBy([...this.stages.values()].filter((s) => s.active), (s) => s.activatedAt);
    }
}
const isSemver = (version) => version.startsWith('v') && versionKey(version.slice(1)) !== null;
const plain = (version) => (isSemver(version) ? version.slice(1) : version);
/** SemVer order of two versions, each parsed once. */
const compareSemver = (a, b) => compareVersionKeys(a.semver, b.semver);
/** One model as GTO's `Artifact` holds it. */
class ModelRecord {
    name;
    deprecations = [];
    versions = [];
    /** The versions at each commit, in creation order: a lookup per tag, not a scan of every version. */
    byCommit = new Map();
    constructor(name) {
        this.name = name;
    }
    /** GTO's `find_version`: versions with events of their own, by name and commit. */
    find(commit, version) {
        const found = [];
        for (const v of this.byCommit.get(commit) ?? [])
            if (!v.discovered && (version === undefined || v.version === version))
                found.push(v);
        return found;
    }
    /** The first version `find` gives, or a new one: looked up without building the list. */
    findOrCreate(commit, version) {
        const atCommit = this.byCommit.get(commit);
        if (atCommit)
            for (const v of atCommit)
                if (!v.discovered && (version === undefined || v.version === version))
                    return v;
        const created = new VersionRecord(version ?? commit, commit);
        this.versions.push(created);
        if (atCommit)
            atCommit.push(created);
        else
            this.byCommit.set(commit, [created]);
        return created;
    }
    /** Every event of the model in the order GTO lists them before its history sorts them: not sorted yet. */
    unsortedEvents() {
        const events = this.deprecations.slice();
        for (const v of this.versions)
            events.push(...v.events());
        return events;
    }
    /**
     * GTO's `get_versions(include_non_explicit=...)`: active versions, highest
     * SemVer first then commits (or the one registered last first). `only`
     * narrows the list before it is ordered (the same order as narrowing after).
     */
    activeVersions(includeCommits, order = 'semver', only = () => true) {
        const chosen = this.versions.filter((v) => only(v) && v.active && ((v.registered && !v.discovered) || (includeCommits && !v.registered)));
        if (order === 'timestamp')
            return sortedBy(chosen, (v) => v.authoring.date).reverse();
        const semvers = chosen
            .filter((v) => v.semver !== null)
            .sort(compareSemver)
            .reverse();
        const commits = chosen
            .filter((v) => v.semver === null)
            .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
            .reverse();
        return [...semvers, ...commits];
    }
    /**
     * GTO's `get_vstages(sort=timestamp)`, the default of `gto show`: for each
     * stage, the active assignments of active versions, the one made last first,
     * each version once, at most `perStage` of them (-1: all).
     */
    stageHolders(perStage = 1) {
        const pairs = this.activeVersions(true, 'timestamp').flatMap((v) => v.activeStages().map((s) => ({ version: v.version, stage: s, date: s.authoring.date })));
        const holders = new Map();
        for (const pair of newestFirst(pairs)) {
            const list = holders.get(pair.stage.stage) ?? [];
            holders.set(pair.stage.stage, list);
            if (perStage > -1 && list.length >= perStage)
                continue;
            if (!list.some((h) => h.version === pair.version))
                list.push(pair);
        }
        return new Map([...holders].map(([stage, list]) => [stage, list.map((h) => h.stage)]));
    }
}
/**
 * Builds every model's registry from its tags, as GTO does
 * (iterative/gto `gto/tag.py` and `gto/base.py`): annotated tags only, read
 * kind by kind (deprecations, versions, then stages, each oldest first), so a
 * stage tag names the version registered on its commit whenever that tag was
 * made. Each version keeps its own stage status; a stage is held by the
 * newest active assignment among active versions, so withdrawing or
 * deregistering its holder hands the stage back to the one before. Tags not
 * in GTO's format are ignored; tags in a model's name that cannot be used (a
 * lightweight tag, a number out of range, a stage tag on a commit that
 * carries two versions) are ignored too and listed in its `ignored`.
 */
function readRegistry(tags) {
    const ignored = new Map();
    const counters = new Map();
    const ignore = (name, tag, reason) => {
        const list = ignored.get(name);
        if (list)
            list.push({ tag, reason });
        else
            ignored.set(name, [{ tag, reason }]);
    };
    const readable = [];
    for (const record of tags) {
        const reading = readRegistryTag(record.name);
        if (reading.kind === 'foreign')
            continue;
        const number = reading.kind === 'registry' ? reading.tag.number : reading.number;
        const name = reading.kind === 'registry' ? reading.tag.name : reading.name;
        // GTO counts every tag in the model's name, lightweight ones too (`name_tag`).
        if (number !== undefined)
            counters.set(name, Math.max(counters.get(name) ?? 0, number));
        if (reading.kind === 'ignored')
            ignore(name, record.name, reading.reason);
        else if (record.problem)
            ignore(name, record.name, record.problem);
        else if (!record.tagger)
            ignore(name, record.name, 'a lightweight tag (GTO reads annotated tags only)');
        else
            readable.push(eventOf(reading.tag, record, record.tagger));
    }
    // GTO lists tags by name, then sorts each kind by date (stably): kind, then date, then name, in one sort.
    const ordered = readable.sort((a, b) => PASS[a.action] - PASS[b.action] || a.date - b.date || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    const models = new Map();
    for (const event of ordered) {
        let model = models.get(event.name);
        if (!model)
            models.set(event.name, (model = new ModelRecord(event.name)));
        switch (event.action) {
            case 'deprecate':
                model.deprecations.push(event);
                break;
            case 'register':
            case 'deregister': {
                const version = model.findOrCreate(event.commit, event.version);
                (event.action === 'register' ? version.registrations : version.deregistrations).push(event);
                break;
            }
            case 'assign':
            case 'unassign': {
                const carried = model.find(event.commit);
                if (carried.length > 1) {
                    ignore(model.name, event.tag, `its commit carries several versions (${carried.map((v) => plain(v.version)).join(', ')}); GTO cannot tell which one it assigns`);
                    break;
                }
                // GTO: a stage tag on a commit with no registered version makes a version named by the commit.
                event.version = carried[0]?.version ?? event.commit;
                const version = model.findOrCreate(event.commit, event.version);
                const stage = version.stage(event.stage);
                (event.action === 'assign' ? stage.assignments : stage.withdrawals).push(event);
                break;
            }
        }
    }
    const result = new Map();
    const names = [...models.keys(), ...[...ignored.keys(), ...counters.keys()].filter((n) => !models.has(n))];
    for (const name of names) {
        const model = models.get(name) ?? new ModelRecord(name);
        result.set(name, {
            ...modelRegistry(model),
            lastNumber: counters.get(name) ?? 0,
            ignored: ignored.get(name) ?? [],
        });
    }
    return result;
}
function modelRegistry(model) {
    // Every event names a version: each distinct one is parsed once, not once per event.
    const plainVersions = new Map();
    const plainOf = (version) => {
        let shown = plainVersions.get(version);
        if (shown === undefined)
            plainVersions.set(version, (shown = plain(version)));
        return shown;
    };
    const holders = model.stageHolders(1);
    const stages = [...holders].flatMap(([stage, [holder]]) => {
        if (!holder)
            return [];
        const tag = holder.authoring;
        return [{ stage, version: plainOf(tag.version ?? ''), tag: tag.tag, date: tag.date, author: tag.author }];
    });
    const held = (version) => stages.filter((s) => s.version === plainOf(version.version)).map((s) => s.stage);
    const state = (v) => {
        const authoring = v.authoring;
        return {
            version: plainOf(v.version),
            tag: authoring.tag,
            commit: v.commit,
            date: authoring.date,
            author: authoring.author,
            deregistered: !v.active,
            stages: v.active ? held(v) : [],
            activeStages: v.active ? v.activeStages().map((s) => s.stage) : [],
        };
    };
    // Lowest SemVer first, equal ones (build metadata aside) in the order registered:
    // the reverse of GTO's highest-first order, so `.at(-1)` of the active ones is GTO's latest.
    const versions = model.versions
        .filter((v) => v.registered)
        .sort((a, b) => a.semver && b.semver ? compareSemver(a, b) : semverCompare(plainOf(a.version), plainOf(b.version)))
        .map(state);
    const commitVersions = model
        .activeVersions(true, 'semver', (v) => !v.registered)
        .toReversed()
        .map(state);
    const all = model.unsortedEvents();
    // GTO's newest event (the last of the newest second): the model is active unless it is a deprecation.
    let newestEvent;
    for (const e of all)
        if (!newestEvent || e.date >= newestEvent.date)
            newestEvent = e;
    const active = newestEvent !== undefined && newestEvent.action !== 'deprecate';
    // GTO sorts newest first, then by time and kind, both stably: among events of one second and
    // kind that is the reverse of the order listed, so one sort of the reversed list gives the same.
    // The events are this model's own (read above for the last time): shown in place, not copied.
    const events = all.reverse().sort((a, b) => a.date - b.date || a.priority - b.priority);
    for (const e of events)
        if (e.version !== undefined)
            e.version = plainOf(e.version);
    const newest = newestFirst(model.deprecations)[0];
    return {
        name: model.name,
        versions,
        commitVersions,
        stages,
        events,
        ...(!active && newest
            ? { deprecated: { date: newest.date, author: newest.author, tag: newest.tag } }
            : {}),
    };
}
/** The newest registered, not deregistered version (GTO's `latest`). */
function latestVersion(model) {
    return model.versions.filter((v) => !v.deregistered).at(-1);
}

export { latestVersion as l, readRegistry as r };
