import { parseYamlDocument } from '../core/yaml-document.js';
import { z } from 'zod';
import { decodeUtf8 } from '../core/bytes.js';
import { nameProblem } from '../core/registry/names.js';
import { checkGlob } from '../core/repo-path.js';
import { CommandError } from '../core/repository.js';
import { FileSystemSource } from './fs-source.js';
import { SETTINGS_FILE } from './settings-file.js';
import { DEFAULT_STAGES } from '../core/registry/stages.js';
import { deploySchema, readDeploySection } from './deploy/settings-schema.js';
import type { DeploySettings } from '../core/deploy/targets.js';
import { parseTrackingSection, type TrackingSettings } from './tracking-settings.js';
import { endpointsSchema, readEndpointsSection, type EndpointSettings } from './endpoint-settings.js';
import { readShadowSection, shadowSettingsSchema, type ShadowSettings } from './shadow/settings-schema.js';
import { COMMAND_KEYS, DEFAULT_CHATOPS, LEVELS, type ChatOpsSettings } from '../core/chatops/permission.js';

/** Repository-wide settings from `.github/modelgate.yml` (Probot's convention). */
export interface Settings {
  /** Globs that find model manifests, relative to the repository root. */
  manifests: string[];
  /** Stages in promotion order (the defaults when none are configured). */
  stages: string[];
  /**
   * The stages the file configures, or undefined when it configures none:
   * then, as in GTO, `promote` accepts any stage (release and the app still
   * use the defaults for the first and the last stage).
   */
  configuredStages: string[] | undefined;
  /** GitHub environment per stage; default: the stage name, or `<model>/<stage>` when several models share the repository. */
  environments: Record<string, string>;
  /** Who may run which ChatOps command. */
  chatops: ChatOpsSettings;
  /** Where `modelgate deploy` routes traffic (empty: no target configured). */
  deploy: DeploySettings;
  /** Mirroring stages to the MLflow Model Registry (off unless configured). */
  tracking: TrackingSettings;
  /** Where released versions answer requests (a shadow's replay, a blue-green preview). */
  endpoints: EndpointSettings;
  /** Where a shadow's answers are read (the request log's query) and who judges them. */
  shadow: ShadowSettings;
}

export { SETTINGS_FILE };
export const DEFAULT_MANIFESTS = ['models/**/model.yaml'];
/** The settings file is a few lines; anything larger is refused before it is read. */
export const SETTINGS_MAX_BYTES = 64 * 1024;

// Stages go into tags (`<model>#<stage>#N`): the same rule as model names, so every stage written is read back.
const stageName = z.string().superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `the stage "${name}": ${problem}` });
});
const glob = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((pattern, ctx) => {
    const checked = checkGlob(pattern.replace(/^!/, ''));
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: `the glob "${pattern}" ${checked.reason}` });
  });
// Strict throughout: a misspelt key must be an error, never a silently ignored setting.
const schema = z.strictObject({
  manifests: z.union([glob, z.array(glob).min(1).max(100)]).optional(),
  stages: z
    .array(stageName)
    .min(1)
    .refine((s) => new Set(s).size === s.length, 'stages must be unique')
    .optional(),
  environments: z.record(stageName, z.string().min(1).max(255)).optional(),
  // Strict: a misspelt key in who-may-act must not silently fall back to a default.
  chatops: z
    .strictObject({
      permission: z.enum(LEVELS).optional(),
      commands: z
        .partialRecord(
          z.enum(COMMAND_KEYS),
          z.strictObject({
            permission: z.enum(LEVELS).optional(),
            teams: z
              .array(z.string().regex(/^([A-Za-z0-9-]+\/)?[A-Za-z0-9_.-]+$/, 'a team slug, or org/slug'))
              .min(1)
              .optional(),
          }),
        )
        .optional(),
      unknown_commands: z.enum(['reply', 'ignore']).optional(),
    })
    .optional(),
  deploy: deploySchema.optional(),
  endpoints: endpointsSchema.optional(),
  shadow: shadowSettingsSchema.optional(),
  // Checked strictly by tracking-settings.ts, so the whole file is checked on every pull request.
  tracking: z.unknown().optional(),
});

/**
 * Reads the settings file under `root` through the containment rule (a
 * regular file inside the repository, at most SETTINGS_MAX_BYTES): a missing
 * file means defaults; anything else that cannot be read is a CommandError
 * (exit 2), never a weaker default.
 */
export async function readSettings(root: string): Promise<Settings> {
  const read = await new FileSystemSource(root).read(SETTINGS_FILE, SETTINGS_MAX_BYTES);
  if (!read.ok) {
    if (read.problem.kind === 'missing') return parseSettings(undefined);
    throw new CommandError(
      `${SETTINGS_FILE} cannot be read: ${read.problem.detail}`,
      `Make ${SETTINGS_FILE} a regular file in the repository, at most ${SETTINGS_MAX_BYTES / 1024} KiB.`,
    );
  }
  return parseSettings(decodeUtf8(read.value));
}

/** Parses the text of `.github/modelgate.yml` (undefined: the file is absent, defaults apply). */
export function parseSettings(text: string | undefined): Settings {
  if (text === undefined)
    return {
      manifests: DEFAULT_MANIFESTS,
      stages: [...DEFAULT_STAGES],
      configuredStages: undefined,
      environments: {},
      chatops: DEFAULT_CHATOPS,
      deploy: {},
      tracking: parseTrackingSection(undefined),
      endpoints: readEndpointsSection(undefined),
      shadow: readShadowSection(undefined),
    };
  if (Buffer.byteLength(text) > SETTINGS_MAX_BYTES)
    throw new CommandError(
      `${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`,
      'The settings file holds a few lines of configuration; shorten it.',
    );
  const doc = parseYamlDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new CommandError(
      `${SETTINGS_FILE} is not valid YAML: ${yamlError.message.split('\n')[0]}`,
      'Fix the YAML syntax.',
    );
  }
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where =
      issue.code === 'unrecognized_keys'
        ? `${[...issue.path, issue.keys[0]].join('.')}: unknown setting`
        : `${issue.path.join('.') || 'the file'}: ${issue.message}`;
    throw new CommandError(
      `${SETTINGS_FILE}: ${where}`,
      'manifests is a glob or a list of globs; stages a list of stage names; environments maps a stage to a GitHub environment; chatops sets permission (none|read|triage|write|maintain|admin), commands.<rollback|promote|canary|guard|status|help>.{permission,teams} and unknown_commands (reply|ignore); deploy sets gateway_api, kserve or nginx (docs/deploy.md); tracking sets registry.{mirror,models,aliases} (docs/tracking.md); endpoints sets url, preview_url and model (docs/strategies.md); shadow sets outputs (preset or query) and judge (docs/shadow.md).',
    );
  }
  const { manifests, stages, environments, chatops, deploy, tracking, endpoints, shadow } = parsed.data;
  return {
    manifests:
      manifests === undefined ? DEFAULT_MANIFESTS : typeof manifests === 'string' ? [manifests] : manifests,
    stages: stages ?? [...DEFAULT_STAGES],
    configuredStages: stages,
    environments: environments ?? {},
    chatops: {
      permission: chatops?.permission ?? DEFAULT_CHATOPS.permission,
      commands: chatops?.commands ?? {},
      unknownCommands: chatops?.unknown_commands ?? DEFAULT_CHATOPS.unknownCommands,
    },
    deploy: readDeploySection(deploy),
    tracking: parseTrackingSection(tracking),
    endpoints: readEndpointsSection(endpoints),
    shadow: readShadowSection(shadow),
  };
}
