import { s as semver } from './index-DFzplKgI.js';
import { r as requestedByLine, t as triggerLine, p as planStageAssignment } from './stage-assignment-CkrtnTSp.js';
import { b as releaseTag, N as NAME_MAX_LENGTH, G as GTO_FULLNAME_PATTERN } from './settings-file-BogBtnzp.js';
import { b as inertMarkdown, e as inertCode } from './escape-C_Mv5luI.js';
import { t as trainingMarkdown } from './report-u9Ra8Wz9.js';
import { s as strictObject, n as number, b as _enum, c as string } from './index-B3yeL5eE.js';

/**
 * The GitHub Release body: provenance, what changed and why, compatibility,
 * evaluation, the training run (read and compared with production's when
 * `training` is given, else the manifest's reference), artifacts.
 */
function releaseNotes(candidate, context, training) {
    const { facts, change, findings } = candidate;
    const { name, manifest } = facts;
    const out = [];
    const pr = context.pullRequest;
    out.push(`**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**${manifest.description ? `: ${inertMarkdown(manifest.description)}` : ''}`, '', pr
        ? `Merged in [#${pr.number} ${inertMarkdown(pr.title)}](${pr.url})${context.actor ? ` by @${inertMarkdown(context.actor)}` : ''}.`
        : `Released from ${context.trigger.slice(0, 12)}.`, '');
    out.push('### What changed', '');
    if (!change || change.status === 'new')
        out.push('First release of this model.', '');
    else {
        out.push(`${change.from} → ${change.to}: a **${change.declared}** release; the change requires **${change.required}**.`, '');
        if (change.reasons.length) {
            out.push('| bump | file | reason |', '|---|---|---|');
            for (const r of change.reasons)
                out.push(`| ${r.bump} | ${inertCode(r.file)} | ${inertMarkdown(r.reason)} |`);
            out.push('');
        }
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning');
    out.push('### Compatibility', '', errors
        ? `❌ ${errors} error(s)`
        : `✅ tokenizer, config and weights checks pass${warnings.length ? `, ${warnings.length} warning(s):` : '.'}`, '');
    for (const w of warnings)
        out.push(`- ${w.rule}: ${inertMarkdown(w.message)}`);
    if (warnings.length)
        out.push('');
    if (candidate.metrics.length) {
        out.push('### Evaluation', '', '| metric | value | stderr |', '|---|---|---|');
        for (const m of candidate.metrics)
            out.push(`| ${inertMarkdown(m.name)} | ${m.value} | ${m.stderr ?? '—'} |`);
        out.push('');
    }
    if (training)
        out.push(trainingMarkdown([training], '### Training'));
    else if (manifest.training?.run !== undefined)
        out.push('### Training', '', `Run ${inertCode(manifest.training.run)} (not read at release).`, '');
    out.push('### Artifacts', '', '| artifact | sha256 | size |', '|---|---|---|');
    for (const w of manifest.artifacts.weights)
        out.push(`| ${inertCode(w.uri)} | \`${w.sha256}\` | ${w.size ?? '—'} |`);
    out.push(`| ${inertCode(facts.manifestFile)} | \`${candidate.manifestDigest}\` | |`);
    for (const [path, digest] of candidate.digests) {
        if (path !== facts.manifestFile)
            out.push(`| ${inertCode(path)} | \`${digest}\` | |`);
    }
    out.push('');
    return out.join('\n');
}

/** The longest scale_down_delay a payload may ask for (30 days): a bound, so no payload keeps a version forever. */
const MAX_SCALE_DOWN_DELAY_SECONDS = 30 * 24 * 3600;
/**
 * The rules between the strategy fields, each with the field it is reported
 * on and its message: the zod schema and the JSON Schema enforce the same list.
 */
const CROSS_FIELD_RULES = [
    {
        field: 'role',
        message: 'role is for blue_green deployments only (strategy: blue_green)',
        broken: (p) => p.role !== undefined && p.strategy !== 'blue_green',
        json: {
            if: { required: ['role'] },
            then: { required: ['strategy'], properties: { strategy: { const: 'blue_green' } } },
        },
    },
    {
        field: 'weight',
        message: 'a preview takes no traffic: role preview needs weight 0',
        broken: (p) => p.role === 'preview' && p.weight !== 0,
        json: {
            if: { required: ['role'], properties: { role: { const: 'preview' } } },
            then: { properties: { weight: { const: 0 } } },
        },
    },
    {
        field: 'weight',
        message: 'the switch moves every request: role active needs weight 100',
        broken: (p) => p.role === 'active' && p.weight !== 100,
        json: {
            if: { required: ['role'], properties: { role: { const: 'active' } } },
            then: { properties: { weight: { const: 100 } } },
        },
    },
    {
        field: 'scale_down_delay',
        message: 'scale_down_delay keeps the previous version after a switch: it needs role active',
        broken: (p) => p.scale_down_delay !== undefined && p.role !== 'active',
        json: {
            if: { required: ['scale_down_delay'] },
            then: { required: ['role'], properties: { role: { const: 'active' } } },
        },
    },
    {
        field: 'mirror',
        message: 'mirror is for shadow deployments only (strategy: shadow)',
        broken: (p) => p.mirror !== undefined && p.strategy !== 'shadow',
        json: {
            if: { required: ['mirror'] },
            then: { required: ['strategy'], properties: { strategy: { const: 'shadow' } } },
        },
    },
    {
        // A version that answers requests and gets copies of others would see some twice, and its metrics count them twice.
        field: 'weight',
        message: 'a shadow answers no one: mirror needs weight 0',
        broken: (p) => p.mirror !== undefined && p.weight !== 0,
        json: {
            if: { required: ['mirror'] },
            then: { properties: { weight: { const: 0 } } },
        },
    },
];
/**
 * The Deployment payload as a contract (docs, schema/deployment-payload.schema.json):
 * what a deployer may rely on. Strict, so a field this deployer does not know
 * (a strategy added later) is refused rather than silently ignored.
 */
strictObject({
    model: string()
        .max(NAME_MAX_LENGTH)
        .regex(GTO_FULLNAME_PATTERN, 'a model name as GTO writes it ([dir:]name)')
        .describe('the model, as in its manifest and its tags'),
    version: string()
        .refine((v) => semver.valid(v) === v, 'a SemVer 2 version without a leading v')
        .describe('the released version: the deployment ref is its tag <model>@v<version>'),
    weight: number()
        .int()
        .min(0)
        .max(100)
        .describe('percent of requests this version answers; the version in production answers the rest'),
    manifest: string().min(1).max(1024).describe("the manifest's path in the repository at the release"),
    trigger: string()
        .regex(/^(modelgate-guard:)?[0-9a-f]{40}([0-9a-f]{24})?$/, 'a commit id')
        .describe("the commit whose push or analysis created the deployment (idempotence key); a production guard's rollback names the release it rolled back, as modelgate-guard:<commit>"),
    requested_by: string().min(1).max(100).optional().describe('who asked with a ChatOps command'),
    request: string().url().max(2048).optional().describe("the ChatOps comment's URL"),
    strategy: _enum(['blue_green', 'shadow', 'ab'])
        .optional()
        .describe('the rollout strategy that planned this deployment; absent: a canary step or a promotion'),
    mirror: number()
        .int()
        .min(1)
        .max(100)
        .optional()
        .describe('shadow (weight 0): percent of requests copied to this version; its answers are discarded'),
    role: _enum(['preview', 'active'])
        .optional()
        .describe('blue_green: preview = deployed beside production with no user traffic (weight 0, the preview environment); active = the switch (weight 100, production)'),
    scale_down_delay: number()
        .int()
        .min(0)
        .max(MAX_SCALE_DOWN_DELAY_SECONDS)
        .optional()
        .describe("role active: seconds the previous version's backends stay in place after the switch is live"),
})
    .superRefine((payload, context) => {
    for (const rule of CROSS_FIELD_RULES)
        if (rule.broken(payload))
            context.addIssue({ code: 'custom', path: [rule.field], message: rule.message });
})
    .describe("modelgate's GitHub Deployment payload");
/** Traffic weight of the first canary step when a manifest sets none (DESIGN.md's example). */
const DEFAULT_FIRST_WEIGHT = 5;
/** The GitHub environment of a stage. */
function environmentFor(model, stage, context) {
    return context.environments[stage] ?? (context.sharedRepository ? `${model}/${stage}` : stage);
}
/** The stage name of a blue-green preview: its environment is `preview`, `<model>/preview`, or as `environments:` maps it. */
const PREVIEW_STAGE = 'preview';
/** `rollout.shadow.mirror` when the manifest sets none (docs/shadow.md). */
const DEFAULT_SHADOW_MIRROR = 10;
/** `rollout.ab.split` when the manifest sets none (docs/ab.md). */
const DEFAULT_AB_SPLIT = 50;
function rolloutOf(manifest) {
    return manifest.rollout;
}
/**
 * The first deployment of a released (or restored) version, by the
 * manifest's strategy: a canary at its first step; a shadow at weight 0
 * mirroring `rollout.shadow.mirror` percent; an A/B test at its split; a
 * blue-green preview at weight 0 in the preview environment.
 */
function planFirstDeployment(facts, kind, context) {
    const { name, manifest } = facts;
    const rollout = rolloutOf(manifest);
    const firstStage = context.stages[0];
    const where = environmentFor(name, firstStage, context);
    const production = context.stages.length === 1;
    const what = `${kind === 'restore' ? 'Restore: ' : ''}`;
    switch (rollout?.strategy) {
        case 'shadow': {
            const mirror = rollout.shadow?.mirror ?? DEFAULT_SHADOW_MIRROR;
            return {
                stage: firstStage,
                environment: where,
                weight: 0,
                strategy: 'shadow',
                mirror,
                production,
                description: `${what}Shadow ${name} ${manifest.version} in ${firstStage}, mirroring ${mirror}% of requests (answers none)`,
            };
        }
        case 'ab': {
            const split = rollout.ab?.split ?? DEFAULT_AB_SPLIT;
            return {
                stage: firstStage,
                environment: where,
                weight: split,
                strategy: 'ab',
                production,
                description: `${what}A/B test ${name} ${manifest.version} in ${firstStage} at ${split}% (B)`,
            };
        }
        case 'blue_green':
            return {
                stage: PREVIEW_STAGE,
                environment: environmentFor(name, PREVIEW_STAGE, context),
                weight: 0,
                strategy: 'blue_green',
                role: 'preview',
                // A preview answers no user: never the production environment, whatever the stages.
                production: false,
                description: `${what}Preview ${name} ${manifest.version} beside production (no traffic)`,
            };
        default: {
            const weight = manifest.canary?.steps?.[0] ?? DEFAULT_FIRST_WEIGHT;
            return {
                stage: firstStage,
                environment: where,
                weight,
                production,
                description: `${kind === 'restore' ? 'Restore' : 'Deploy'} ${name} ${manifest.version} to ${firstStage} at ${weight}%`,
            };
        }
    }
}
/**
 * Plans a release: for each new version a version tag, a GitHub Release, a
 * first-stage assignment and its deployment; for a restored version only the
 * assignment and the deployment. Steps that already exist are marked done, so
 * applying the same plan twice does nothing the second time.
 */
function planRelease(candidates, context, remote) {
    const steps = [];
    const firstStage = context.stages[0];
    const numbers = new Map();
    for (const candidate of candidates) {
        const { name, manifest, manifestFile } = candidate.facts;
        const version = manifest.version;
        const tag = releaseTag(name, version);
        const registry = remote.registry.get(name);
        const trailers = provenance(candidate, context);
        const requester = context.pullRequest?.requester;
        const trailer = [
            ...trailers,
            ...(requester ? [requestedByLine(requester)] : []),
            triggerLine(context.trigger),
        ].join('\n');
        if (candidate.kind === 'new') {
            steps.push({
                kind: 'version-tag',
                model: name,
                tag,
                commit: candidate.commit,
                message: `Release ${name} ${version}\n\n${trailer}`,
                done: registry?.versions.some((v) => v.version === version) ?? false,
            });
            steps.push({
                kind: 'github-release',
                model: name,
                tag,
                title: `${name} ${version}`,
                body: releaseNotes(candidate, context, candidate.training),
                prerelease: semver.prerelease(version) !== null,
                done: remote.releases.has(tag),
            });
        }
        const existing = registry?.events.find((e) => e.action === 'assign' &&
            e.stage === firstStage &&
            e.commit === candidate.commit &&
            e.message?.includes(triggerLine(context.trigger)));
        const assignment = planStageAssignment({
            action: 'assign',
            model: name,
            version,
            stage: firstStage,
            commit: candidate.commit,
            lastNumber: numbers.get(name) ?? registry?.lastNumber ?? 0,
            trailers,
            requestedBy: requester,
            trigger: context.trigger,
        });
        if (!existing)
            numbers.set(name, assignment.number);
        steps.push({
            kind: 'stage-tag',
            model: name,
            tag: existing?.tag ?? assignment.tag,
            stage: firstStage,
            version,
            commit: candidate.commit,
            message: assignment.message,
            done: existing !== undefined,
        });
        const first = planFirstDeployment(candidate.facts, candidate.kind, context);
        const payload = {
            model: name,
            version,
            weight: first.weight,
            manifest: manifestFile,
            trigger: context.trigger,
            ...(context.pullRequest?.requester
                ? {
                    requested_by: context.pullRequest.requester.by,
                    ...(context.pullRequest.requester.link ? { request: context.pullRequest.requester.link } : {}),
                }
                : {}),
            ...(first.strategy ? { strategy: first.strategy } : {}),
            ...(first.mirror !== undefined ? { mirror: first.mirror } : {}),
            ...(first.role ? { role: first.role } : {}),
        };
        steps.push({
            kind: 'deployment',
            model: name,
            ref: tag,
            stage: first.stage,
            environment: first.environment,
            payload,
            production: first.production,
            description: first.description,
            done: remote.deployments.some((d) => d.environment === first.environment && samePayload(d.payload, payload)),
        });
    }
    return { steps };
}
/** The provenance lines of a release's tags, before Requested-by and Trigger. */
function provenance(candidate, context) {
    const lines = [`Manifest: ${candidate.facts.manifestFile} sha256:${candidate.manifestDigest}`];
    if (candidate.kind === 'restore')
        lines.push(`Restores: ${releaseTag(candidate.facts.name, candidate.facts.manifest.version)}`);
    if (context.actor)
        lines.push(`Merged-by: ${context.actor}`);
    if (context.pullRequest)
        lines.push(`Pull-request: #${context.pullRequest.number} ${context.pullRequest.url}`);
    return lines;
}
function samePayload(found, wanted) {
    const payload = readDeploymentPayload(found);
    return (payload?.model === wanted.model &&
        payload.version === wanted.version &&
        payload.trigger === wanted.trigger);
}
/**
 * A deployment payload written by modelgate (GitHub returns it as an object,
 * or as a JSON string for older deployments), or undefined for anyone else's.
 */
function readDeploymentPayload(payload) {
    let p = payload;
    if (typeof p === 'string') {
        try {
            p = JSON.parse(p);
        }
        catch {
            return undefined;
        }
    }
    const candidate = p;
    if (!candidate ||
        typeof candidate.model !== 'string' ||
        typeof candidate.version !== 'string' ||
        typeof candidate.weight !== 'number' ||
        typeof candidate.manifest !== 'string') {
        return undefined;
    }
    return candidate;
}

export { planRelease as p };
