import { a7 as assignmentTag, o as inertCode, q as inertMarkdown, a8 as trainingMarkdown, E as releaseTag, s as semver, a9 as manifestLineOf, aa as strictObject, P as number, ab as _enum, x as string, ac as NAME_MAX_LENGTH, ad as GTO_FULLNAME_PATTERN } from './settings-B25yr-FP.js';

/** The trailer that ties a tag to the push that made it. */
const triggerLine = (trigger) => `Trigger: ${trigger}`;
/** The trailer that names who asked for a change with a ChatOps command. */
const requestedByLine = (requester) => `Requested-by: ${requester.by}${requester.link ? ` ${requester.link}` : ''}`;
/**
 * Plans the one GTO tag that assigns a version to a stage (`name#stage#N`)
 * or withdraws it (`name#stage!#N`), N being one more than the highest
 * counter on any of the model's tags, as `gto assign` numbers it. Release
 * planning, `modelgate promote`/`deprecate` and the app's `/promote` all
 * write their stage tags through here, so every stage tag has the same
 * message: a title, the reason, then the trailers (`Requested-by:` when a
 * person asked, `Trigger:` last).
 */
function planStageAssignment(request) {
    const number = request.lastNumber + 1;
    const { model, version, stage } = request;
    const tag = assignmentTag(model, stage, number) ;
    const title = `Assign ${model} ${version} to ${stage}`
        ;
    const trailers = [
        ...(request.trailers ?? []),
        ...(request.requestedBy ? [requestedByLine(request.requestedBy)] : []),
        ...(request.trigger ? [triggerLine(request.trigger)] : []),
    ];
    const message = [title, request.reason, trailers.join('\n')].filter(Boolean).join('\n\n');
    return { tag, number, commit: request.commit, message };
}

/**
 * The longest GitHub Release body modelgate writes, in characters as GitHub
 * counts them (Unicode code points, {@link characterCount}). GitHub refuses a
 * body over 125,000 characters; the margin covers a body GitHub stores with
 * CRLF line ends or a limit that shrinks again (it was 25,000 until 2021).
 */
const RELEASE_NOTES_MAX = 100_000;
/** Free text from the manifest, the pull request or a finding is cut here: one value never crowds out the rest. */
const TEXT_MAX = 1_000;
/** A training section longer than this (a tracker's long parameter values) is replaced by a line saying so. */
const TRAINING_MAX = 20_000;
/** Unicode code points, as GitHub counts a body's characters (an emoji is 1, not its 2 UTF-16 units). */
function characterCount(text) {
    let count = 0;
    for (const _ of text)
        count += 1;
    return count;
}
/**
 * The GitHub Release body: provenance, what changed and why, compatibility,
 * evaluation, the training run (read and compared with production's when
 * `training` is given, else the manifest's reference), artifacts. At most
 * {@link RELEASE_NOTES_MAX} characters, whatever the manifest holds (up to
 * 4,096 weights): each table keeps its first rows, as many as fit, and says
 * how many more the tag holds.
 */
