/**
 * Storage URIs, compared as parsed, never as text: `s3://b/m/../other` is
 * not in `s3://b/m/`. A URI is reduced to a root (the scheme and bucket,
 * host, volume or Hugging Face repository at a revision), the path's
 * segments and, for http(s), its query.
 *
 * What KServe's storage initializer loads from a storageUri
 * (python/storage/kserve_storage/kserve_storage.py; pvc:// is mounted by the
 * controller) decides which weights are the ones served (kserveSource):
 * - `s3://bucket/prefix/`: every object whose key starts with the prefix as
 *   written. Without the trailing `/`, `…/1.1.0` also loads `…/1.1.0-rc.1/`,
 *   so the `/` is required.
 * - `gs://bucket/path` (KServe adds the `/`), `pvc://claim/path`,
 *   `file:///path`: a folder.
 * - Azure blob and file storage (`https://account.blob.core.windows.net/…`):
 *   a folder; the weights' URIs may carry a SAS token. KServe strips the
 *   slashes of a blob prefix, so the settings keep `{version}` out of its
 *   last segment.
 * - `hf://owner/model:revision`: that repository's snapshot; nothing after it.
 * - `oci://registry/repository:tag` (or `@sha256:…`): the image itself.
 * - any other `https://host/path?query`: that one URL, downloaded (and
 *   unpacked if it is an archive): it must be a listed weights file itself.
 * KServe picks its downloader by testing the raw text, case-sensitively and
 * unanchored, in its own order (Azure before hf:// and oci://, a `.git`
 * before a plain URL); a URI it would route otherwise than modelgate reads
 * it is refused, as is any other scheme. A weights URI is any spelling of a
 * place: `gs://b/k` and `https://storage.googleapis.com/b/k` are one object,
 * scheme and host in any case; it must lie strictly under a folder, with no
 * query but a SAS token (a GCS generation or an Azure snapshot names a
 * version KServe does not load).
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
  /** Azure storage: the weights' URIs may carry a SAS token. */
  azure?: boolean;
}

const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/;
/** Segments that would name another place once decoded or resolved: encoded separators and dots, NUL. */
const SLIPPERY = /%2f|%5c|%2e|%00/i;

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

/** KServe's own tests of a storageUri (kserve_storage.py), in its order, on the raw text: unanchored, case-sensitive. */
const KSERVE_AZURE_BLOB = [
  /https:\/\/(.+?).blob.core.windows.net\/(.+)/,
  /https:\/\/(.+?).z[0-9]{1,2}.blob.storage.azure.net\/(.+)/,
];
const KSERVE_AZURE_FILE = [
  /https:\/\/(.+?).file.core.windows.net\/(.+)/,
  /https:\/\/(.+?).z[0-9]{1,2}.file.storage.azure.net\/(.+)/,
];
const KSERVE_GIT = /https:\/\/.+\.git/;
const KSERVE_URL = /https?:\/\/(.+)\/(.+)/;
/** An Azure storage host as modelgate reads one: the whole host, in lower case, and nothing else. */
const AZURE_HOST =
  /^https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:(?:blob|file)\.core\.windows\.net|z\d{1,2}\.(?:blob|file)\.storage\.azure\.net)\//;
