import { C as CommandError, w as warning, e as error, s as setFailed, i as info, b as setOutput, a as summary, O as OUTPUTS, c as setSecret, d as debug } from './inputs-DSZox23F.js';
import { s as statusOf, c as context, a as createOctokit } from './octokit-CjODqJwX.js';
import { resolve } from 'node:path';
import { b as readRegistry, j as releasedVersions, k as withdrawnVersions, c as currentRegistration, l as simpleTagOf, g as deployRefusal, u as unusableSimpleTag, r as resolveArtifactPath, d as decodeUtf8, m as inertText, o as inertCode, q as inertMarkdown, t as object, v as unknown, x as string, y as mirrorTarget, z as modelVersionSearchRequest, A as readModelVersionPage, B as planRegistryMirror, i as readSettings, D as readTrackingSettings, E as releaseTag, G as releaseMirrors } from './settings-B25yr-FP.js';
import { a as readResultsFile, p as parsePythonJson, g as stickyMarker, L as LOGIN, m as mlflowEndpoint, h as sendTrackerRequest, T as TrackerUnreachable, i as hostOf, j as trackerErrorMessage, t as tokenIdentity, e as runReaderFromEnvironment, c as productionTraining, d as checkTraining } from './run-reader-BpLOBwXM.js';
import { k as selectChanged, i as ModelManifests, h as loadModel, m as checkCompatibility, n as findBaseline, o as checkUniqueName, q as contentDigests, u as checkVersion, w as releasedContent, e as annotate, G as GitRepository } from './annotate-C8PgitaW.js';
import { c as characterCount, D as DEPLOYMENT_DESCRIPTION_MAX, p as parseDeploymentPayload, a as planFirstDeployment, b as planRelease } from './plan-BiqAB6ig.js';
import { hkdfSync, timingSafeEqual, createHmac } from 'node:crypto';

/**
 * The model versions a push releases: every manifest the push changed whose
 * version is new (a release) or is a released version restored exactly (a
 * rollback). Reads everything at the pushed commit, never the working tree.
 */
async function findReleaseCandidates(repo, search) {
    const after = await repo.resolveCommit(search.after);
    if (!after)
        throw new CommandError(`the commit "${search.after}" does not exist here`, 'Check out the pushed commit with its history (fetch-depth: 0).');
    const before = search.before && !/^0+$/.test(search.before) ? await repo.resolveCommit(search.before) : undefined;
    if (search.before && !/^0+$/.test(search.before) && !before) {
        throw new CommandError(`the commit before the push, "${search.before}", does not exist here`, 'Check out with fetch-depth: 0 so the previous commit is available.');
    }
    const source = repo.at(after);
    const manifests = await repo.findManifestsAt(after, search.manifests);
    const changedFiles = new Set(before ? await repo.changedBetween(before, after) : []);
    const selected = before ? await selectChanged(source, manifests, [...changedFiles]) : manifests;
    const tags = await repo.readTags();
    const registry = readRegistry(tags);
    const released = releasedVersions([...registry.values()].flatMap((m) => m.versions.map((v) => v.tag)));
    // Models are looked up by name, before the push and at their tags: a moved manifest keeps its history.
    const byName = new ModelManifests(repo, { globs: search.manifests, tags });
    const candidates = [];
    const problems = [];
    const refused = [];
    for (const file of selected) {
        search.progress?.(`reading ${file} at ${after.slice(0, 12)}`);
        const loaded = await loadModel(source, file);
        const facts = loaded.facts;
        const compatibility = facts ? [...loaded.findings, ...checkCompatibility(facts)] : loaded.findings;
        problems.push(...compatibility.filter((f) => f.severity === 'error'));
        if (!facts)
            continue;
        const found = before
            ? await findBaseline(byName, {
                head: facts,
                base: before,
                released: released.get(facts.name) ?? new Set(),
            })
            : { findings: [] };
        const unique = checkUniqueName(facts, await byName.sameName({
            head: after,
            facts,
            checked: selected,
            ...(before ? { base: { ref: before, file: found.baseFile, changed: changedFiles } } : {}),
        }));
        problems.push(...unique, ...found.findings);
        if (unique.length || found.findings.length)
            continue;
        const digests = await contentDigests(source, facts);
        const model = registry.get(facts.name);
        const withdrawn = withdrawnVersions(model);
        const check = await checkVersion({
            head: facts,
            headDigests: digests,
            base: found.baseline,
            released: released.get(facts.name) ?? new Set(),
            withdrawn,
            releasedContent: (v) => releasedContent(byName, facts, v, found.baseline ? [found.baseline.facts.manifestFile] : []),
        });
        problems.push(...check.findings.filter((f) => f.severity === 'error'));
        if (check.change.status === 'unchanged' || check.findings.length)
            continue;
        const version = facts.manifest.version;
        // A withdrawn version is never assigned or deployed. With a base, a change to one failed checkVersion
        // above; without one (a first push, a manual run, a re-run after the deregistration) it is a released
        // version, and those are never assigned again, even where this very commit registered it.
        if (withdrawn.has(version))
            continue;
        // Registered on another commit: with a base, this merge restores it; without one, nothing says so,
        // and re-assigning every released version on each run is what must never happen.
        // Registered on this very commit: a re-run of this release, which finishes what the last run left.
        const registered = currentRegistration(model, version, (v) => v.commit === after);
        if (registered && !before)
            continue;
        if (model?.deprecated && !search.force) {
            refused.push({
                model: facts.name,
                version,
                file,
                reason: `${facts.name} is deprecated (tag ${model.deprecated.tag}), so ${version} is not released`,
                fix: 'Release it anyway with --force, or leave the deprecated model unchanged.',
            });
            continue;
        }
        const simpleTag = simpleTagOf(model, version);
        const undeployable = registered
            ? deployRefusal(model, registered)
            : simpleTag && 'problem' in simpleTag
                ? unusableSimpleTag(facts.name, version, simpleTag.problem)
                : undefined;
        if (undeployable) {
            refused.push({ model: facts.name, version, file, reason: undeployable.reason, fix: undeployable.fix });
            continue;
        }
        const manifestDigest = await source.sha256(file);
        candidates.push({
            facts,
            kind: registered ? 'restore' : 'new',
            commit: registered?.commit ?? after,
            manifestDigest: manifestDigest.ok ? manifestDigest.value.sha256 : '',
            change: check.change,
            findings: compatibility,
            digests,
            metrics: await recordedMetrics(source, facts),
        });
    }
    return { candidates, problems, refused, registry, after, byName };
}
async function recordedMetrics(source, facts) {
    const metrics = [];
    for (const result of facts.manifest.eval?.results ?? []) {
        const path = resolveArtifactPath(facts.manifestFile, result.path);
        if (!path.ok)
            continue;
        const read = await source.read(path.path, 64 * 1024 * 1024);
        if (!read.ok)
            continue;
        try {
            metrics.push(...readResultsFile(parsePythonJson(decodeUtf8(read.value)), path.path).metrics);
        }
        catch {
            // A broken results file is not a reason to hold a release; validate reports it.
        }
    }
    return metrics;
}

