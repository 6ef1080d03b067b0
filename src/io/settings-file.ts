import { FileSystemSource } from './fs-source.js';

/** Where the repository-wide settings live (Probot's convention). */
export const SETTINGS_FILE = '.github/modelgate.yml';

/**
 * Whether the settings file is absent under the containment rule (then the
 * defaults apply), decided without loading the settings parser: a command
 * that needs no setting (`history`) reads the file, and so loads YAML and the
 * schema, only when there is one to check.
 */
export async function settingsFileAbsent(root: string): Promise<boolean> {
  return (await new FileSystemSource(root).stat(SETTINGS_FILE)).kind === 'missing';
}
