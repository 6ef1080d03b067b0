import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CommandError } from '../core/repository.js';
import { DEFAULT_STAGES } from '../core/registry/stages.js';
import { COMMAND_KEYS, DEFAULT_CHATOPS, LEVELS, type ChatOpsSettings } from '../core/chatops/permission.js';

/** Repository-wide settings from `.github/modelgate.yml` (Probot's convention). */
export interface Settings {
  /** Globs that find model manifests, relative to the repository root. */
  manifests: string[];
  /** Stages in promotion order. */
  stages: string[];
  /** GitHub environment per stage; default: the stage name, or `<model>/<stage>` when several models share the repository. */
  environments: Record<string, string>;
  /** Who may run which ChatOps command. */
  chatops: ChatOpsSettings;
}

export const SETTINGS_FILE = '.github/modelgate.yml';
export const DEFAULT_MANIFESTS = ['models/**/model.yaml'];

const stageName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/, 'lowercase letters, digits, -, _ and /');
const schema = z.looseObject({
  manifests: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
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
});

/** Reads the settings file under `root`; a missing file means defaults, a broken one is a CommandError (exit 2). */
export async function readSettings(root: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(join(root, SETTINGS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseSettings(undefined);
    throw new CommandError(`${SETTINGS_FILE} cannot be read: ${(error as Error).message}`);
  }
  return parseSettings(text);
}

/** Parses the text of `.github/modelgate.yml` (undefined: the file is absent, defaults apply). */
export function parseSettings(text: string | undefined): Settings {
  if (text === undefined)
    return {
      manifests: DEFAULT_MANIFESTS,
      stages: [...DEFAULT_STAGES],
      environments: {},
      chatops: DEFAULT_CHATOPS,
    };
  const doc = parseDocument(text, { uniqueKeys: true });
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
    throw new CommandError(
      `${SETTINGS_FILE}: ${issue.path.join('.') || 'the file'}: ${issue.message}`,
      'manifests is a glob or a list of globs; stages a list of stage names; environments maps a stage to a GitHub environment; chatops sets permission (none|read|triage|write|maintain|admin), commands.<rollback|promote|canary|status|help>.{permission,teams} and unknown_commands (reply|ignore).',
    );
  }
  const { manifests, stages, environments, chatops } = parsed.data;
  return {
    manifests:
      manifests === undefined ? DEFAULT_MANIFESTS : typeof manifests === 'string' ? [manifests] : manifests,
    stages: stages ?? [...DEFAULT_STAGES],
    environments: environments ?? {},
    chatops: {
      permission: chatops?.permission ?? DEFAULT_CHATOPS.permission,
      commands: chatops?.commands ?? {},
      unknownCommands: chatops?.unknown_commands ?? DEFAULT_CHATOPS.unknownCommands,
    },
  };
}
