import { FORMAT_OPTION, ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate release`: its help and options; the work is in run/. */
export const release: CliCommand = {
  name: 'release',
  summary: 'tag the versions a merge introduces and assign them to the first stage',
  usage:
    'modelgate release [--base REF] [--head REF] [--force] [--dry-run] [--root DIR] [--format text|json]',
  help: `Plans the release of every manifest whose version changed between --base
and --head (default HEAD): a tag <model>@v<version> and a first-stage
assignment <model>#<stage>#N per new version; a restored (rolled back)
version gets only the assignment. Without --dry-run the tags are created in
the local clone; GitHub Releases and Deployments are the Action's part
(command: release). Steps that already exist are skipped, so running it twice
creates nothing twice.

Without --base there is no base commit: every manifest at --head is read and
only versions that have no release tag yet are released. A version already
released is never assigned again (restoring one is recognised only with
--base, the commit before the merge).
A new version of a deprecated model (<model>@deprecated) is refused unless
--force. Exit 1, and nothing released, when a manifest has errors, reuses a
released version with other content, or is refused.`,
  options: {
    ...ROOT_OPTION,
    ...FORMAT_OPTION,
    base: { type: 'string' },
    head: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  run: async (args, out) => (await import('../run/release.js')).runRelease(args, out),
};
