import { C as CommandError } from './inputs-DSZox23F.js';

/**
 * A file a user wrote or recorded (a results file, recorded canary or guard
 * metrics) does not hold what modelgate needs. It is the user's to fix, so it
 * becomes a message naming the file, what is wrong and the fix; readers throw
 * it for nothing else, so any other exception from a reader stays a bug and is
 * reported as one. Uncaught, it is a CommandError: the command could not run
 * (exit 2), never a stack trace.
 */
class MalformedFileError extends CommandError {
    file;
    problem;
    constructor(
    /** The file as the user named it. */
    file, 
    /** What is wrong, and where in the file. */
    problem, fix) {
        super(`${file}: ${problem}`, fix);
        this.file = file;
        this.problem = problem;
        this.name = 'MalformedFileError';
    }
}
/**
 * An error the file system raised about a file the user named (ENOENT, EACCES,
 * EISDIR, ELOOP…): the file cannot be read, which is the user's to fix. Node's
 * own `ERR_*` codes (a wrong argument) are bugs and do not count.
 */
function isFileSystemError(error) {
    const code = error?.code;
    return error instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}
/**
 * Parses a user's JSON file with `parse` (JSON.parse, or a reader of Python's
 * JSON); a syntax error becomes a MalformedFileError naming the file, saying
 * where, never what is there (a file that is not JSON may be anything: a
 * secret a symlink led to, a binary). Only the parse is covered, so a
 * SyntaxError from anywhere else stays a bug.
 */
function parseJsonFile(text, file, parse = JSON.parse) {
    try {
        return parse(text);
    }
    catch (error) {
        // A parser that recurses (a reviver) overflows the stack on JSON nested thousands deep: the file's doing too.
        if (!(error instanceof SyntaxError || error instanceof RangeError))
            throw error;
        throw new MalformedFileError(file, error instanceof RangeError
            ? 'nested too deeply to read'
            : `not valid JSON (${jsonSyntaxProblem(error.message)})`, 'Write the file as JSON (a tool that writes JSON, or `python -m json.tool FILE` to find the error).');
    }
}
/**
 * V8's description of a JSON syntax error without the file's text: its
 * "Unexpected token 'x', "…" is not valid JSON" quotes the file, the others
 * are fixed wording with a position. modelgate's own parser messages (a key
 * too long) quote nothing and are kept.
 */
function jsonSyntaxProblem(message) {
    if (message.startsWith('Unexpected token'))
        return 'a character that cannot start or continue a JSON value';
    if (message === 'Unexpected end of JSON input')
        return 'it ends before the JSON value does';
    const positioned = /^(.*) in JSON at position (\d+)(?: \(line (\d+) column (\d+)\))?$/.exec(message);
    if (positioned) {
        const [, what = '', position, line, column] = positioned;
        return `${what} at ${line ? `line ${line}, column ${column}` : `position ${position}`}`;
    }
    return message.includes('"') || message.includes("'") ? 'the parser refused it' : message;
}

export { MalformedFileError as M, isFileSystemError as i, parseJsonFile as p };
