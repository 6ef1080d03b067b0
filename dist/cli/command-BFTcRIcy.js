/** The command cannot run at all (bad arguments, not a repository, unknown ref): exit code 2. */
class CommandError extends Error {
    fix;
    constructor(message, fix) {
        super(message);
        this.fix = fix;
        this.name = 'CommandError';
    }
}

const ROOT_OPTION = { root: { type: 'string' } };
const FORMAT_OPTION = { format: { type: 'string', default: 'text' } };
/** `analyze` commands: judge with other policy blocks than the manifest's (a what-if, nothing is written). */
const POLICY_OPTION = { policy: { type: 'string' } };
const POLICY_HELP = `--policy FILE judges with the canary, rollout and/or guard blocks of a YAML
file in place of the manifest's (checked by the same schema, nothing is
written): try a policy on a recording before you commit it.`;
/** The opt-out for a registry that really has no model yet: otherwise nothing matched is exit 2. */
const ALLOW_EMPTY_OPTION = { 'allow-empty': { type: 'boolean' } };
const ALLOW_EMPTY_HELP = `No manifest matched is exit 2 (a wrong --root or glob must not pass as a
clean check); --allow-empty makes it exit 0 for a registry with no model yet.
With --base, no changed manifest is a clean 0, but manifests must exist.`;
/** Reads --format, refusing anything but the formats the command knows. */
function formatOf(args, formats) {
    const format = String(args.values.format ?? formats[0]);
    if (!formats.includes(format))
        throw new CommandError(`--format must be one of ${formats.join(', ')}, not "${format}"`);
    return format;
}
/** A repeatable string option's values. */
function listOf(args, name) {
    const value = args.values[name];
    return Array.isArray(value)
        ? value.filter((v) => typeof v === 'string')
        : typeof value === 'string'
            ? [value]
            : [];
}
/** A string option, or undefined. */
function stringOf(args, name) {
    const value = args.values[name];
    return typeof value === 'string' ? value : undefined;
}

export { ALLOW_EMPTY_OPTION as A, CommandError as C, FORMAT_OPTION as F, POLICY_OPTION as P, ROOT_OPTION as R, POLICY_HELP as a, ALLOW_EMPTY_HELP as b, formatOf as f, listOf as l, stringOf as s };
