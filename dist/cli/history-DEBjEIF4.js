import { c as inertJson } from './escape-C_Mv5luI.js';
import { r as registryHistory, h as historyText, g as gtoHistoryJson, a as historyJson } from './registry-Bi9cWSPa.js';
import { f as formatOf } from './command-BFTcRIcy.js';
import { a as openTagRegistry, b as modelsOf } from './registry-context-DF8J3qnq.js';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';

/** `modelgate history`: the registry's events from the tags of the local clone. */
async function runHistory(args, out) {
    const format = formatOf(args, ['text', 'json', 'gto']);
    const context = await openTagRegistry(args, out);
    const [name] = args.positionals;
    const chosen = modelsOf(context, name);
    // GTO's order among models of the same second is the registry's own.
    const models = [...context.registry.values()].filter((m) => chosen.includes(m));
    const ascending = format !== 'gto' && !args.values['newest-first'];
    const events = registryHistory(models, { ascending });
    // The document and its newline are written apart: the same bytes, without copying megabytes to join them.
    if (format === 'text')
        out.stdout(historyText(events));
    else {
        out.stdout(inertJson(format === 'gto' ? gtoHistoryJson(events) : historyJson(events)));
        out.stdout('\n');
    }
    return 0;
}

export { runHistory };
