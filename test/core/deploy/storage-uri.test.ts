import { describe, expect, it } from 'vitest';
import { kserveSource, loads, storageLocation } from '../../../src/core/deploy/storage-uri.js';

/** Whether KServe, given the storageUri `storage`, loads the weights file `file`; the reason when either is refused. */
const loaded = (file: string, storage: string) => {
  const f = storageLocation(file);
  const s = kserveSource(storage);
  if (!f.ok) return `file ${f.reason}`;
  if (!s.ok) return `storage ${s.reason}`;
  return loads(s.source, f.location);
};

describe('storage URIs, compared as KServe loads them', () => {
  it.each([
    ['s3://models/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0/'],
    ['s3://models/gpt2/1.1.0/a/b.safetensors', 's3://models/gpt2/1.1.0/'],
    ['S3://Models/gpt2/1.1.0/w.bin', 's3://models/gpt2/1.1.0/'],
    ['gs://models/gpt2/1.1.0/model.safetensors', 'gs://models/gpt2/1.1.0'],
    ['https://storage.googleapis.com/models/gpt2/1.1.0/w.bin', 'gs://models/gpt2/1.1.0'],
    [
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0/w.bin?sv=2024&sig=x',
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0',
    ],
    ['hf://acme/gpt2:0123abc/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['pvc://models/gpt2/1.1.0/model.safetensors', 'pvc://models/gpt2/1.1.0'],
    ['file:///mnt/models/gpt2/1.1.0/w.bin', 'file:///mnt/models/gpt2/1.1.0'],
    ['oci://ghcr.io/acme/gpt2:1.1.0', 'oci://ghcr.io/acme/gpt2:1.1.0'],
    // KServe downloads one URL as it is: the listed file, query and all (gs:// spells the same object).
    ['https://models.example/gpt2/1.1.0.tar.gz?sig=1', 'https://models.example/gpt2/1.1.0.tar.gz?sig=1'],
    ['gs://models/gpt2/1.1.0.tar.gz', 'https://storage.googleapis.com/models/gpt2/1.1.0.tar.gz'],
    [
      'https://acct.privatelink.blob.core.windows.net/c/gpt2/1.1.0/w.bin',
      'https://acct.privatelink.blob.core.windows.net/c/gpt2/1.1.0',
    ],
    ['oci://ghcr.io/acme/gpt2@sha256:' + 'a'.repeat(64), 'oci://ghcr.io/acme/gpt2@sha256:' + 'a'.repeat(64)],
  ])('%s is loaded from %s', (file, storage) => {
    expect(loaded(file, storage)).toBe(true);
  });

  it.each([
    ['s3://models/gpt2/1.1.0-rc/model.safetensors', 's3://models/gpt2/1.1.0/'],
    ['s3://other/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0/'],
    ['gs://models/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0/'],
    ['hf://acme/gpt2:main/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['hf://acme/gpt2/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['hf://acme/gpt2-evil:abc/model.safetensors', 'hf://acme/gpt2:abc'],
    // A folder's objects lie under it: s3's prefix ends with /, so the folder's own name is not loaded.
    ['s3://models/gpt2/1.1.0', 's3://models/gpt2/1.1.0/'],
    // A query pins a version KServe does not load (a GCS generation, an Azure snapshot); a SAS token only says who reads.
    ['https://storage.googleapis.com/models/gpt2/1.1.0/w.bin?generation=123', 'gs://models/gpt2/1.1.0'],
    [
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0/w.bin?snapshot=2024',
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0',
    ],
    // KServe's Azure tests are case-sensitive and https only: these are one URL it downloads, not a folder.
    [
      'https://acct.BLOB.core.windows.net/c/gpt2/1.1.0/w.bin',
      'https://acct.BLOB.core.windows.net/c/gpt2/1.1.0',
    ],
    [
      'http://acct.blob.core.windows.net/c/gpt2/1.1.0/w.bin',
      'http://acct.blob.core.windows.net/c/gpt2/1.1.0',
    ],
    ['oci://ghcr.io/acme/gpt2@sha256:00', 'oci://ghcr.io/acme/gpt2:1.1.0'],
    // Before: any https URI was a folder, and KServe downloaded the folder's URL, a file nobody listed.
    ['https://models.example/gpt2/1.1.0/model.safetensors', 'https://models.example/gpt2/1.1.0'],
    [
      'https://storage.googleapis.com/models/gpt2/1.1.0/w.bin',
      'https://storage.googleapis.com/models/gpt2/1.1.0',
    ],
    ['https://models.example/gpt2/1.1.0.tar.gz?sig=1', 'https://models.example/gpt2/1.1.0.tar.gz?sig=2'],
  ])('%s is not loaded from %s', (file, storage) => {
    expect(loaded(file, storage)).toBe(false);
  });

  // Before: compared as text, each of these passed (or s3:// alone took in every s3 URI).
  it.each([
    [
      's3://models/gpt2/1.1.0/../../other/w.bin',
      's3://models/gpt2/1.1.0/',
      /^file has an empty, \. or \.\. path segment/,
    ],
    [
      's3://models/gpt2/1.1.0/./w.bin',
      's3://models/gpt2/1.1.0/',
      /^file has an empty, \. or \.\. path segment/,
    ],
    ['s3://models/gpt2/1.1.0/%2e%2e/%2E%2E/other', 's3://models/gpt2/1.1.0/', /^file has an encoded/],
    ['s3://models/gpt2/1.1.0%2F..%2Fx', 's3://models/gpt2/1.1.0/', /^file has an encoded/],
    ['s3://models/gpt2/1.1.0//w.bin', 's3://models/gpt2/1.1.0/', /^file has an empty/],
    ['s3://models/w.bin', 's3://', /^storage names no bucket or host/],
    [
      's3://models/gpt2/1.1.0/w.bin?x=1',
      's3://models/gpt2/1.1.0/',
      /^file has a \?query, which s3:\/\/ URIs do not have/,
    ],
    ['s3://models/gpt2/1.1.0/w.bin#x', 's3://models/gpt2/1.1.0/', /^file has a #fragment/],
    ['s3://key:secret@models/gpt2/1.1.0/w.bin', 's3://models/gpt2/1.1.0/', /^file carries credentials/],
    ['models/gpt2/1.1.0/w.bin', 's3://models/gpt2/1.1.0/', /^file is not a URI/],
    ['hf://acme/gpt2:a:b/w', 'hf://acme/gpt2', /^file is not hf:\/\/owner\/model/],
  ])('%s against %s is refused, not guessed at', (file, storage, reason) => {
    expect(loaded(file, storage)).toMatch(reason);
  });

  // What KServe would load differently from what the URI seems to say.
  it.each([
    ['s3://models/gpt2/1.1.0', /^does not end with \/: KServe loads every object whose key starts with it/],
    ['S3://models/gpt2/1.1.0/', /^has the scheme S3:, which KServe only knows in lower case/],
    ['hf://acme/gpt2:1.1.0/weights', /^has a path after hf:\/\/owner\/model:revision, which KServe refuses/],
    ['hf://acme/gpt2:1.1.0/', /^has a path after hf:\/\/owner\/model:revision/],
    ['hf://acme/gpt2', /^names no revision/],
    ['oci://ghcr.io/acme/gpt2', /^names no tag or digest/],
    // Before: KServe's own tests of the raw text (case-sensitive, unanchored, in its order) were not
    // mirrored, so these were read as one thing and loaded as another.
    ['https://evil.example/c/w.bin?x=a.blob.core.windows.net/z', /^would be read by KServe as Azure storage/],
    ['https://evil.example/a.blob.core.windows.net/c/w.bin', /^would be read by KServe as Azure storage/],
    ['https://git.example/acme/gpt2.git/w.bin', /^would be cloned by KServe as a git repository/],
    ['oci+native://ghcr.io/acme/gpt2:1.1.0', /^is not a storage URI modelgate can tie/],
    ['hdfs://namenode/models/gpt2/1.1.0', /^is not a storage URI modelgate can tie/],
  ])('the storageUri %s is refused', (storage, reason) => {
    const source = kserveSource(storage);
    expect(source.ok ? 'accepted' : source.reason).toMatch(reason);
  });
});
