import semverCompare from 'semver/functions/compare.js';
import { readRegistryTag, type RegistryTag } from './tag-names.js';
import { compareVersionKeys, versionKey, type VersionKey } from './version-order.js';

/** A git tag as the registry needs it: name, the commit it points to, and who made it when (annotated tags). */
export interface TagRecord {
  name: string;
  /** The object the tag points at: a commit for every tag the registry can use. */
  commit: string;
  /** The tagger of an annotated tag; absent for a lightweight tag, which GTO (and so modelgate) ignores. */
  tagger?: { name: string; email: string };
  /** Seconds since the epoch (the tagger date). */
  date: number;
  /** The tagger's UTC offset as git records it ("+0300"), for GTO's timestamps. */
  offset?: string;
  message?: string;
  /** Why this annotated tag cannot be read although its name is a registry tag's (set by the reader). */
  problem?: string;
}

/** One registry event, as a tag records it. */
export type RegistryEvent = RegistryTag & {
  tag: string;
  commit: string;
  date: number;
  offset?: string;
  author?: string;
  authorEmail?: string;
  message?: string;
  /** For stage events: the version the tagged commit carries (its commit when no version is registered there). */
  version?: string;
  /** GTO's order among events of the same second: deprecation, registration, deregistration, assignment, withdrawal. */
  priority: number;
};

export interface VersionState {
  /** The SemVer version ("1.2.3"), or the commit for a version GTO knows only from a stage tag. */
  version: string;
  /** The registration tag (the newest, for a version registered again), or the stage tag that made a commit version. */
  tag: string;
  commit: string;
  date: number;
  author?: string;
  /** Not active: the newest of its registration and deregistration tags is a deregistration. */
  deregistered: boolean;
  /** Stages this version holds now, as `gto show` lists them. */
  stages: string[];
  /** Every stage this version is assigned to and not withdrawn from, held now or not (`gto show --vs -1`). */
  activeStages: string[];
}

export interface StageState {
  stage: string;
  version: string;
  tag: string;
  date: number;
  author?: string;
}

/** What the tags say about one model. */
export interface ModelRegistry {
  name: string;
  /** Registered versions, oldest SemVer first (GTO's "latest" is the last one not deregistered). */
  versions: VersionState[];
  /** Commits assigned to a stage without a registered version (GTO lists them by their commit). */
  commitVersions: VersionState[];
  /** Current holder of each stage (GTO: the active assignment made last among active versions). */
  stages: StageState[];
  /** Every event, oldest first, in GTO's history order. */
  events: RegistryEvent[];
  /** Set while the model's newest event is a deprecation (GTO's `is_active`). */
  deprecated?: { date: number; author?: string; tag: string };
  /** Highest counter on any tag in the model's name (0 if none), lightweight and unreadable ones included: the next is N + 1. */
  lastNumber: number;
  /** Tags in the model's name that the registry cannot use: ignored, and worth a warning. */
  ignored: IgnoredTag[];
}

/** A tag left out of the registry, and why. */
export interface IgnoredTag {
  tag: string;
  reason: string;
}

const PRIORITY: Record<RegistryTag['action'], number> = {
  deprecate: 2,
  register: 3,
  deregister: 4,
  assign: 5,
  unassign: 6,
};

