import { parseYamlDocument } from '../core/yaml-document.js';
import { z } from 'zod';
import { decodeUtf8 } from '../core/bytes.js';
import { MODEL_NAME, nameProblem } from '../core/registry/names.js';
import { CommandError } from '../core/repository.js';
import {
  aliasProblem,
  NO_MIRROR,
  isRegisteredModelName,
  type RegistryMirrorSettings,
} from '../core/tracking/mirror.js';
import { FileSystemSource } from './fs-source.js';
import { SETTINGS_FILE, SETTINGS_MAX_BYTES } from './settings.js';

/** The `tracking:` section of `.github/modelgate.yml`, with its defaults. */
export interface TrackingSettings {
  registry: RegistryMirrorSettings;
}

const stageName = z.string().superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `the stage "${name}": ${problem}` });
});
const alias = z.string().superRefine((text, ctx) => {
  const problem = aliasProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * The section's schema. Strict throughout: a misspelt key would otherwise
 * leave mirroring silently off (or on) against what the file seems to say.
 */
const trackingSection = z.strictObject({
  registry: z
    .strictObject({
      mirror: z.boolean(),
      models: z
        .record(
          z.string().regex(MODEL_NAME, 'a model name as the manifests write it'),
          z
            .string()
            .refine(
              isRegisteredModelName,
              'an MLflow registered model name (no quotes, backslashes or control characters, at most 256 characters)',
            ),
        )
        .optional(),
      aliases: z
        .record(stageName, alias)
        .refine(
          (map) => new Set(Object.values(map)).size === Object.keys(map).length,
          'two stages cannot share one alias (each would move it away from the other)',
        )
        .optional(),
    })
    .optional(),
});

const FIX =
  'tracking.registry sets mirror (true|false), models (modelgate model -> MLflow registered model) and aliases (stage -> MLflow alias).';

/**
 * Reads the raw `tracking` value of the settings file (undefined: absent):
 * the settings, or a CommandError naming the file, the key and the fix.
 */
export function parseTrackingSection(raw: unknown): TrackingSettings {
  if (raw === undefined || raw === null) return { registry: NO_MIRROR };
  const parsed = trackingSection.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ['tracking', ...issue.path.map(String)];
    // A bad key of a map says what a key must be, not zod's generic "Invalid key in record".
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    const where =
      issue.code === 'unrecognized_keys'
        ? `${[...path, issue.keys[0]].join('.')}: unknown setting`
        : `${path.join('.')}: ${message}`;
    throw new CommandError(`${SETTINGS_FILE}: ${where}`, FIX);
  }
  const registry = parsed.data.registry;
  return {
    registry: registry
      ? { mirror: registry.mirror, models: registry.models ?? {}, aliases: registry.aliases ?? {} }
      : NO_MIRROR,
  };
}

/** The tracking settings of a settings file's text (undefined: no file, defaults). */
export function trackingSettingsOf(text: string | undefined): TrackingSettings {
  if (text === undefined) return parseTrackingSection(undefined);
  if (Buffer.byteLength(text) > SETTINGS_MAX_BYTES)
    throw new CommandError(
      `${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`,
      'The settings file holds a few lines of configuration; shorten it.',
    );
  const doc = parseYamlDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new CommandError(
      `${SETTINGS_FILE} is not valid YAML: ${yamlError.message.split('\n')[0]}`,
      'Fix the YAML syntax.',
    );
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return parseTrackingSection(undefined);
  if (typeof value !== 'object' || Array.isArray(value))
    throw new CommandError(`${SETTINGS_FILE}: the file is not a mapping of settings`, 'Fix the YAML.');
  return parseTrackingSection((value as Record<string, unknown>).tracking);
}

/**
 * Reads the tracking settings from `.github/modelgate.yml` under `root` (the
 * checkout of the default branch, in the release workflow) through the
 * containment rule, as readSettings reads the rest of the file.
 */
export async function readTrackingSettings(root: string): Promise<TrackingSettings> {
  const read = await new FileSystemSource(root).read(SETTINGS_FILE, SETTINGS_MAX_BYTES);
  if (!read.ok) {
    if (read.problem.kind === 'missing') return trackingSettingsOf(undefined);
    throw new CommandError(
      `${SETTINGS_FILE} cannot be read: ${read.problem.detail}`,
      `Make ${SETTINGS_FILE} a regular file in the repository, at most ${SETTINGS_MAX_BYTES / 1024} KiB.`,
    );
  }
  return trackingSettingsOf(decodeUtf8(read.value));
}
