const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/;
/** Segments that would name another place once decoded or resolved: encoded separators and dots, NUL. */
const SLIPPERY = /%2f|%5c|%2e|%00/i;
const AZURE = /^[^.]+\.(blob|file)\.core\.windows\.net$|^[^.]+\.z\d{1,2}\.(blob|file)\.storage\.azure\.net$/;
/** The location a URI names, or why it names none modelgate can compare. */
function storageLocation(uri) {
    const match = URI.exec(uri);
    if (!match)
        return { ok: false, reason: 'is not a URI of the form scheme://location/path' };
    const [, rawScheme, rawAuthority, path = '', query, fragment] = match;
    const scheme = rawScheme.toLowerCase();
    const authority = rawAuthority.toLowerCase();
    const web = scheme === 'https' || scheme === 'http';
    if (!authority && scheme !== 'file')
        return { ok: false, reason: `names no ${scheme === 'hf' ? 'owner' : 'bucket or host'}` };
    if (authority.includes('@'))
        return { ok: false, reason: 'carries credentials (user@): keep them out of URIs' };
    if (fragment !== undefined)
        return { ok: false, reason: 'has a #fragment, which names no file' };
    if (query !== undefined && !web)
        return { ok: false, reason: `has a ?query, which ${scheme}:// URIs do not have` };
    const trimmed = path.replace(/^\//, '').replace(/\/$/, '');
    const parts = trimmed ? trimmed.split('/') : [];
    if (parts.some((p) => p === '' || p === '.' || p === '..'))
        return {
            ok: false,
            reason: 'has an empty, . or .. path segment, so where it points depends on who resolves it',
        };
    if (parts.some((p) => SLIPPERY.test(p) || p.includes('\\')))
        return {
            ok: false,
            reason: 'has an encoded /, \\, . or NUL in its path, so where it points depends on who decodes it',
        };
    const withQuery = (location) => ({
        ok: true,
        location: query === undefined ? location : { ...location, query },
    });
    if (web && authority === 'storage.googleapis.com') {
        const [bucket, ...rest] = parts;
        if (!bucket)
            return { ok: false, reason: 'names no bucket' };
        return withQuery({ root: `gs://${bucket.toLowerCase()}`, segments: rest });
    }
    if (scheme === 'hf') {
        const [repository, ...rest] = parts;
        if (!repository)
            return { ok: false, reason: 'names no repository (hf://owner/model)' };
        const [model, revision, ...more] = repository.split(':');
        if (!model || revision === '' || more.length)
            return { ok: false, reason: 'is not hf://owner/model or hf://owner/model:revision' };
        return { ok: true, location: { root: `hf://${authority}/${model}:${revision ?? ''}`, segments: rest } };
    }
    if (scheme === 'oci')
        return { ok: true, location: { root: `oci://${authority}/${trimmed}`, segments: [] } };
    return withQuery({ root: `${scheme}://${authority}`, segments: parts });
}
/** What KServe loads from `storageUri`, or why it would load something else than it seems (or nothing). */
function kserveSource(storageUri) {
    const parsed = storageLocation(storageUri);
    if (!parsed.ok)
        return parsed;
    const scheme = storageUri.slice(0, storageUri.indexOf(':'));
    if (scheme !== scheme.toLowerCase())
        return { ok: false, reason: `has the scheme ${scheme}:, which KServe only knows in lower case` };
    const { location } = parsed;
    if (scheme === 's3' && !storageUri.endsWith('/'))
        return {
            ok: false,
            reason: 'does not end with /: KServe loads every object whose key starts with it, so a version also loads its siblings (1.1.0 loads 1.1.0-rc.1/)',
        };
    if (scheme === 'hf' && location.segments.length)
        return { ok: false, reason: 'has a path after hf://owner/model[:revision], which KServe refuses' };
    if (scheme === 'oci')
        return { ok: true, source: { kind: 'object', location } };
    if (scheme === 'https' || scheme === 'http') {
        const host = (URI.exec(storageUri)?.[2] ?? '').toLowerCase();
        if (!AZURE.test(host))
            return { ok: true, source: { kind: 'object', location } };
    }
    return { ok: true, source: { kind: 'folder', location } };
}
/** Whether KServe, loading `source`, loads the object at `file`. */
function loads(source, file) {
    const { location } = source;
    if (file.root !== location.root)
        return false;
    if (source.kind === 'object')
        return (file.query === location.query &&
            file.segments.length === location.segments.length &&
            location.segments.every((segment, i) => file.segments[i] === segment));
    return (file.segments.length >= location.segments.length &&
        location.segments.every((segment, i) => file.segments[i] === segment));
}

export { kserveSource as k, loads as l, storageLocation as s };
