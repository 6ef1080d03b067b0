import { c as inertJson } from './escape-C_Mv5luI.js';
import { b as gtoShowJson, c as gtoStages, s as showJson, d as showText } from './registry-Bi9cWSPa.js';
import { f as formatOf } from './command-BFTcRIcy.js';
import { o as openRegistry, b as modelsOf } from './registry-context-DF8J3qnq.js';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';

/** `modelgate show`: the registered models and what each stage holds. */
async function runShow(args, out) {
    const format = formatOf(args, ['text', 'json', 'gto']);
    const context = await openRegistry(args, true, out);
    const [name] = args.positionals;
    const all = modelsOf(context, name);
    const models = args.values['hide-deprecated'] ? all.filter((m) => !m.deprecated) : all;
    const { stages } = context.settings;
    if (format === 'gto') {
        // GTO's model order is the registry's own (the order its tags were read); its stage
        // columns come from GTO's own .gto file, which modelgate does not read: the stages in use.
        const ordered = [...context.registry.values()].filter((m) => models.includes(m));
        out.stdout(`${inertJson(gtoShowJson(ordered, gtoStages(context.registry.values())))}\n`);
        return 0;
    }
    out.stdout(format === 'json'
        ? `${inertJson(showJson(models, stages))}\n`
        : showText(models, stages, name !== undefined));
    return 0;
}

export { runShow };