/** The query parameters of an Azure SAS token: they say who may read, never which object. */
const SAS = new Set([
  'sv',
  'ss',
  'srt',
  'sp',
  'se',
  'st',
  'spr',
  'sig',
  'sr',
  'si',
  'sip',
  'skoid',
  'sktid',
  'skt',
  'ske',
  'sks',
  'skv',
  'saoid',
  'suoid',
  'scid',
  'sdd',
  'ses',
]);
/** An OCI tag or digest at the end of a reference: without one, KServe pulls whatever :latest is. */
const OCI_PINNED = /(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$/;

/**
 * What KServe loads from `storageUri`, or why modelgate cannot tell (and
 * refuses): KServe picks a downloader by testing the raw text in its own
 * order with unanchored patterns, so a URI is accepted only when that
 * choice is the one modelgate reads it as.
 */
export function kserveSource(
  storageUri: string,
): { ok: true; source: KserveSource } | { ok: false; reason: string } {
  const parsed = storageLocation(storageUri);
  if (!parsed.ok) return parsed;
  const { location } = parsed;
  const folder = (): { ok: true; source: KserveSource } => ({
    ok: true,
    source: { kind: 'folder', location },
  });
  const scheme = storageUri.slice(0, storageUri.indexOf(':'));
  if (scheme !== scheme.toLowerCase())
    return { ok: false, reason: `has the scheme ${scheme}:, which KServe only knows in lower case` };
  if (scheme === 'gs' || scheme === 'pvc' || scheme === 'file') return folder();
  if (scheme === 's3')
    return storageUri.endsWith('/')
      ? folder()
      : {
          ok: false,
          reason:
            'does not end with /: KServe loads every object whose key starts with it, so a version also loads its siblings (1.1.0 loads 1.1.0-rc.1/)',
        };
  const azure = [...KSERVE_AZURE_BLOB, ...KSERVE_AZURE_FILE].some((pattern) => pattern.test(storageUri));
  if (azure) {
    if (!AZURE_HOST.test(storageUri))
      return {
        ok: false,
        reason: 'would be read by KServe as Azure storage, and its host is not one modelgate reads as such',
      };
    return { ok: true, source: { kind: 'folder', location, azure: true } };
  }
  if (scheme === 'hf') {
    if (location.segments.length || storageUri.endsWith('/'))
      return { ok: false, reason: 'has a path after hf://owner/model:revision, which KServe refuses' };
    if (location.root.endsWith(':'))
      return {
        ok: false,
        reason: 'names no revision (hf://owner/model:revision), so KServe loads whatever main holds then',
      };
    return folder();
  }
  if (scheme === 'oci')
    return OCI_PINNED.test(storageUri)
      ? { ok: true, source: { kind: 'object', location } }
      : { ok: false, reason: 'names no tag or digest, so KServe pulls whatever :latest is then' };
  if (KSERVE_GIT.test(storageUri))
    return { ok: false, reason: 'would be cloned by KServe as a git repository (it has https:// and .git)' };
  if ((scheme === 'https' || scheme === 'http') && KSERVE_URL.test(storageUri))
    return { ok: true, source: { kind: 'object', location } };
  return {
    ok: false,
    reason: `is not a storage URI modelgate can tie to the weights (s3://, gs://, pvc://, file://, hf://, oci://, Azure or https://)`,
  };
}

/**
 * Why a `deploy.kserve.storage_uri` template gives no versions a folder of
 * their own KServe would load as modelgate reads it, or undefined. `{version}`
 * must be in the path (not the host, not the query); on Azure blob storage,
 * whose prefixes KServe strips of their slashes, not in the last segment
 * (`…/1.0.1` would load `…/1.0.10/` too). Expanded with sample names, every
 * result must be a storageUri kserveSource accepts.
 */
export function storageTemplateProblem(template: string): string | undefined {
  const match = URI.exec(template);
  if (!match) return 'is not a URI of the form scheme://location/path';
  const [, , authority = '', path = '', query] = match;
  if (authority.includes('{'))
    return 'has a placeholder in its host or bucket: keep {model} and {version} in the path';
  if (!path.includes('{version}'))
    return `has no {version} in its path${query?.includes('{version}') ? ' (a query names no folder)' : ''}: each version needs a folder of its own`;
  const segments = path.replace(/\/$/, '').split('/');
  if (KSERVE_AZURE_BLOB.some((pattern) => pattern.test(template)) && segments.at(-1)!.includes('{version}'))
    return 'has {version} in its last segment: KServe lists an Azure blob prefix without its /, so 1.0.1 would also load 1.0.10/; add a folder after it';
  for (const version of ['1.0.0', '1.0.0-rc.1']) {
    const source = kserveSource(template.replaceAll('{model}', 'model').replaceAll('{version}', version));
    if (!source.ok) return source.reason;
  }
  return undefined;
}

/** Whether KServe, loading `source`, loads the object at `file`. */
export function loads(source: KserveSource, file: StorageLocation): boolean {
  const { location } = source;
  if (file.root !== location.root) return false;
  const under = (deeper: boolean) =>
    (deeper
      ? file.segments.length > location.segments.length
      : file.segments.length === location.segments.length) &&
    location.segments.every((segment, i) => file.segments[i] === segment);
  if (source.kind === 'object') return file.query === location.query && under(false);
  // A folder's objects are under it, never it (s3's prefix ends with /); a query may only carry an
  // Azure SAS token: any other (a GCS generation, an Azure snapshot) names a version KServe does not load.
  const query = file.query === undefined || (source.azure === true && sasOnly(file.query));
  return query && under(true);
}

/** Whether a query holds nothing but SAS parameters. */
function sasOnly(query: string): boolean {
  return query.split('&').every((pair) => SAS.has(pair.split('=')[0]!.toLowerCase()));
}
