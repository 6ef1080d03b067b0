import { i as distExports } from './index-B3yeL5eE.js';

/**
 * yaml's parseDocument with repeated keys refused, found in linear time. The
 * library's own check (uniqueKeys) compares each new key with every earlier
 * key of its mapping: a 1 MiB model.yaml of 88,000 keys took 78 s. Here the
 * keys of each mapping go into one Set. In a document with no other error,
 * the repeat nearest the start becomes its error, "Map keys must be unique",
 * at the repeated key, as the library reports it (a document with other
 * errors keeps those). Keys are equal as the library compares them: the same
 * scalar value (1 and 1.0 are one key, 1 and "1" are two).
 */
function parseYamlDocument(text, options = {}) {
    const doc = distExports.parseDocument(text, { ...options, uniqueKeys: false });
    if (doc.errors.length)
        return doc;
    // The repeat nearest the start of the text: the one the library meets first.
    let first;
    distExports.visit(doc, {
        Map(_key, map) {
            if (!distExports.isMap(map))
                return;
            const seen = new Set();
            for (const pair of map.items) {
                if (!distExports.isScalar(pair.key) || Number.isNaN(pair.key.value))
                    continue;
                if (!seen.has(pair.key.value)) {
                    seen.add(pair.key.value);
                    continue;
                }
                const [start = 0, end = start] = pair.key.range ?? [];
                if (!first || start < first.start)
                    first = { start, end };
                return;
            }
        },
    });
    if (!first)
        return doc;
    const repeated = new distExports.YAMLParseError([first.start, first.end], 'DUPLICATE_KEY', 'Map keys must be unique');
    const at = options.lineCounter?.linePos(first.start);
    if (at) {
        repeated.linePos = [at];
        repeated.message += ` at line ${at.line}, column ${at.col}`;
    }
    doc.errors.push(repeated);
    return doc;
}

export { parseYamlDocument as p };