const GITHUB_ONLY = new Set(['github-release', 'deployment']);
/** The release plan, step by step, with what already existed. */
function planText(plan, mode) {
    if (!plan.steps.length)
        return 'Nothing to release: no manifest changed its version.\n';
    const mark = (step) => {
        if (step.done)
            return '= exists ';
        if (mode === 'dry-run')
            return '+ plan   ';
        if (mode === 'local' && GITHUB_ONLY.has(step.kind))
            return '- skipped';
        return '+ done   ';
    };
    const lines = plan.steps.map((s) => `${mark(s)}  ${describeStep(s)}`);
    if (mode === 'local' && plan.steps.some((s) => !s.done && GITHUB_ONLY.has(s.kind))) {
        lines.push('', 'GitHub Releases and Deployments are created by the Action (command: release); push the tags with: git push origin --tags');
    }
    return `${lines.join('\n')}\n`;
}
function describeStep(step) {
    switch (step.kind) {
        case 'version-tag':
            return `tag ${inertText(step.tag)} on ${step.commit.slice(0, 12)}`;
        case 'github-release':
            return `GitHub Release "${inertText(step.title)}"`;
        case 'stage-tag':
            return `tag ${inertText(step.tag)} (${inertText(step.model)} ${inertText(step.version)} -> ${inertText(step.stage)}) on ${step.commit.slice(0, 12)}`;
        case 'deployment':
            return `deployment: ${inertText(step.description)}`;
    }
}

/** An explicit key (MODELGATE_STATE_KEY) shorter than this is refused: it could be guessed offline. */
const MIN_EXPLICIT_KEY_LENGTH = 32;
/**
 * HKDF-SHA256 of a secret the adapter already holds (MODELGATE_STATE_KEY,
 * or the app's private key or webhook secret). The fixed `info` keeps this
 * key apart from every other use of the same secret: knowing the MAC key
 * tells nothing about the private key, and the reverse needs the secret.
 */
