/**
 * Storage URIs, compared as parsed, never as text: `s3://b/m/../other` is
 * not in `s3://b/m/`. A URI is reduced to a root (the scheme and bucket,
 * host, volume or Hugging Face repository at a revision), the path's
 * segments and, for http(s), its query.
 *
 * What KServe's storage initializer loads from a storageUri
 * (python/storage/kserve_storage/kserve_storage.py) decides which weights
 * are the ones served (kserveSource):
 * - `s3://bucket/prefix/`: every object whose key starts with the prefix as
 *   written. Without the trailing `/`, `…/1.1.0` also loads `…/1.1.0-rc.1/`,
 *   so the `/` is required.
 * - `gs://bucket/path` (KServe adds the `/`), `pvc://claim/path`,
 *   `file:///path`, Azure blob and file shares
 *   (`https://account.blob.core.windows.net/container/path`; KServe strips
 *   the slashes of an Azure prefix, so siblings that start the same are
 *   loaded too: keep versions in folders no other name starts with): a folder.
 * - `hf://owner/model[:revision]`: that repository's snapshot; nothing after it.
 * - `oci://registry/repository:tag`: the image; the weights are the image itself.
 * - any other `http(s)://host/path?query`: that one URL, downloaded (and
 *   unpacked if it is an archive): it must be a listed weights file itself.
 *   `https://storage.googleapis.com/…` is such a URL to KServe too.
 * KServe matches its prefixes in lower case, so a storageUri's scheme must be.
 * A weights URI is any spelling of a place: `gs://b/k` and
 * `https://storage.googleapis.com/b/k` are one object, scheme and host in any case.
 */
export interface StorageLocation {
  root: string;
  segments: readonly string[];
  /** An http(s) URL's query (a SAS token, a signature), without the `?`. */
  query?: string;
}

/** What KServe loads from a storageUri: a folder (everything under it) or one object. */
export interface KserveSource {
  kind: 'folder' | 'object';
  location: StorageLocation;
}

const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/;
/** Segments that would name another place once decoded or resolved: encoded separators and dots, NUL. */
const SLIPPERY = /%2f|%5c|%2e|%00/i;
const AZURE = /^[^.]+\.(blob|file)\.core\.windows\.net$|^[^.]+\.z\d{1,2}\.(blob|file)\.storage\.azure\.net$/;

type Parsed = { ok: true; location: StorageLocation } | { ok: false; reason: string };

/** The location a URI names, or why it names none modelgate can compare. */
export function storageLocation(uri: string): Parsed {
  const match = URI.exec(uri);
  if (!match) return { ok: false, reason: 'is not a URI of the form scheme://location/path' };
  const [, rawScheme, rawAuthority, path = '', query, fragment] = match;
  const scheme = rawScheme!.toLowerCase();
  const authority = rawAuthority!.toLowerCase();
  const web = scheme === 'https' || scheme === 'http';
  if (!authority && scheme !== 'file')
    return { ok: false, reason: `names no ${scheme === 'hf' ? 'owner' : 'bucket or host'}` };
  if (authority.includes('@'))
    return { ok: false, reason: 'carries credentials (user@): keep them out of URIs' };
  if (fragment !== undefined) return { ok: false, reason: 'has a #fragment, which names no file' };
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
  const withQuery = (location: StorageLocation): Parsed => ({
    ok: true,
    location: query === undefined ? location : { ...location, query },
  });
  if (web && authority === 'storage.googleapis.com') {
    const [bucket, ...rest] = parts;
    if (!bucket) return { ok: false, reason: 'names no bucket' };
    return withQuery({ root: `gs://${bucket.toLowerCase()}`, segments: rest });
  }
  if (scheme === 'hf') {
    const [repository, ...rest] = parts;
    if (!repository) return { ok: false, reason: 'names no repository (hf://owner/model)' };
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
export function kserveSource(
  storageUri: string,
): { ok: true; source: KserveSource } | { ok: false; reason: string } {
  const parsed = storageLocation(storageUri);
  if (!parsed.ok) return parsed;
  const scheme = storageUri.slice(0, storageUri.indexOf(':'));
  if (scheme !== scheme.toLowerCase())
    return { ok: false, reason: `has the scheme ${scheme}:, which KServe only knows in lower case` };
  const { location } = parsed;
  if (scheme === 's3' && !storageUri.endsWith('/'))
    return {
      ok: false,
      reason:
        'does not end with /: KServe loads every object whose key starts with it, so a version also loads its siblings (1.1.0 loads 1.1.0-rc.1/)',
    };
  if (scheme === 'hf' && location.segments.length)
    return { ok: false, reason: 'has a path after hf://owner/model[:revision], which KServe refuses' };
  if (scheme === 'oci') return { ok: true, source: { kind: 'object', location } };
  if (scheme === 'https' || scheme === 'http') {
    const host = (URI.exec(storageUri)?.[2] ?? '').toLowerCase();
    if (!AZURE.test(host)) return { ok: true, source: { kind: 'object', location } };
  }
  return { ok: true, source: { kind: 'folder', location } };
}

/** Whether KServe, loading `source`, loads the object at `file`. */
export function loads(source: KserveSource, file: StorageLocation): boolean {
  const { location } = source;
  if (file.root !== location.root) return false;
  if (source.kind === 'object')
    return (
      file.query === location.query &&
      file.segments.length === location.segments.length &&
      location.segments.every((segment, i) => file.segments[i] === segment)
    );
  return (
    file.segments.length >= location.segments.length &&
    location.segments.every((segment, i) => file.segments[i] === segment)
  );
}
