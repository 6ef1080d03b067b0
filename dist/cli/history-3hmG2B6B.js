import { c as inertJson } from './escape-BgNOT36n.js';
import { r as registryHistory, g as gtoHistoryJson, h as historyJson, a as historyText } from './registry-CVre3zmW.js';
import { f as formatOf } from './command-BFTcRIcy.js';
import { o as openRegistry, a as modelsOf } from './registry-context-YeRlmSiv.js';
import './state-CXYNe9wV.js';
import './index-DWSCg_8K.js';
import './settings-Dv94sC7L.js';
import 'node:fs/promises';
import 'node:path';
import 'node:child_process';
import 'node:crypto';
import 'process';
import 'buffer';
import 'node:fs';

/** `modelgate history`: the registry's events from the tags of the local clone. */
async function runHistory(args, out) {
    const format = formatOf(args, ['text', 'json', 'gto']);
    const context = await openRegistry(args, true, out);
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