function sealKeyFrom(secret) {
    const derived = hkdfSync('sha256', secret, 'modelgate', 'modelgate state seal v1', 32);
    return new Uint8Array(derived);
}
function mac(key, scope, encoded) {
    // JSON of the list: no choice of parts can be read as another choice (no separator ambiguity).
    return createHmac('sha256', key)
        .update(JSON.stringify([...scope, encoded]))
        .digest();
}
/** The MAC of `encoded` in `scope`, base64url (43 characters). */
function seal(key, scope, encoded) {
    return mac(key, scope, encoded).toString('base64url');
}
/** Whether `tag` is the MAC of `encoded` in `scope` (compared in constant time). */
function sealVerifies(key, scope, encoded, tag) {
    const expected = mac(key, scope, encoded);
    const given = Buffer.from(tag, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
}
/**
 * The key set explicitly (MODELGATE_STATE_KEY): undefined when it is not
 * set, the reason when it is too short to be a secret.
 */
function explicitSealKey(value) {
    if (value === undefined || value === '')
        return undefined;
    if (value.length < MIN_EXPLICIT_KEY_LENGTH)
        return {
            problem: `MODELGATE_STATE_KEY has ${value.length} characters; it needs at least ${MIN_EXPLICIT_KEY_LENGTH} (e.g. the output of \`openssl rand -hex 32\`)`,
        };
    return sealKeyFrom(value);
}

/**
 * GitHub refuses a release body longer than this, with 422 "body is too long
 * (maximum is 125000 characters)". GitHub does not document the limit; this is
 * its answer since August 2021 (it was 25,000 before).
 */
const GITHUB_RELEASE_BODY_MAX = 125_000;
/**
 * Every step of a release plan that GitHub would refuse for its size, or
 * that breaks the Deployment payload contract, in words naming the model,
 * the step, the limit and the fix; empty when the whole plan fits. Checked
 * before the first write, so a plan with one such step writes nothing: a
 * refusal half-way would push the version tag and leave the release unable to
 * finish on any re-run. GitHub documents no limit on a tag's message; its
 * lines are modelgate's own and bounded by the manifest path and the names.
 */
function releasePlanProblems(plan) {
    const problems = [];
    for (const step of plan.steps) {
        if (step.done)
            continue;
        if (step.kind === 'github-release') {
            const length = characterCount(step.body);
            if (length > GITHUB_RELEASE_BODY_MAX)
                problems.push(`${step.model}: the notes of GitHub Release ${step.title} are ${length} characters; GitHub refuses more than ${GITHUB_RELEASE_BODY_MAX} (a bug in modelgate, which caps them: please report it)`);
        }
        if (step.kind === 'deployment') {
            const length = characterCount(step.description);
            if (length > DEPLOYMENT_DESCRIPTION_MAX)
                problems.push(`${step.model}: the description of the deployment to ${step.environment} is ${length} characters; GitHub refuses more than ${DEPLOYMENT_DESCRIPTION_MAX} (a shorter model name, stage or version fits)`);
            const payload = parseDeploymentPayload(step.payload);
            if (!payload.ok)
                problems.push(`${step.model}: the deployment payload to ${step.environment} breaks its contract (schema/deployment-payload.schema.json): ${payload.problem}`);
        }
    }
    return problems;
}
/** Stops, before anything is written, a plan with a step GitHub would refuse ({@link releasePlanProblems}). */
function assertPlanFits(plan) {
    const problems = releasePlanProblems(plan);
    if (problems.length)
        throw new CommandError(`nothing was released: ${problems.join('; ')}`, 'Nothing was written to GitHub; fix the plan and push again.');
}

/**
 * Carries out a release plan on GitHub, in order. Each step is checked
 * against GitHub right before it is taken, so a re-run after a failure
 * finishes the job and never creates anything twice. A tag that exists on
 * another commit stops the release: that is a conflict, not something to paper over.
 * A plan with a step GitHub would refuse for its size writes nothing
 * ({@link assertPlanFits}); a GitHub Release that GitHub still refuses
 * stops the release before its stage tag and deployment, so a red run never
 * started a rollout, and says that a re-run cannot get past it.
 */
async function applyRelease(plan, api, log) {
    assertPlanFits(plan);
    const applied = [];
    for (const step of plan.steps) {
        if (step.done) {
            applied.push({ step, outcome: 'existed' });
            continue;
        }
        switch (step.kind) {
            case 'version-tag':
            case 'stage-tag': {
                const existing = await api.tagCommit(step.tag);
                if (existing === step.commit) {
                    applied.push({ step, outcome: 'existed' });
                    break;
                }
                if (existing) {
                    throw new CommandError(`tag ${step.tag} already exists on GitHub at ${existing.slice(0, 12)}, not at ${step.commit.slice(0, 12)}`, step.kind === 'stage-tag'
                        ? 'Another release ran at the same time or the checkout lacks tags: re-run with fetch-depth: 0.'
                        : 'Released versions are immutable: bump the version.');
                }
                await api.createTag(step.tag, step.commit, step.message);
                log(`created tag ${step.tag}`);
                applied.push({ step, outcome: 'created' });
                break;
            }
            case 'github-release': {
                if (await api.releaseExists(step.tag)) {
                    applied.push({ step, outcome: 'existed' });
                    break;
                }
                const url = await api
                    .createRelease({ tag: step.tag, name: step.title, body: step.body, prerelease: step.prerelease })
                    .catch((error) => refusedRelease(error, step.tag));
                if (url === undefined) {
                    // Another run created it between the check and the request: it is there, as wanted.
                    applied.push({ step, outcome: 'existed' });
                    break;
                }
                log(`created release ${step.title}: ${url}`);
                applied.push({ step, outcome: 'created', url });
                break;
            }
            case 'deployment': {
                const { id, url } = await api.createDeployment(step);
                log(`created deployment ${id} of ${step.model} ${step.payload.version} to ${step.environment}`);
                applied.push({ step, outcome: 'created', url, deploymentId: id });
                break;
            }
        }
    }
    return applied;
}
/**
 * GitHub's 422 to a new GitHub Release: undefined when the release already
 * exists (another run made it), else a CommandError that says what GitHub
 * refused and that a re-run would be refused the same way. A 422 answers what
 * was sent, so the "re-run resumes" advice of other failures would be untrue.
 */
function refusedRelease(error, tag) {
    if (statusOf(error) !== 422)
        throw error;
    const errors = error.response?.data?.errors;
    const reasons = Array.isArray(errors)
        ? errors.map((e) => e.code === 'already_exists'
            ? 'already_exists'
            : String(e.message ?? `${String(e.field)} ${String(e.code)}`))
        : [];
    if (reasons.length && reasons.every((r) => r === 'already_exists'))
        return undefined;
    const said = reasons.length ? reasons.join('; ') : String(error.message);
    throw new CommandError(`GitHub refused the GitHub Release of ${tag} (422: ${said}); the tag ${tag} exists, its stage tag and deployment were not created`, 'A re-run sends the same release and is refused the same way: fix what GitHub names, then re-run, and the release resumes at the GitHub Release.');
}

/**
 * The pull request that restores a model's files from an earlier release. The
 * branch name is derived from model and version, so asking twice finds the
 * same pull request instead of opening a second one.
 */
function planRevertPullRequest(context) {
    const { model, from, to, tag } = context;
    const branch = `modelgate/rollback-${model.replaceAll('/', '-')}-${to}`;
    const files = context.changes.map((c) => `| ${inertCode(c.path)} | ${c.action === 'restore' ? `restored from ${inertCode(tag)}` : `removed (not in ${inertCode(tag)})`} |`);
    const kept = (context.kept ?? []).map((k) => `| ${inertCode(k.path)} | kept: used by ${k.usedBy.map((m) => inertMarkdown(m)).join(', ')} |`);
    const body = [
        stickyMarker('rollback', model),
        ...(context.requestedBy
            ? [
                requestLine({ by: context.requestedBy, ...(context.link ? { link: context.link } : {}) }, branch, context.requestSeal),
            ]
            : []),
        `Rolls **${inertMarkdown(model)}** back from ${inertMarkdown(from)} to **${inertMarkdown(to)}** (${inertMarkdown(context.reason)}).`,
        '',
        `Every file below is restored exactly as the release tag ${inertCode(tag)} has it${kept.length ? ', except the files marked kept: the release did not have them, and another model uses them' : ''}. When this merges, modelgate's release assigns ${inertMarkdown(to)} to the first stage again and deploys it; no new version is tagged.`,
        '',
        '| file | change |',
        '|---|---|',
        ...files,
        ...kept,
        '',
        [
            context.requestedBy ? `Requested by @${inertMarkdown(context.requestedBy)}` : '',
            context.link ? `from ${context.link}` : '',
        ]
            .filter(Boolean)
            .join(' ') || '',
    ].join('\n');
    return {
        branch,
        title: `Roll back ${model} to ${to}`,
        body: body.trimEnd(),
        commitMessage: `Roll back ${model} from ${from} to ${to}\n\nRestores the files of ${tag}.${context.requestedBy ? `\nRequested-by: ${context.requestedBy}` : ''}`,
    };
}
const REQUEST = /^<!-- modelgate-request:([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))? -->$/m;
/** A request line is a login and a link: anything longer is not one of ours. */
const MAX_REQUEST = 4096;
const requestScope = (repository, branch) => [
    'rollback-request',
    repository.toLowerCase(),
    branch,
];
/**
 * The hidden line of a rollback pull request that records who asked:
 * base64url JSON (it cannot close the comment), then `.` and a MAC over the
 * repository and the pull request's branch when the writer holds a key.
 */
function requestLine(request, branch, sealWith) {
    const encoded = Buffer.from(JSON.stringify(request)).toString('base64url');
    const tag = sealWith ? `.${seal(sealWith.key, requestScope(sealWith.repository, branch), encoded)}` : '';
    return `<!-- modelgate-request:${encoded}${tag} -->`;
}
/** What a request line holds: a login (nothing that breaks a line or a mention) and a link. */
const requestShape = object({ by: string().regex(LOGIN), link: unknown().optional() });
/** The request line of a pull-request body: what it claims and its MAC, not yet believed. */
function readRequestLine(body) {
    const match = body ? REQUEST.exec(body) : null;
    if (!match)
        return undefined;
    const [, encoded = '', tag] = match;
    if (encoded.length > MAX_REQUEST)
        return undefined;
    let value;
    try {
        value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
    const parsed = requestShape.safeParse(value);
    if (!parsed.success)
        return undefined;
    const { by, link } = parsed.data;
    return {
        request: { by, ...(typeof link === 'string' && link.startsWith('https://') ? { link } : {}) },
        encoded,
        ...(tag ? { tag } : {}),
    };
}
/**
 * Who asked for the rollback that a merged pull request made, believed only
 * when modelgate opened it: the pull request's author is a bot, and its line
 * either carries a MAC that verifies for this repository and branch, or
 * (without a key) the author is the reader's own identity. Anything else is
 * ignored, with the reason, so a name nobody asked with never reaches the
 * audit trail.
 */
function trustedRequester(pull, trust) {
    const line = readRequestLine(pull.body);
    if (!line)
        return {};
    if (pull.headRepository?.toLowerCase() !== trust.repository.toLowerCase())
        return {
            ignored: `its branch comes from ${pull.headRepository ?? 'a deleted repository'}, and modelgate opens rollbacks from this repository`,
        };
    const author = pull.author ? `@${pull.author.login}` : 'a deleted account';
    if (pull.author?.type !== 'Bot')
        return { ignored: `its request line was written by ${author}, not by modelgate` };
    if (line.tag) {
        if (!trust.key)
            return {
                ignored: 'its request line is sealed by the app, and MODELGATE_STATE_KEY (the same key as the app) is not set here to check it',
            };
        return sealVerifies(trust.key, requestScope(trust.repository, pull.branch), line.encoded, line.tag)
            ? { requester: line.request }
            : {
                ignored: 'its request line does not verify (changed by hand, or copied from another pull request)',
            };
    }
    if (trust.key)
        return { ignored: 'its request line carries no MAC, and MODELGATE_STATE_KEY is set' };
    if (pull.author.login !== trust.self.login)
        return { ignored: `its request line is unsealed and ${author} is not this workflow's own identity` };
    return { requester: line.request };
}

/**
 * ReleaseApi over the GitHub REST API. Without `requestTrust`, no request
 * line of a merged pull request is believed.
 */
function githubReleaseApi(octokit, repo, requestTrust) {
    const notFound = (fallback) => (error) => {
        if (statusOf(error) === 404)
            return fallback;
        throw error;
    };
    return {
        async tagCommit(tag) {
            const ref = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` }).catch(notFound(undefined));
            if (!ref)
                return undefined;
            const object = ref.data.object;
            if (object.type !== 'tag')
                return object.sha;
            const annotated = await octokit.rest.git.getTag({ ...repo, tag_sha: object.sha });
            return annotated.data.object.sha;
        },
        async defaultBranch() {
            return (await octokit.rest.repos.get(repo)).data.default_branch;
        },
        async onBranch(commit, branch) {
            // The branch's head by its full ref: a bare name in compare could resolve to a tag of that name.
            const head = await octokit.rest.git
                .getRef({ ...repo, ref: `heads/${branch}` })
                .catch((error) => {
                if (statusOf(error) === 404)
                    return undefined;
                throw error;
            });
            if (!head)
                return false;
            // base...head = commit...branch head: "ahead" means the branch has moved on from the commit, which
            // it contains; "behind" or "diverged" mean the commit holds work the branch does not.
            const compared = await octokit.rest.repos
                .compareCommitsWithBasehead({ ...repo, basehead: `${commit}...${head.data.object.sha}`, per_page: 1 })
                .catch((error) => {
                // 404: GitHub does not have the commit; 422: the two share no history. Neither is on the branch.
                if (statusOf(error) === 404 || statusOf(error) === 422)
                    return undefined;
                throw error;
            });
            if (!compared)
                return false;
            const { status, behind_by } = compared.data;
            return (status === 'identical' || status === 'ahead') && behind_by === 0;
        },
        async createTag(tag, commit, message) {
            const created = await octokit.rest.git.createTag({
                ...repo,
                tag,
                message,
                object: commit,
                type: 'commit',
            });
            await octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: created.data.sha });
        },
        async releaseExists(tag) {
            const found = await octokit.rest.repos.getReleaseByTag({ ...repo, tag }).catch(notFound(undefined));
            return found !== undefined;
        },
        async createRelease({ tag, name, body, prerelease }) {
            const created = await octokit.rest.repos.createRelease({
                ...repo,
                tag_name: tag,
                name,
                body,
                prerelease,
                make_latest: 'false',
            });
            return created.data.html_url;
        },
        async listDeployments(environment, ref) {
            const list = await octokit.rest.repos.listDeployments({ ...repo, environment, ref, per_page: 100 });
            return list.data.map((d) => ({ environment: d.environment, payload: d.payload }));
        },
        async createDeployment({ ref, environment, payload, description, production }) {
            const created = await octokit.rest.repos.createDeployment({
                ...repo,
                ref,
                environment,
                payload: payload,
                description,
                auto_merge: false,
                required_contexts: [],
                production_environment: production,
                transient_environment: false,
            });
            if (!('id' in created.data))
                throw new CommandError(`GitHub did not create the deployment: ${created.data.message ?? 'no reason given'}`, 'Re-run: every step of a release finds its own earlier work.');
            return { id: created.data.id, url: created.data.url };
        },
        async pullRequestFor(commit) {
            const pulls = await octokit.rest.repos
                .listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: commit })
                .catch(notFound(undefined));
            const merged = pulls?.data.find((p) => p.merged_at) ?? pulls?.data[0];
            if (!merged)
                return undefined;
            const request = requestTrust
                ? trustedRequester({
                    body: merged.body,
                    author: merged.user && { login: merged.user.login, type: merged.user.type },
                    branch: merged.head.ref,
                    headRepository: merged.head.repo?.full_name,
                }, requestTrust)
                : {};
            return {
                number: merged.number,
                title: merged.title,
                url: merged.html_url,
                author: merged.user?.login,
                ...(request.requester ? { requester: request.requester } : {}),
                ...(request.ignored ? { ignoredRequest: request.ignored } : {}),
            };
        },
    };
}

/** The events a release runs on; any other (pull_request, workflow_run, schedule, a tag push) is refused. */
const RELEASE_EVENTS = new Set(['push', 'workflow_dispatch']);
/**
 * The commit a workflow run may release, or a CommandError saying which rule
 * it broke and how to fix the workflow. A release tags and deploys, so only
 * reviewed history may reach it: a push to the default branch, or a manual
 * run (workflow_dispatch, to finish a release whose run cannot be re-run) on
 * the default branch. Anyone with write access can push an unreviewed branch
 * or dispatch a workflow on one, so the event and the ref are checked here, and
 * the commit's place on the default branch is asked of GitHub before any write
 * ({@link ReleaseApi.onBranch}).
 */
function releaseTrigger(event, defaultBranch) {
    const fix = `Run command: release on push with branches: [${defaultBranch}] (or workflow_dispatch on ${defaultBranch} to finish a release).`;
    if (!RELEASE_EVENTS.has(event.eventName))
        throw new CommandError(`release refused: it runs on a push to the default branch ${defaultBranch} (or a manual run there), not on ${event.eventName || 'an unnamed'} events`, fix);
    const expected = `refs/heads/${defaultBranch}`;
    if (event.ref !== expected)
        throw new CommandError(`release refused: the run is for ${event.ref || 'no ref'}, not for the default branch ${expected}; only reviewed commits on the default branch are tagged and deployed`, fix);
    const pushed = event.eventName === 'push' ? event.payload.after : undefined;
    const commit = pushed ?? event.sha;
    if (!commit || /^0+$/.test(commit))
        throw new CommandError('release refused: the run names no commit (GITHUB_SHA is empty)', fix);
    const before = event.eventName === 'push' ? event.payload.before : undefined;
    return { commit, branch: defaultBranch, ...(before ? { before } : {}) };
}
/** The default branch as the event's payload names it, when it does (push and workflow_dispatch payloads do). */
function payloadDefaultBranch(event) {
    const branch = event.payload.repository?.['default_branch'];
    return typeof branch === 'string' && branch ? branch : undefined;
}

const MARK = { set: '✅', 'in-place': '☑️', failed: '⚠️' };
/** The "MLflow Model Registry" section of the job summary: one line per step. */
function mirrorMarkdown(outcomes) {
    if (!outcomes.length)
        return '';
    const out = ['### MLflow Model Registry', ''];
    for (const o of outcomes) {
        const head = `${inertMarkdown(o.model)} ${inertMarkdown(o.version)} → ${inertMarkdown(o.stage)}${o.destination ? ` (${inertMarkdown(o.destination)})` : ''}`;
        for (const line of o.lines)
            out.push(`- ${MARK[line.status]} ${head}: ${inertMarkdown(line.text)}${line.fix ? ` ${inertMarkdown(line.fix)}` : ''}`);
    }
    out.push('');
    return out.join('\n');
}
/** The same lines for a log or a terminal. */
function mirrorText(outcomes) {
    return outcomes.flatMap((o) => o.lines.map((line) => `registry: ${inertText(o.model)} ${inertText(o.version)} -> ${inertText(o.stage)}${o.destination ? ` (${inertText(o.destination)})` : ''}: ${inertText(line.text)}${line.fix ? ` ${inertText(line.fix)}` : ''}`));
}
/** The failed lines, each a warning with its fix: a mirror that did not happen is never silent. */
function mirrorWarnings(outcomes) {
    return outcomes.flatMap((o) => o.lines
        .filter((line) => line.status === 'failed')
        .map((line) => `the MLflow Model Registry does not show ${inertText(o.model)} ${inertText(o.version)} in ${inertText(o.stage)}: ${inertText(line.text)}.${line.fix ? ` ${inertText(line.fix)}` : ''} The stage assignment itself is done: its git tag is the record.`));
}

/** Search pages read at most: a run registers a model a handful of times, not thousands. */
const MAX_SEARCH_PAGES = 10;
/**
 * Mirrors stage assignments to the MLflow Model Registry, one after the
 * other. Never throws: whatever fails becomes a `failed` line with its fix
 * (the assignments are git tags already; the registry only mirrors them).
 * An empty list when mirroring is off.
 */
async function mirrorStageAssignments(assignments, settings, env, options = {}) {
    const outcomes = [];
    for (const assignment of assignments) {
        const target = mirrorTarget(assignment, settings);
        if (target)
            outcomes.push(await applyRegistryMirror(target, env, options));
    }
    return outcomes;
}
/** Finds the run's registered version, plans what it lacks, and sets it: one line per step. */
async function applyRegistryMirror(target, env, options = {}) {
    const outcome = {
        model: target.model,
        version: target.version,
        stage: target.stage,
        lines: [],
    };
    const fail = (text, fix) => {
        outcome.lines.push({ status: 'failed', text: `not mirrored: ${text}`, fix });
        return outcome;
    };
    if (!target.ok)
        return fail(target.problem, target.fix);
    const configured = mlflowEndpoint(env, target.server, options);
    if (!configured.ok)
        return fail(configured.reason, 'Set MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN) in the step that releases, or turn tracking.registry.mirror off.');
    const endpoint = configured.endpoint;
    try {
        const found = [];
        let page;
        for (let n = 0; n < MAX_SEARCH_PAGES; n += 1) {
            const answer = await sendTrackerRequest(endpoint, modelVersionSearchRequest(target.registeredModel, target.runId, page));
            if (answer.status !== 200)
                return fail(refusal('model-versions/search', answer, endpoint), fixFor(answer));
            const read = readModelVersionPage(answer.body);
            found.push(...read.versions);
            page = read.next;
            if (!page)
                break;
        }
        const plan = planRegistryMirror(target, found);
        if (!plan.ok)
            return fail(plan.problem, plan.fix);
        outcome.destination = `MLflow model "${target.registeredModel}" version ${plan.version}`;
        for (const step of plan.steps) {
            if (step.done) {
                outcome.lines.push({ status: 'in-place', text: `${step.what} already in place` });
                continue;
            }
            const answer = await sendTrackerRequest(endpoint, step.request);
            const line = answer.status === 200
                ? { status: 'set', text: `${step.what} set` }
                : {
                    status: 'failed',
                    text: `${step.what} not set: ${refusal(step.request.path.split('?')[0].replace(/^\/api\/2\.0\/mlflow\//, ''), answer, endpoint)}`,
                    fix: fixFor(answer),
                };
            outcome.lines.push(line);
            // An alias moved without its tags, or tags without the alias, is reported; the rest is not attempted blind.
            if (line.status === 'failed')
                break;
        }
        return outcome;
    }
    catch (error) {
        const reason = error instanceof TrackerUnreachable ? error.message : error.message;
        return fail(reason, 'Re-run the workflow when the tracking server answers; nothing is set twice.');
    }
}
function refusal(rpc, answer, endpoint) {
    if (answer.status === 401 || answer.status === 403)
        return `${hostOf(endpoint.base)} refused the credentials (HTTP ${answer.status}) for ${rpc}`;
    return `${rpc} answered HTTP ${answer.status}: ${trackerErrorMessage(answer.body)}`;
}
function fixFor(answer) {
    return answer.status === 401 || answer.status === 403
        ? "Give the MLFLOW_TRACKING_TOKEN user permission to edit the registered model (MLflow's EDIT or MANAGE), then re-run the workflow."
        : 'Re-run the workflow once the cause is fixed; steps already in place are not repeated.';
}

/**
 * `command: release`, on a push to the default branch (or a manual run
 * there; any other run is refused before it reads or writes anything,
 * {@link releaseTrigger}): tags every new version on the pushed commit,
 * publishes its GitHub Release, assigns it to the first stage and creates
 * the Deployment the deployer acts on; with
 * `tracking.registry.mirror`, the MLflow Model Registry then shows the
 * assignment too. Re-running the same workflow run creates nothing twice and
 * finishes what a failed run left.
 */
async function runRelease(inputs, event = context) {
    const root = resolve(inputs.root);
    // Before anything is read or written: which commit this run may release at all.
    let octokit;
    const github = () => (octokit ??= createOctokit(requireToken(inputs), warning));
    const defaultBranch = payloadDefaultBranch(event) ?? (await githubReleaseApi(github(), event.repo).defaultBranch());
    const trigger = releaseTrigger(event, defaultBranch);
    const settings = await readSettings(root);
    // Read before anything is pushed: a broken tracking section fails the step before any tag, not the mirror after them.
    const tracking = await readTrackingSettings(root);
    const repo = new GitRepository(root);
    const after = trigger.commit;
    const found = await findReleaseCandidates(repo, {
        manifests: settings.manifests,
        ...(trigger.before ? { before: trigger.before } : {}),
        after,
        progress: debug,
    });
    for (const [model, registry] of found.registry)
        for (const ignored of registry.ignored)
            warning(`ignored the tag ${inertText(ignored.tag)} of ${model}: ${ignored.reason}`);
    if (found.problems.length || found.refused.length) {
        annotate(found.problems, root);
        for (const refused of found.refused)
            error(`${refused.model} ${refused.version} was not released: ${refused.reason}. ${refused.fix}`, {
                title: 'modelgate release',
                file: refused.file,
            });
        setFailed(`nothing was released: ${found.problems.length + found.refused.length} problem(s) in the pushed manifests; see the annotations`);
        return;
    }
    if (!found.candidates.length) {
        info('Nothing to release: no manifest changed its version.');
        setOutput(OUTPUTS.releasedJson, '[]');
        setOutput(OUTPUTS.released, '[]');
        return;
    }
    const key = stateKey();
    const api = githubReleaseApi(github(), event.repo, {
        self: await tokenIdentity(github(), warning),
        ...(key ? { key } : {}),
        repository: `${event.repo.owner}/${event.repo.repo}`,
    });
    // The ref said the default branch; GitHub says whether the commit is really on it (a run started
    // for the branch may name any commit), before the first write.
    if (!(await api.onBranch(found.after, trigger.branch)))
        throw new CommandError(`release refused: ${found.after.slice(0, 12)} is not on the default branch ${trigger.branch}; only reviewed commits on it are tagged and deployed`, `Merge the change into ${trigger.branch} through a pull request; its push releases it.`);
    const merged = await api.pullRequestFor(found.after);
    if (merged?.ignoredRequest)
        warning(`pull request #${merged.number}: ${merged.ignoredRequest}. The release does not record who asked for it.`);
    const releaseContext = {
        trigger: found.after,
        actor: event.payload.pusher?.name ?? event.actor,
        pullRequest: merged,
        stages: settings.stages,
        environments: settings.environments,
        sharedRepository: (await repo.findManifestsAt(found.after, settings.manifests)).length > 1,
    };
    const remote = { registry: found.registry, releases: new Set(), deployments: [] };
    for (const candidate of found.candidates) {
        const tag = releaseTag(candidate.facts.name, candidate.facts.manifest.version);
        if (candidate.kind === 'new' && (await api.releaseExists(tag)))
            remote.releases.add(tag);
        // Where the release's first deployment goes (a blue-green preview has its own environment).
        const { environment } = planFirstDeployment(candidate.facts, candidate.kind, releaseContext);
        remote.deployments.push(...(await api.listDeployments(environment, tag)));
    }
    // Each version's training run, read and compared with production's, for its release notes.
    const readRun = runReaderFromEnvironment(process.env);
    const candidates = [];
    for (const candidate of found.candidates) {
        let training;
        if (candidate.kind === 'new' && candidate.facts.manifest.training?.run !== undefined) {
            try {
                const stage = settings.stages.at(-1);
                const production = await productionTraining(found.byName, candidate.facts, found.registry, stage);
                training = (await checkTraining(candidate.facts, readRun, production)).section;
            }
            catch (error) {
                // The notes' training section never blocks the release: its tags and deployment go ahead without it.
                warning(`the training run of ${inertText(candidate.facts.name)} was not read for the release notes: ${inertText(error.message)}`);
            }
        }
        candidates.push({ ...candidate, ...(training ? { training } : {}) });
    }
    const plan = planRelease(candidates, releaseContext, remote);
    const mirrors = releaseMirrors(plan, found.candidates);
    // A step GitHub would refuse fails the dry run too, the way the real run would fail before its first write.
    assertPlanFits(plan);
    if (inputs.dryRun) {
        const wouldMirror = mirrors.flatMap((m) => {
            const target = mirrorTarget(m, tracking.registry);
            if (!target)
                return [];
            return target.ok
                ? [
                    `would mirror ${m.model} ${m.version} -> ${m.stage} to MLflow model "${target.registeredModel}" (@${target.alias}, the version from run ${target.runId})`,
                ]
                : [`would not mirror ${m.model} ${m.version} -> ${m.stage}: ${target.problem}`];
        });
        const text = [planText(plan, 'dry-run'), ...wouldMirror.map(inertText)].join('\n');
        info(text);
        await summary.addHeading('modelgate release (dry run)', 2).addCodeBlock(text).write();
        return;
    }
    const applied = await applyRelease(plan, api, info);
    await summary.addHeading('modelgate release', 2).addCodeBlock(planText(plan, 'github')).write();
    // The tags are pushed: from here on nothing fails the release; what the registry lacks is a warning with its fix.
    const mirrored = await mirrorStageAssignments(mirrors, tracking.registry, process.env);
    for (const line of mirrorText(mirrored))
        info(line);
    for (const warning$1 of mirrorWarnings(mirrored))
        warning(warning$1, { title: 'modelgate registry mirror' });
    if (mirrored.length)
        await summary.addRaw(mirrorMarkdown(mirrored), true).write();
    const released = applied
        .filter((a) => a.step.kind === 'deployment')
        .map((a) => {
        const step = a.step;
        return {
            model: step.model,
            version: step.payload.version,
            tag: step.ref,
            environment: step.environment,
            deployment: a.deploymentId ?? null,
        };
    });
    setOutput(OUTPUTS.releasedJson, JSON.stringify(released));
    setOutput(OUTPUTS.released, JSON.stringify(released));
}
/** The github-token input, needed from the first call to GitHub on. */
function requireToken(inputs) {
    if (!inputs.token)
        throw new CommandError('input "github-token" is empty', 'Pass a token with contents: write and deployments: write.');
    return inputs.token;
}
/**
 * MODELGATE_STATE_KEY from the step's environment: the key the app seals its
 * rollback request lines with. Set, it is masked in the log; too short, the
 * step stops.
 */
function stateKey() {
    const value = process.env.MODELGATE_STATE_KEY;
    if (value)
        setSecret(value);
    const key = explicitSealKey(value);
    if (key && 'problem' in key)
        throw new CommandError(key.problem, 'Set MODELGATE_STATE_KEY to the same secret as the app, or unset it.');
    return key;
}

var release = /*#__PURE__*/Object.freeze({
    __proto__: null,
    runRelease: runRelease,
    stateKey: stateKey
});

export { planRevertPullRequest as p, release as r, stateKey as s };
