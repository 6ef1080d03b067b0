import { decodeUtf8 } from '../../core/bytes.js';
import { chooseTarget, planDeploy } from '../../core/deploy/plan.js';
import type { ReleasedWeights } from '../../core/deploy/storage-binding.js';
import { MANIFEST_MAX_BYTES } from '../../core/manifest/parse.js';
import { ModelManifests } from '../../core/semver/model-manifests.js';
import { currentRegistration, deployRefusal } from '../../core/registry/registration-tags.js';
import { releaseTag } from '../../core/registry/tag-names.js';
import { CommandError } from '../../core/repository.js';
import { applyNginxFile, NginxNotApplied } from '../../io/deploy/nginx-file.js';
import { stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { modelOf, openRegistry, type RegistryContext } from '../registry-context.js';

/** A percent option, 0 to 100. */
function percentOf(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d{1,3}$/.test(value) || Number(value) > 100)
    throw new CommandError(`--${name} must be a whole percent from 0 to 100, not "${value}"`);
  return Number(value);
}

/** `modelgate deploy`: renders (and for nginx writes) the routing of a released version. */
export async function runDeploy(args: CommandArgs, out: Output): Promise<number> {
  const [name = '', asked = ''] = args.positionals;
  const context = await openRegistry(args, true, out);
  const model = modelOf(context, name);
  const current = currentRegistration(model, asked.replace(/^v/, ''));
  const version = current?.deregistered ? undefined : current;
  if (!version)
    throw new CommandError(
      `${name} ${asked} is not released (no annotated tag ${name}@v${asked.replace(/^v/, '')})`,
      'Release it first (command: release, or modelgate release), then deploy.',
    );
  const simple = releaseTag(name, version.version);
  const undeployable = deployRefusal(model, version);
  if (undeployable) throw new CommandError(undeployable.reason, undeployable.fix);
  const target = chooseTarget(context.settings.deploy, stringOf(args, 'target'));
  if (!target.ok) throw new CommandError(target.reason, target.fix);
  const mirror = percentOf(stringOf(args, 'mirror'), 'mirror');
  // KServe loads whatever its storageUri holds: tied to the weights the release's manifest lists
  // (found as every command finds it: the tag's Manifest: line, else the manifest globs).
  const weights =
    target.target === 'kserve' ? await releasedManifest(context, name, version.version) : undefined;
  if (weights && 'unreadable' in weights)
    throw new CommandError(
      `the manifest of ${name} ${version.version} at ${simple} cannot be read (${weights.manifest}: ${weights.unreadable}), so what the KServe storageUri holds cannot be tied to the release`,
      'Release the version with modelgate release (its tag names the manifest), then deploy.',
    );
  const manifest = weights?.manifest;
  const payload = {
    model: name,
    version: version.version,
    weight: percentOf(stringOf(args, 'weight'), 'weight', 100)!,
    manifest: manifest ?? '',
    trigger: version.commit,
    ...(mirror ? { mirror } : {}),
  };
  const lastStage = context.settings.stages.at(-1)!;
  const live = stringOf(args, 'live') ?? model.stages.find((s) => s.stage === lastStage)?.version;
  // The manifest is the one this command found (the tag's Manifest: line, else the globs): the
  // release's by construction, so it stands as the recorded one; no payload from anyone names it here.
  const plan = planDeploy({
    deployment: { id: 0, sha: version.commit, ref: simple, environment: lastStage, payload: {} },
    payload,
    tag: { exists: true, annotated: true, commit: version.commit, ...(manifest ? { manifest } : {}) },
    newer: [], // the deployment the command makes up is the newest: nothing else routes from here
    production: lastStage,
    live,
    target: target.target,
    settings: context.settings.deploy,
    manifests: context.settings.manifests,
    ...(weights ? { weights } : {}),
  });
  if (plan.kind === 'refused') {
    out.stderr(`modelgate: ${plan.refusal.reason}\n  fix: ${plan.refusal.fix}\n`);
    return 1;
  }
  if (plan.kind !== 'apply') return 1;
  out.stderr(`${plan.routing.summary} (${plan.target}: ${plan.rendered.path})\n`);
  if (!args.values.write) {
    out.stdout(plan.rendered.content);
    return 0;
  }
  if (plan.target !== 'nginx')
    throw new CommandError(
      '--write writes nginx files only',
      'Kubernetes targets are committed to their GitOps repository by the Action (command: deploy); print and commit the file yourself.',
    );
  try {
    const write = await applyNginxFile(context.root, plan.rendered, stringOf(args, 'reload'), false);
    out.stdout(`${write.changed ? 'wrote' : 'unchanged:'} ${plan.rendered.path}\n`);
    if (write.conflict)
      out.stderr(
        `modelgate: warning: nginx says a server of ${plan.rendered.path} conflicts with another (${write.conflict}); the file already had that server, so it is applied\n  fix: Give each model its own deploy.nginx.server_name.\n`,
      );
  } catch (error) {
    if (!(error instanceof NginxNotApplied)) throw error;
    out.stderr(`modelgate: ${error.message}\n  fix: ${error.fix}\n`);
    return 1;
  }
  return 0;
}

/** The manifest of `version` of `name` as its release tag holds it, or why it cannot be read. */
async function releasedManifest(
  context: RegistryContext,
  name: string,
  version: string,
): Promise<ReleasedWeights> {
  const manifests = new ModelManifests(context.repo, {
    globs: context.settings.manifests,
    tags: await context.repo.readTags(),
    registry: context.registry,
  });
  const tag = manifests.tagOf(name, version);
  const found = await manifests.release(name, version, []);
  if (found.kind !== 'found')
    return {
      manifest: context.settings.manifests.join(', '),
      unreadable: found.kind === 'absent' ? `no manifest there declares ${name}` : found.reason,
    };
  const read = await context.repo.at(tag).read(found.file, MANIFEST_MAX_BYTES);
  if (!read.ok) return { manifest: found.file, unreadable: read.problem.detail };
  return { manifest: found.file, text: decodeUtf8(read.value) };
}
