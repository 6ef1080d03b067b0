import { ROOT_OPTION, type CliCommand } from '../command.js';

/** `modelgate deploy`: its help and options; the work is in run/. */
export const deploy: CliCommand = {
  name: 'deploy',
  summary: 'render (and for nginx, write) the routing of a released version',
  usage:
    'modelgate deploy <model> <version> [--weight N] [--mirror N] [--live VERSION] [--target gateway-api|kserve|nginx] [--write] [--reload CMD] [--root DIR]',
  help: `Plans the traffic of a released version exactly as the Action's command: deploy
does for a Deployment: <version> answers --weight percent (default 100), the
version in the last stage (or --live) the rest; --mirror copies that percent of
requests to it (a shadow). The target and its settings come from deploy: in
.github/modelgate.yml. Prints the rendered HTTPRoute, InferenceService or nginx
configuration. --write (nginx) writes the file under the root and runs --reload.
Only released versions deploy: an annotated tag <model>@v<version>. A version
that cannot be deployed is exit 1 with the reason.`,
  options: {
    ...ROOT_OPTION,
    weight: { type: 'string' },
    mirror: { type: 'string' },
    live: { type: 'string' },
    target: { type: 'string' },
    write: { type: 'boolean' },
    reload: { type: 'string' },
  },
  positionals: { min: 2, max: 2 },
  run: async (args, out) => (await import('../run/deploy.js')).runDeploy(args, out),
};
