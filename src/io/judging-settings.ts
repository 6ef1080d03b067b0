import { decodeUtf8 } from '../core/bytes.js';
import type { DeploySettings } from '../core/deploy/targets.js';
import type { Finding } from '../core/findings.js';
import { CommandError, type Repository } from '../core/repository.js';
import { parseSettings, readSettings, SETTINGS_FILE, SETTINGS_MAX_BYTES, type Settings } from './settings.js';

/**
 * The settings that decide how `validate` and `check` judge the registry.
 * Of everything `.github/modelgate.yml` holds, only `manifests`, `stages`
 * and `deploy` (whether several models can be told apart) reach them (the
 * eval endpoint, its key and the trackers' credentials come from the Action's
 * inputs, the CLI's flags and the environment; `endpoints`, `shadow`,
 * `tracking`, `environments` and `chatops` are read by other commands, on the
 * default branch).
 */
export interface JudgingSettings {
  /** The manifest globs of the settings in the working tree (the change's own, with a base). */
  manifests: string[];
  /** With a base: the base's globs. Every manifest either set finds is checked. */
  baseManifests?: string[];
  /** Stages in promotion order; the last one (production) holds the baseline. The base's, with a base. */
  stages: string[];
  /** A warning when the change's own stages or globs differ from the base's, which judged it. */
  settingsFindings: Finding[];
  /**
   * The working tree's `deploy:` settings (the change's own, with a base): what
   * the registry deploys with once the change is merged, which is what rule
   * DEPLOY-ROUTE judges. A change that sets them right passes with them, and
   * then deploys with them; one that sets them wrong fails.
   */
  deploy: { settings: DeploySettings; file: string };
}

/**
 * Reads the judging settings for a run on the registry at `root`. The
 * working tree's settings file is always parsed, so a broken one fails the
 * run as it always did. Without a base that file decides. With a base, the
 * change is untrusted input and never decides how it is judged: the stages
 * (hence the baseline) come from the settings at the base's merge base with
 * HEAD, the commit validate and check compare with, and the manifests checked
 * are those the base's globs find plus those the change's own find. A base
 * whose settings cannot be read or parsed is a CommandError (exit 2), never a
 * silent fall back to the defaults. An absent file at the base means defaults.
 */
export async function readJudgingSettings(
  repo: Repository,
  root: string,
  base: string | undefined,
): Promise<JudgingSettings> {
  const own = await readSettings(root);
  const deploy = { settings: own.deploy, file: SETTINGS_FILE };
  if (base === undefined)
    return { manifests: own.manifests, stages: own.stages, settingsFindings: [], deploy };
  const commit = await repo.mergeBase(base);
  const where = `${SETTINGS_FILE} at the base ${commit === base ? commit.slice(0, 12) : `${base} (merge base ${commit.slice(0, 12)})`}`;
  const atBase = await readSettingsAt(repo, commit, where, base);
  const changed = [
    ...(differs(own.stages, atBase.stages)
      ? [
          `stages [${atBase.stages.join(', ')}] (the baseline is the version in ${atBase.stages.at(-1)}), not this change's [${own.stages.join(', ')}]`,
        ]
      : []),
    ...(differs(own.manifests, atBase.manifests)
      ? [
          `manifests: every model the base's globs [${atBase.manifests.join(', ')}] find is checked, and every model this change's [${own.manifests.join(', ')}] find`,
        ]
      : []),
  ];
  return {
    manifests: own.manifests,
    baseManifests: atBase.manifests,
    stages: atBase.stages,
    deploy,
    settingsFindings: changed.length
      ? [
          {
            rule: 'SETTINGS-BASE',
            severity: 'warning',
            model: SETTINGS_FILE,
            file: SETTINGS_FILE,
            message: `this change edits ${SETTINGS_FILE}; it was judged with ${where} instead: ${changed.join('; ')}. The change's settings take effect once it is merged.`,
            fix: 'Nothing to do when the edit is intended: a change never decides how it is judged itself, so its settings apply to the changes after it.',
          },
        ]
      : [],
  };
}

/** The settings file at a commit, through the repository's reader: the same cap and parser as the working tree's. */
async function readSettingsAt(
  repo: Repository,
  commit: string,
  where: string,
  base: string,
): Promise<Settings> {
  const fix = `With a base, the settings there decide how a change is judged, so a change cannot repair them for itself: fix ${SETTINGS_FILE} on ${base} first (a regular file of at most ${SETTINGS_MAX_BYTES / 1024} KiB that parses; check it with modelgate validate, without --base).`;
  const read = await repo.at(commit).read(SETTINGS_FILE, SETTINGS_MAX_BYTES);
  if (!read.ok) {
    if (read.problem.kind === 'missing') return parseSettings(undefined);
    throw new CommandError(`${where} cannot be read: ${read.problem.detail}`, fix);
  }
  try {
    return parseSettings(decodeUtf8(read.value));
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    // parseSettings names the file; here it also names the commit it was read at.
    const message = error.message.startsWith(SETTINGS_FILE)
      ? `${where}${error.message.slice(SETTINGS_FILE.length)}`
      : `${where}: ${error.message}`;
    throw new CommandError(message, error.fix ? `${fix} ${error.fix}` : fix);
  }
}

function differs(a: readonly string[], b: readonly string[]): boolean {
  return a.length !== b.length || a.some((item, i) => item !== b[i]);
}
