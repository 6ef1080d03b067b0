import { readFile, open } from 'node:fs/promises';
import { q as distExports } from './settings-C5kafvmi.js';
import { C as CommandError } from './command-BFTcRIcy.js';
import { p as parseJsonFile, u as userFileProblem } from './user-file-error-CDa2V0Zz.js';

/**
 * Reads a JSON file the user named. A file that cannot be read, is not JSON or
 * that `read` refuses (MalformedFileError) is a CommandError (exit 2) naming
 * the file, what is wrong and the fix. Anything else `read` throws is a bug in
 * modelgate and goes on to main's "internal error (please report it)", never
 * dressed as a problem with the user's file.
 */
async function readUserJsonFile(file) {
    try {
        const text = await readFile(file.path, 'utf8');
        return file.read(parseJsonFile(text, file.path, file.parse), file.path);
    }
    catch (error) {
        const found = userFileProblem(error);
        if (!found)
            throw error;
        throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
    }
}
/**
 * Reads a YAML mapping the user named (at most `maxBytes`): one that cannot be
 * read, is not YAML or is not a mapping is a CommandError naming the file.
 */
async function readUserYamlFile(path, maxBytes, fix) {
    let text;
    try {
        const handle = await open(path, 'r');
        try {
            const info = await handle.stat();
            if (!info.isFile())
                throw new CommandError(`${path} is not a regular file`, fix);
            if (info.size > maxBytes)
                throw new CommandError(`${path} is larger than ${maxBytes / 1024} KiB`, fix);
            text = await handle.readFile('utf8');
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (error instanceof CommandError)
            throw error;
        const found = userFileProblem(error);
        if (!found)
            throw error;
        throw new CommandError(`${path} cannot be read: ${found.problem}`, fix);
    }
    const document = distExports.parseDocument(text, { uniqueKeys: true });
    if (document.errors[0])
        throw new CommandError(`${path} is not valid YAML: ${document.errors[0].message.split('\n')[0]}`, fix);
    const value = document.toJS({ maxAliasCount: 100 });
    if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new CommandError(`${path} is not a YAML mapping`, fix);
    return value;
}

export { readUserYamlFile as a, readUserJsonFile as r };
