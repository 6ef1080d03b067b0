import { resolve } from 'node:path';
import { r as readSettings, G as GitRepository, f as decodeUtf8, q as distExports } from './settings-C5kafvmi.js';
import { M as MANIFEST_MAX_BYTES, c as parseManifest } from './parse-9QrWOLYh.js';
import { C as CommandError, s as stringOf } from './command-BFTcRIcy.js';
import { r as readUserJsonFile, a as readUserYamlFile } from './user-file-zgnkjr5w.js';

/** `analyze` is the one subcommand of `canary`, `guard`, `shadow`, `bluegreen` and `ab`. */
function requireAnalyze(args, command, usage) {
    if (args.positionals[0] !== 'analyze')
        throw new CommandError(`unknown ${command} command "${args.positionals[0]}"`, `Use: ${usage}`);
}
/**
 * Reads the recorded file of `--<option> FILE` with `read` (which throws
 * MalformedFileError for a file the user must fix) and finds the named
 * model's manifest (`--model`, else the file's `model`).
 */
async function readRecordedAnalysis(args, command, read) {
    const fix = `Record the ${command.records} as described in modelgate ${command.name} --help.`;
    const file = stringOf(args, command.option);
    if (!file)
        throw new CommandError(`--${command.option} FILE is required`, fix);
    // Only a file the reader refuses is the user's problem; a bug in the reader is reported as one.
    const recorded = await readUserJsonFile({ path: file, label: `--${command.option} ${file}`, read, fix });
    const name = stringOf(args, 'model') ?? recorded.model;
    if (!name)
        throw new CommandError('which model? Pass --model NAME or put "model" in the file');
    const root = resolve(stringOf(args, 'root') ?? '.');
    const found = await findModelManifest(args, name);
    return { file, recorded, name, root, manifest: found?.manifest };
}
/** The top-level manifest keys `--policy` may replace: the judging policies, nothing about the model itself. */
const POLICY_KEYS = ['canary', 'rollout', 'guard'];
const POLICY_MAX_BYTES = 64 * 1024;
/**
 * The named model's manifest in the working tree under `--root`, or
 * undefined when there is none. A manifest of that model that does not parse
 * stops the command: its policy cannot be trusted to judge anything. With
 * `--policy FILE` (YAML with `canary`, `rollout` and/or `guard`), those
 * blocks replace the manifest's, checked by the same schema, so a policy can
 * be tried on a recording before it is committed.
 */
async function findModelManifest(args, name) {
    const rootArg = stringOf(args, 'root') ?? '.';
    const root = resolve(rootArg);
    const settings = await readSettings(root);
    const repo = new GitRepository(root);
    let found;
    for (const path of await repo.findManifests(settings.manifests)) {
        const read = await repo.worktree.read(path, MANIFEST_MAX_BYTES);
        const text = read.ok ? decodeUtf8(read.value) : undefined;
        const parsed = text === undefined ? undefined : parseManifest(text, path);
        if (parsed?.manifest?.name === name && text !== undefined)
            found = { manifest: parsed.manifest, path, text };
        else if (parsed && !parsed.manifest && parsed.rawName === name)
            throw new CommandError(`the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`, `Run modelgate validate --root ${rootArg} for every problem.`);
    }
    const policyFile = stringOf(args, 'policy');
    if (!found || !policyFile)
        return found;
    return { manifest: await withPolicy(found, policyFile), path: found.path };
}
/** The manifest with the blocks of a `--policy` file in place of its own, validated as a whole. */
async function withPolicy(found, policyFile) {
    const fix = `Put only ${POLICY_KEYS.join(', ')} blocks in ${policyFile}, as in a manifest (docs/manifest.md).`;
    const policy = await readUserYamlFile(policyFile, POLICY_MAX_BYTES, fix);
    const extra = Object.keys(policy).filter((key) => !POLICY_KEYS.includes(key));
    if (extra.length)
        throw new CommandError(`--policy ${policyFile}: ${extra[0]} is not a policy block`, fix);
    const document = distExports.parseDocument(found.text);
    for (const key of POLICY_KEYS)
        if (key in policy)
            document.set(key, policy[key]);
    const parsed = parseManifest(document.toString(), `${found.path} with --policy ${policyFile}`);
    if (!parsed.manifest)
        throw new CommandError(`--policy ${policyFile} does not fit ${found.path}: ${parsed.findings[0]?.message ?? 'schema errors'}`, fix);
    return parsed.manifest;
}

export { readRecordedAnalysis as a, findModelManifest as f, requireAnalyze as r };