function releaseNotes(candidate, context, training) {
    const blocks = notesBlocks(candidate, context, training);
    const fits = (rows) => notesLength(blocks, rows) <= RELEASE_NOTES_MAX;
    if (fits(Infinity))
        return renderNotes(blocks, Infinity);
    if (!fits(0))
        return pointerNotes(candidate, context);
    // The largest row limit that fits, by bisection on lengths counted once per row; `fitting` always fits.
    let fitting = 0;
    let over = Math.max(...blocks.map((b) => (b.kind === 'lines' ? 0 : b.list.rows.length)));
    while (over - fitting > 1) {
        const rows = Math.floor((fitting + over) / 2);
        if (fits(rows))
            fitting = rows;
        else
            over = rows;
    }
    return renderNotes(blocks, fitting);
}
function rowList(rows, what, where) {
    const prefix = [0];
    for (const row of rows)
        prefix.push(prefix.at(-1) + characterCount(row));
    return { rows, prefix, note: (more) => `… and ${more} more ${what} (${where}).` };
}
/** The notes with at most `rows` rows of each list. */
function renderNotes(blocks, rows) {
    const out = [];
    for (const block of blocks) {
        if (block.kind === 'lines')
            out.push(...block.lines);
        else if (block.kind === 'rows')
            out.push(...block.list.rows.slice(0, rows));
        else if (block.list.rows.length > rows)
            out.push(block.list.note(block.list.rows.length - rows), '');
    }
    return out.join('\n');
}
/** characterCount(renderNotes(blocks, rows)), from the lengths counted once. */
function notesLength(blocks, rows) {
    let characters = 0;
    let lines = 0;
    for (const block of blocks) {
        if (block.kind === 'lines') {
            lines += block.lines.length;
            for (const line of block.lines)
                characters += characterCount(line);
        }
        else if (block.kind === 'rows') {
            const shown = Math.min(rows, block.list.rows.length);
            lines += shown;
            characters += block.list.prefix[shown];
        }
        else if (block.list.rows.length > rows) {
            lines += 2;
            characters += characterCount(block.list.note(block.list.rows.length - rows));
        }
    }
    return characters + Math.max(0, lines - 1);
}
/** Every part of the notes, each row escaped once. */
function notesBlocks(candidate, context, training) {
    const { facts, change, findings } = candidate;
    const { manifest } = facts;
    const blocks = [];
    const lines = (...text) => blocks.push({ kind: 'lines', lines: text });
    const list = (rows) => {
        blocks.push({ kind: 'rows', list: rows });
        return rows;
    };
    const more = (rows) => blocks.push({ kind: 'more', list: rows });
    lines(...heading(candidate, context), '### What changed', '');
    if (!change || change.status === 'new')
        lines('First release of this model.', '');
    else {
        lines(`${change.from} → ${change.to}: a **${change.declared}** release; the change requires **${change.required}**.`, '');
        if (change.reasons.length) {
            lines('| bump | file | reason |', '|---|---|---|');
            const reasons = list(rowList(change.reasons.map((r) => `| ${r.bump} | ${inertCode(clip(r.file))} | ${inertMarkdown(clip(r.reason))} |`), 'reasons', 'the pull request’s check lists them all'));
            lines('');
            more(reasons);
        }
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning');
    lines('### Compatibility', '', errors
        ? `❌ ${errors} error(s)`
        : `✅ tokenizer, config and weights checks pass${warnings.length ? `, ${warnings.length} warning(s):` : '.'}`, '');
    if (warnings.length) {
        const listed = list(rowList(warnings.map((w) => `- ${w.rule}: ${inertMarkdown(clip(w.message))}`), 'warnings', '`modelgate validate` at the tag lists them all'));
        lines('');
        more(listed);
    }
    if (candidate.metrics.length) {
        lines('### Evaluation', '', '| metric | value | stderr |', '|---|---|---|');
        const metrics = list(rowList(candidate.metrics.map((m) => `| ${inertMarkdown(clip(m.name))} | ${m.value} | ${m.stderr ?? '—'} |`), 'metrics', 'see the results files at the tag'));
        lines('');
        more(metrics);
    }
    if (training)
        lines(trainingSection(training));
    else if (manifest.training?.run !== undefined)
        lines('### Training', '', `Run ${inertCode(clip(manifest.training.run))} (not read at release).`, '');
    lines('### Artifacts', '', '| artifact | sha256 | size |', '|---|---|---|');
    const weights = list(rowList(manifest.artifacts.weights.map((w) => `| ${inertCode(clip(w.uri))} | \`${w.sha256}\` | ${w.size ?? '—'} |`), 'weights', 'see the manifest at the tag'));
    // The manifest's own row always: its digest pins every other line of the table.
    lines(`| ${inertCode(clip(facts.manifestFile))} | \`${candidate.manifestDigest}\` | |`);
    const files = list(rowList([...candidate.digests]
        .filter(([path]) => path !== facts.manifestFile)
        .map(([path, digest]) => `| ${inertCode(clip(path))} | \`${digest}\` | |`), 'files', 'see the files at the tag'));
    lines('');
    more(weights);
    more(files);
    return blocks;
}
/** The title line and where the release came from. */
function heading(candidate, context) {
    const { name, manifest } = candidate.facts;
    const pr = context.pullRequest;
    return [
        `**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**${manifest.description ? `: ${inertMarkdown(clip(manifest.description))}` : ''}`,
        '',
        pr
            ? `Merged in [#${pr.number} ${inertMarkdown(clip(pr.title))}](${pr.url})${context.actor ? ` by @${inertMarkdown(clip(context.actor))}` : ''}.`
            : `Released from ${context.trigger.slice(0, 12)}.`,
        '',
    ];
}
/** The training section, or one line when a tracker's values make it longer than the notes can hold. */
function trainingSection(training) {
    const section = trainingMarkdown([training], '### Training');
    if (characterCount(section) <= TRAINING_MAX)
        return section;
    return [
        '### Training',
        '',
        `Run ${inertCode(clip(training.ref))}: its comparison is too long for the notes (${characterCount(section)} characters); the release check's summary has it.`,
        '',
    ].join('\n');
}
/** Notes that only point at the tag, for a release whose fixed parts alone would not fit. */
function pointerNotes(candidate, context) {
    const { name, manifest } = candidate.facts;
    return [
        `**${inertMarkdown(name)} ${inertMarkdown(manifest.version)}**`,
        '',
        `Released from ${context.trigger.slice(0, 12)}. The notes are too long for a GitHub Release: the tag's message and the manifest at the tag (sha256 \`${candidate.manifestDigest}\`) hold its provenance and artifacts.`,
        '',
    ].join('\n');
}
/** At most TEXT_MAX code points of `text` (never half a surrogate pair), with an ellipsis when cut. */
function clip(text) {
    if (text.length <= TEXT_MAX)
        return text;
    const points = Array.from(text);
    return points.length <= TEXT_MAX ? text : `${points.slice(0, TEXT_MAX).join('')}…`;
}

/** GitHub keeps a deployment's description, and a deployment status's, to 140 characters. */
const DEPLOYMENT_DESCRIPTION_MAX = 140;
/**
 * `text` as a deployment (or deployment status) description GitHub accepts:
 * cut to 140 characters, counted in code points as GitHub counts them, and
 * ending in "…" when cut. A long model name or version must not stop a
 * release, and a cut never splits a character.
 */
function deploymentDescription(text) {
    const characters = [...text];
    if (characters.length <= DEPLOYMENT_DESCRIPTION_MAX)
        return text;
    return `${characters.slice(0, DEPLOYMENT_DESCRIPTION_MAX - 1).join('')}…`;
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
const deploymentPayloadSchema = strictObject({
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
/**
 * Checks a payload against the contract (GitHub gives an object, or a JSON
 * string for older deployments): the payload, or the first problem in words.
 */
function parseDeploymentPayload(payload) {
    let value = payload;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return { ok: false, problem: 'the payload is a string that is not JSON' };
        }
    }
    const parsed = deploymentPayloadSchema.safeParse(value);
    if (parsed.success)
        return { ok: true, payload: parsed.data };
    const issue = parsed.error.issues[0];
    const problem = issue.code === 'unrecognized_keys'
        ? `unknown field "${issue.keys[0]}" (this deployer knows ${Object.keys(deploymentPayloadSchema.shape).join(', ')})`
        : `${issue.path.join('.') || 'the payload'}: ${issue.message}`;
    return { ok: false, problem };
}
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
                description: deploymentDescription(`${what}Shadow ${name} ${manifest.version} in ${firstStage}, mirroring ${mirror}% of requests (answers none)`),
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
                description: deploymentDescription(`${what}A/B test ${name} ${manifest.version} in ${firstStage} at ${split}% (B)`),
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
                description: deploymentDescription(`${what}Preview ${name} ${manifest.version} beside production (no traffic)`),
            };
        default: {
            const weight = manifest.canary?.steps?.[0] ?? DEFAULT_FIRST_WEIGHT;
            return {
                stage: firstStage,
                environment: where,
                weight,
                production,
                description: deploymentDescription(`${kind === 'restore' ? 'Restore' : 'Deploy'} ${name} ${manifest.version} to ${firstStage} at ${weight}%`),
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
                // Done only when this very tag registers it: a version GTO registered as `name@v1.2.3#N` on
                // this commit still needs its simple tag, which the release and its Deployment name.
                done: registry?.events.some((e) => e.action === 'register' && e.tag === tag) ?? false,
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
    const lines = [manifestLineOf(candidate.facts.manifestFile, candidate.manifestDigest)];
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

export { DEPLOYMENT_DESCRIPTION_MAX as D, planFirstDeployment as a, planRelease as b, characterCount as c, parseDeploymentPayload as p, readDeploymentPayload as r };
