import { c as inertJson } from './escape-BgNOT36n.js';
import { r as registryHistory, g as gtoHistoryJson, h as historyJson, a as historyText } from './registry-DDgd7WDp.js';
import { f as formatOf } from './command-BFTcRIcy.js';
import { a as openTagRegistry, b as modelsOf } from './registry-context-Bz-v1ESZ.js';
import './state-ClkVaAZa.js';
import './settings-file-BIujPOIL.js';
import 'node:fs/promises';
import 'node:path';
import 'node:child_process';
import 'node:crypto';
import 'node:fs';
import './parse-er5mazF3.js';

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
    if (format === 'gto')
        out.stdout(`${inertJson(gtoHistoryJson(events))}\n`);
    else
        out.stdout(format === 'json' ? `${inertJson(historyJson(events))}\n` : historyText(events));
    return 0;
}

export { runHistory };
