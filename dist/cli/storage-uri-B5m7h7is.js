const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
/** Segments that would name another place once decoded or resolved: dot segments, encoded separators and dots. */
const SLIPPERY = /%2f|%5c|%2e|%00/i;
/** The location a storage URI names, or why it names none modelgate can compare. */
function storageLocation(uri) {
    const match = URI.exec(uri);
    if (!match)
        return { ok: false, reason: 'is not a URI of the form scheme://location/path' };
    const [, rawScheme, rawAuthority, path = '', query, fragment] = match;
    const scheme = rawScheme.toLowerCase();
    const authority = rawAuthority.toLowerCase();
    if (!authority)
        return { ok: false, reason: `names no ${scheme === 'hf' ? 'organisation' : 'bucket or host'}` };
    if (authority.includes('@'))
        return { ok: false, reason: 'carries credentials (user@): keep them out of URIs' };
    if (fragment !== undefined)
        return { ok: false, reason: 'has a #fragment, which names no file' };
    if (query !== undefined && scheme !== 'https' && scheme !== 'http')
        return { ok: false, reason: `has a ?query, which ${scheme}:// URIs do not have` };
    const segments = path.replace(/^\//, '').replace(/\/$/, '');
    const parts = segments ? segments.split('/') : [];
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
    if ((scheme === 'https' || scheme === 'http') && authority === 'storage.googleapis.com') {
        const [bucket, ...rest] = parts;
        if (!bucket)
            return { ok: false, reason: 'names no bucket' };
        return { ok: true, location: { root: `gs://${bucket.toLowerCase()}`, segments: rest } };
    }
    if (scheme === 'hf') {
        const [repository, ...rest] = parts;
        if (!repository)
            return { ok: false, reason: 'names no repository (hf://org/model)' };
        const [model, revision, ...more] = repository.split(':');
        if (!model || revision === '' || more.length)
            return { ok: false, reason: 'is not hf://org/model or hf://org/model:revision' };
        return { ok: true, location: { root: `hf://${authority}/${model}:${revision ?? ''}`, segments: rest } };
    }
    if (scheme === 'oci')
        return { ok: true, location: { root: `oci://${authority}/${segments}`, segments: [] } };
    return { ok: true, location: { root: `${scheme}://${authority}`, segments: parts } };
}
/** Whether `file` is `folder` itself or lies under it. */
function liesWithin(file, folder) {
    return (file.root === folder.root &&
        file.segments.length >= folder.segments.length &&
        folder.segments.every((segment, i) => file.segments[i] === segment));
}

export { liesWithin as l, storageLocation as s };