// GTO reads tags kind by kind (`GitRegistry.get_state`): deprecations, then versions, then stages.
const PASS: Record<RegistryTag['action'], number> = {
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
function eventOf(
  parsed: RegistryTag,
  record: TagRecord,
  tagger: { name: string; email: string },
): RegistryEvent {
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
function sortedBy<T>(items: readonly T[], key: (item: T) => number): T[] {
  if (items.length < 2) return items.slice();
  const keys = items.map(key);
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return order.map((i) => items[i]!);
}
const byDate = <T extends { date: number }>(items: readonly T[]) =>
  items.length < 2 ? items.slice() : items.slice().sort((a, b) => a.date - b.date);
/** Python's `sorted(...)[::-1]`: GTO's "newest first", ties broken by reversing the input order. */
function newestFirst<T extends { date: number }>(items: readonly T[]): T[] {
  // Most lists here hold one or two events (a version's registration, a stage's assignment):
  // ordered without a sort, the same order the sort gives.
  if (items.length === 1) return [items[0]!];
  if (items.length === 2) {
    const [a, b] = items as [T, T];
    return a.date <= b.date ? [b, a] : [a, b];
  }
  return byDate(items).reverse();
}
// A stable sort keeps the input order among equal dates, so sorting parts before joining them
// changes nothing in the order of the whole: the methods below join first and sort once.

/** A (version, stage) pair: GTO's `VStage`. */
class VersionStage {
  readonly assignments: RegistryEvent[] = [];
  readonly withdrawals: RegistryEvent[] = [];
  private newest?: RegistryEvent[];
  constructor(readonly stage: string) {}

  // Read only after readRegistry has filed every tag, so sorted once (10,000 tags: not 10,000 sorts).
  events(): RegistryEvent[] {
    return (this.newest ??= newestFirst(
      this.withdrawals.length ? this.assignments.concat(this.withdrawals) : this.assignments,
    ));
  }
  get active(): boolean {
    return this.events()[0]?.action === 'assign';
  }
  get activatedAt(): number {
    return this.events()[0]!.date;
  }
  /** The newest assignment: GTO's authoring event of a stage. */
  get authoring(): RegistryEvent {
    return this.events().find((e) => e.action === 'assign') ?? this.events()[0]!;
  }
}

/** One version of a model at one commit: GTO's `Version`. */
class VersionRecord {
  readonly registrations: RegistryEvent[] = [];
  readonly deregistrations: RegistryEvent[] = [];
  /** Each stage this version was assigned to or withdrawn from, in the order first seen. */
  private readonly stages = new Map<string, VersionStage>();
  /** The version read for ordering, when it is a SemVer one ("v1.2.3"): read once, not at every comparison. */
  readonly semver: VersionKey | null;
  private newest?: RegistryEvent[];
  private newestDirect?: RegistryEvent[];
  private newestIndirect?: RegistryEvent[];
  constructor(
    /** "v1.2.3", or the commit for a version known only from a stage tag. */
    readonly version: string,
    readonly commit: string,
  ) {
    this.semver = version.startsWith('v') ? versionKey(version.slice(1)) : null;
  }

  direct(): RegistryEvent[] {
    return this.deregistrations.length ? this.registrations.concat(this.deregistrations) : this.registrations;
  }
  indirect(): RegistryEvent[] {
    const events: RegistryEvent[] = [];
    for (const stage of this.stages.values()) for (const e of stage.events()) events.push(e);
    return events;
  }
  // Read only after readRegistry has filed every tag, so sorted once.
  events(): RegistryEvent[] {
    return (this.newest ??= newestFirst(this.direct().concat(this.indirect())));
  }
  // Asked while tags are filed: counts, never the cached events.
  get discovered(): boolean {
    return this.registrations.length === 0 && this.deregistrations.length === 0;
  }
  get registered(): boolean {
    return this.registrations.length > 0;
  }
  // Asked only after every tag is filed (stage holders, states), so each is sorted once, not per question.
  private directNewestFirst(): RegistryEvent[] {
    return (this.newestDirect ??= newestFirst(this.direct()));
  }
  private indirectNewestFirst(): RegistryEvent[] {
    return (this.newestIndirect ??= newestFirst(this.indirect()));
  }
  get active(): boolean {
    const direct = this.directNewestFirst();
    if (direct.length) return direct[0]!.action === 'register';
    return this.indirectNewestFirst().length > 0;
  }
  get authoring(): RegistryEvent {
    const addition = this.directNewestFirst().find((e) => e.action === 'register');
    return addition ?? this.indirectNewestFirst()[0]!;
  }
  /** The record of `stage` on this version, created when first seen. */
  stage(stage: string): VersionStage {
    let known = this.stages.get(stage);
    if (!known) this.stages.set(stage, (known = new VersionStage(stage)));
    return known;
  }
  /** GTO's `get_vstages(ascending=True)`: active stages, the one activated first first. */
  activeStages(): VersionStage[] {
    return sortedBy(
      [...this.stages.values()].filter((s) => s.active),
      (s) => s.activatedAt,
    );
  }
}

const isSemver = (version: string) => version.startsWith('v') && versionKey(version.slice(1)) !== null;
const plain = (version: string) => (isSemver(version) ? version.slice(1) : version);
/** SemVer order of two versions, each parsed once. */
const compareSemver = (a: VersionRecord, b: VersionRecord) => compareVersionKeys(a.semver!, b.semver!);

/** One model as GTO's `Artifact` holds it. */
class ModelRecord {
  readonly deprecations: RegistryEvent[] = [];
  readonly versions: VersionRecord[] = [];
  /** The versions at each commit, in creation order: a lookup per tag, not a scan of every version. */
  private readonly byCommit = new Map<string, VersionRecord[]>();
  constructor(readonly name: string) {}

  /** GTO's `find_version`: versions with events of their own, by name and commit. */
  find(commit: string, version?: string): VersionRecord[] {
    const found: VersionRecord[] = [];
    for (const v of this.byCommit.get(commit) ?? [])
      if (!v.discovered && (version === undefined || v.version === version)) found.push(v);
    return found;
  }
  /** The first version `find` gives, or a new one: looked up without building the list. */
  findOrCreate(commit: string, version?: string): VersionRecord {
    const atCommit = this.byCommit.get(commit);
    if (atCommit)
      for (const v of atCommit)
        if (!v.discovered && (version === undefined || v.version === version)) return v;
    const created = new VersionRecord(version ?? commit, commit);
    this.versions.push(created);
    if (atCommit) atCommit.push(created);
    else this.byCommit.set(commit, [created]);
    return created;
  }
  /** Every event of the model in the order GTO lists them before its history sorts them: not sorted yet. */
  unsortedEvents(): RegistryEvent[] {
    const events = this.deprecations.slice();
    for (const v of this.versions) events.push(...v.events());
    return events;
  }
  /**
   * GTO's `get_versions(include_non_explicit=...)`: active versions, highest
   * SemVer first then commits (or the one registered last first). `only`
   * narrows the list before it is ordered (the same order as narrowing after).
   */
  activeVersions(
    includeCommits: boolean,
    order: 'semver' | 'timestamp' = 'semver',
    only: (v: VersionRecord) => boolean = () => true,
  ): VersionRecord[] {
    const chosen = this.versions.filter(
      (v) => only(v) && v.active && ((v.registered && !v.discovered) || (includeCommits && !v.registered)),
    );
    if (order === 'timestamp') return sortedBy(chosen, (v) => v.authoring.date).reverse();
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
  stageHolders(perStage = 1): Map<string, VersionStage[]> {
    const pairs = this.activeVersions(true, 'timestamp').flatMap((v) =>
      v.activeStages().map((s) => ({ version: v.version, stage: s, date: s.authoring.date })),
    );
    const holders = new Map<string, { version: string; stage: VersionStage }[]>();
    for (const pair of newestFirst(pairs)) {
      const list = holders.get(pair.stage.stage) ?? [];
      holders.set(pair.stage.stage, list);
      if (perStage > -1 && list.length >= perStage) continue;
      if (!list.some((h) => h.version === pair.version)) list.push(pair);
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
export function readRegistry(tags: readonly TagRecord[]): Map<string, ModelRegistry> {
  const ignored = new Map<string, IgnoredTag[]>();
  const counters = new Map<string, number>();
  const ignore = (name: string, tag: string, reason: string) => {
    const list = ignored.get(name);
    if (list) list.push({ tag, reason });
    else ignored.set(name, [{ tag, reason }]);
  };
  const readable: RegistryEvent[] = [];
  for (const record of tags) {
    const reading = readRegistryTag(record.name);
    if (reading.kind === 'foreign') continue;
    const number = reading.kind === 'registry' ? reading.tag.number : reading.number;
    const name = reading.kind === 'registry' ? reading.tag.name : reading.name;
    // GTO counts every tag in the model's name, lightweight ones too (`name_tag`).
    if (number !== undefined) counters.set(name, Math.max(counters.get(name) ?? 0, number));
    if (reading.kind === 'ignored') ignore(name, record.name, reading.reason);
    else if (record.problem) ignore(name, record.name, record.problem);
    else if (!record.tagger) ignore(name, record.name, 'a lightweight tag (GTO reads annotated tags only)');
    else readable.push(eventOf(reading.tag, record, record.tagger));
  }
  // GTO lists tags by name, then sorts each kind by date (stably): kind, then date, then name, in one sort.
  const ordered = readable.sort(
    (a, b) =>
      PASS[a.action] - PASS[b.action] || a.date - b.date || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
  );

  const models = new Map<string, ModelRecord>();
  for (const event of ordered) {
    let model = models.get(event.name);
    if (!model) models.set(event.name, (model = new ModelRecord(event.name)));
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
          ignore(
            model.name,
            event.tag,
            `its commit carries several versions (${carried.map((v) => plain(v.version)).join(', ')}); GTO cannot tell which one it assigns`,
          );
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

  const result = new Map<string, ModelRegistry>();
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

function modelRegistry(model: ModelRecord): Omit<ModelRegistry, 'lastNumber' | 'ignored'> {
  // Every event names a version: each distinct one is parsed once, not once per event.
  const plainVersions = new Map<string, string>();
  const plainOf = (version: string) => {
    let shown = plainVersions.get(version);
    if (shown === undefined) plainVersions.set(version, (shown = plain(version)));
    return shown;
  };
  const holders = model.stageHolders(1);
  const stages: StageState[] = [...holders].flatMap(([stage, [holder]]) => {
    if (!holder) return [];
    const tag = holder.authoring;
    return [{ stage, version: plainOf(tag.version ?? ''), tag: tag.tag, date: tag.date, author: tag.author }];
  });
  const held = (version: VersionRecord) =>
    stages.filter((s) => s.version === plainOf(version.version)).map((s) => s.stage);
  const state = (v: VersionRecord): VersionState => {
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
    .sort((a, b) =>
      a.semver && b.semver ? compareSemver(a, b) : semverCompare(plainOf(a.version), plainOf(b.version)),
    )
    .map(state);
  const commitVersions = model
    .activeVersions(true, 'semver', (v) => !v.registered)
    .toReversed()
    .map(state);
  const all = model.unsortedEvents();
  // GTO's newest event (the last of the newest second): the model is active unless it is a deprecation.
  let newestEvent: RegistryEvent | undefined;
  for (const e of all) if (!newestEvent || e.date >= newestEvent.date) newestEvent = e;
  const active = newestEvent !== undefined && newestEvent.action !== 'deprecate';
  // GTO sorts newest first, then by time and kind, both stably: among events of one second and
  // kind that is the reverse of the order listed, so one sort of the reversed list gives the same.
  // The events are this model's own (read above for the last time): shown in place, not copied.
  const events = all.reverse().sort((a, b) => a.date - b.date || a.priority - b.priority);
  for (const e of events) if (e.version !== undefined) e.version = plainOf(e.version);
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
export function latestVersion(model: ModelRegistry): VersionState | undefined {
  return model.versions.filter((v) => !v.deregistered).at(-1);
}
