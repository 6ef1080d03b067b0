import semver from 'semver';
import { readRegistryTag, type RegistryTag } from './tag-names.js';

/** A git tag as the registry needs it: name, the commit it points to, and who made it when (annotated tags). */
export interface TagRecord {
  name: string;
  commit: string;
  tagger?: { name: string; email: string };
  /** Seconds since the epoch (the tagger date, or the commit date for lightweight tags). */
  date: number;
  message?: string;
}

/** One registry event, as a tag records it. */
export type RegistryEvent = RegistryTag & {
  tag: string;
  commit: string;
  date: number;
  author?: string;
  message?: string;
  /** For stage events: the version the tagged commit carries. */
  version?: string;
};

export interface VersionState {
  version: string;
  tag: string;
  commit: string;
  date: number;
  author?: string;
  deregistered: boolean;
  /** Stages that currently hold this version. */
  stages: string[];
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
  versions: VersionState[];
  /** Current holder of each stage, in the order stages were first used. */
  stages: StageState[];
  events: RegistryEvent[];
  deprecated?: { date: number; author?: string; tag: string };
  /** Highest N of any numbered stage tag of the model (0 if none): the next one is N + 1. */
  lastNumber: number;
  /** Tags in the model's name that modelgate cannot use (a version or counter out of range): ignored, and worth a warning. */
  ignored: IgnoredTag[];
}

/** A tag left out of the registry, and why. */
export interface IgnoredTag {
  tag: string;
  reason: string;
}

/**
 * Builds every model's registry from its tags. Tags not in GTO's format are
 * ignored, not errors; a model's tags that are out of range (a counter past
 * 2^53, a version semver cannot hold) are ignored too and listed in its
 * `ignored`, for a warning. Stage tags point at a version's commit (GTO's
 * rule): the version is the one registered on that commit.
 */
export function readRegistry(tags: readonly TagRecord[]): Map<string, ModelRegistry> {
  const byModel = new Map<string, RegistryEvent[]>();
  const ignored = new Map<string, IgnoredTag[]>();
  for (const tag of tags) {
    const reading = readRegistryTag(tag.name);
    if (reading.kind === 'ignored') {
      const list = ignored.get(reading.name) ?? [];
      list.push({ tag: tag.name, reason: reading.reason });
      ignored.set(reading.name, list);
    }
    if (reading.kind !== 'registry') continue;
    const parsed = reading.tag;
    const event: RegistryEvent = {
      ...parsed,
      tag: tag.name,
      commit: tag.commit,
      date: tag.date,
      author: tag.tagger?.name,
      message: tag.message,
    };
    const list = byModel.get(parsed.name) ?? [];
    list.push(event);
    byModel.set(parsed.name, list);
  }
  const models = new Map<string, ModelRegistry>();
  for (const [name, events] of byModel)
    models.set(name, { ...modelRegistry(name, events), ignored: ignored.get(name) ?? [] });
  return models;
}

// Same second: registrations before assignments; numbered tags by their counter.
const ACTION_ORDER: Record<RegistryTag['action'], number> = {
  register: 0,
  deregister: 1,
  assign: 2,
  unassign: 2,
  deprecate: 3,
};
const numberOf = (e: RegistryEvent) => ('number' in e && e.number !== undefined ? e.number : 0);

function modelRegistry(name: string, events: RegistryEvent[]): Omit<ModelRegistry, 'ignored'> {
  events.sort(
    (a, b) =>
      a.date - b.date ||
      ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
      numberOf(a) - numberOf(b) ||
      a.tag.localeCompare(b.tag),
  );
  const versions = new Map<string, VersionState>();
  const byCommit = new Map<string, string>();
  const stages = new Map<string, StageState>();
  let deprecated: ModelRegistry['deprecated'];
  let lastNumber = 0;

  for (const event of events) {
    lastNumber = Math.max(lastNumber, numberOf(event));
    switch (event.action) {
      case 'register':
        if (!versions.has(event.version)) {
          versions.set(event.version, {
            version: event.version,
            tag: event.tag,
            commit: event.commit,
            date: event.date,
            author: event.author,
            deregistered: false,
            stages: [],
          });
          byCommit.set(event.commit, event.version);
        }
        break;
      case 'deregister': {
        const version = versions.get(event.version);
        if (version) version.deregistered = true;
        break;
      }
      case 'assign': {
        // GTO: an assignment on a commit with no registered version names the commit itself.
        event.version = byCommit.get(event.commit) ?? event.commit;
        stages.set(event.stage, {
          stage: event.stage,
          version: event.version,
          tag: event.tag,
          date: event.date,
          author: event.author,
        });
        break;
      }
      case 'unassign': {
        event.version = byCommit.get(event.commit) ?? event.commit;
        if (stages.get(event.stage)?.version === event.version) stages.delete(event.stage);
        break;
      }
      case 'deprecate':
        deprecated = { date: event.date, author: event.author, tag: event.tag };
        break;
    }
  }
  for (const stage of stages.values()) versions.get(stage.version)?.stages.push(stage.stage);
  const sorted = [...versions.values()].sort((a, b) => semver.compare(a.version, b.version));
  return { name, versions: sorted, stages: [...stages.values()], events, deprecated, lastNumber };
}

/** The newest registered, not deregistered version. */
export function latestVersion(model: ModelRegistry): VersionState | undefined {
  return model.versions.filter((v) => !v.deregistered).at(-1);
}
