import { describe, expect, it } from 'vitest';
import { liesWithin, storageLocation } from '../../../src/core/deploy/storage-uri.js';

/** Whether KServe, loading `folder`, loads the weights file `file`; the reason when either is refused. */
const within = (file: string, folder: string) => {
  const f = storageLocation(file);
  const d = storageLocation(folder);
  if (!f.ok) return `file ${f.reason}`;
  if (!d.ok) return `folder ${d.reason}`;
  return liesWithin(f.location, d.location);
};

describe('storage URIs, compared as parsed', () => {
  it.each([
    ['s3://models/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0'],
    ['s3://models/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0/'],
    ['s3://models/gpt2/1.1.0', 's3://models/gpt2/1.1.0'],
    ['S3://Models/gpt2/1.1.0/a/b.safetensors', 's3://models/gpt2/1.1.0'],
    ['gs://models/gpt2/1.1.0/model.safetensors', 'https://storage.googleapis.com/models/gpt2/1.1.0'],
    ['https://storage.googleapis.com/models/gpt2/1.1.0/w.bin', 'gs://models/gpt2/1.1.0'],
    [
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0/w.bin?sv=2024&sig=x',
      'https://acct.blob.core.windows.net/c/gpt2/1.1.0',
    ],
    ['hf://acme/gpt2:0123abc/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['hf://acme/gpt2/model.safetensors', 'hf://acme/gpt2'],
    ['pvc://models/gpt2/1.1.0/model.safetensors', 'pvc://models/gpt2/1.1.0'],
    ['oci://ghcr.io/acme/gpt2:1.1.0', 'oci://ghcr.io/acme/gpt2:1.1.0'],
  ])('%s lies in %s', (file, folder) => {
    expect(within(file, folder)).toBe(true);
  });

  it.each([
    ['s3://models/gpt2/1.1.0-rc/model.safetensors', 's3://models/gpt2/1.1.0'],
    ['s3://other/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0'],
    ['gs://models/gpt2/1.1.0/model.safetensors', 's3://models/gpt2/1.1.0'],
    ['hf://acme/gpt2:main/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['hf://acme/gpt2/model.safetensors', 'hf://acme/gpt2:0123abc'],
    ['hf://acme/gpt2-evil/model.safetensors', 'hf://acme/gpt2'],
    ['oci://ghcr.io/acme/gpt2@sha256:00', 'oci://ghcr.io/acme/gpt2:1.1.0'],
    ['https://evil.example/models/gpt2/1.1.0/w', 'https://storage.googleapis.com/models/gpt2/1.1.0'],
  ])('%s does not lie in %s', (file, folder) => {
    expect(within(file, folder)).toBe(false);
  });

  // Before: compared as text, each of these passed (or s3:// alone took in every s3 URI).
  it.each([
    [
      's3://models/gpt2/1.1.0/../../other/w.bin',
      's3://models/gpt2/1.1.0',
      /^file has an empty, \. or \.\. path segment/,
    ],
    [
      's3://models/gpt2/1.1.0/./w.bin',
      's3://models/gpt2/1.1.0',
      /^file has an empty, \. or \.\. path segment/,
    ],
    ['s3://models/gpt2/1.1.0/%2e%2e/%2E%2E/other', 's3://models/gpt2/1.1.0', /^file has an encoded/],
    ['s3://models/gpt2/1.1.0%2F..%2Fx', 's3://models/gpt2/1.1.0', /^file has an encoded/],
    ['s3://models/gpt2/1.1.0//w.bin', 's3://models/gpt2/1.1.0', /^file has an empty/],
    ['s3://models/w.bin', 's3://', /^folder names no bucket or host/],
    [
      's3://models/gpt2/1.1.0/w.bin?x=1',
      's3://models/gpt2/1.1.0',
      /^file has a \?query, which s3:\/\/ URIs do not have/,
    ],
    ['s3://models/gpt2/1.1.0/w.bin#x', 's3://models/gpt2/1.1.0', /^file has a #fragment/],
    ['s3://key:secret@models/gpt2/1.1.0/w.bin', 's3://models/gpt2/1.1.0', /^file carries credentials/],
    ['models/gpt2/1.1.0/w.bin', 's3://models/gpt2/1.1.0', /^file is not a URI/],
    ['hf://acme/gpt2:a:b/w', 'hf://acme/gpt2', /^file is not hf:\/\/org\/model/],
  ])('%s against %s is refused, not guessed at', (file, folder, reason) => {
    expect(within(file, folder)).toMatch(reason);
  });
});
