import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { parseRunRef, type RunRef } from '../../../src/core/tracking/run-ref.js';
import { sameRun } from '../../../src/core/tracking/training-check.js';

describe('training.run references', () => {
  it.each([
    ['runs:/8c1e5d0f', { tracker: 'mlflow', runId: '8c1e5d0f' }],
    ['runs:/8c1e5d0f/model', { tracker: 'mlflow', runId: '8c1e5d0f' }],
    // The short form earlier manifests (and the README's example) wrote.
    ['mlflow://runs/8c1e5d', { tracker: 'mlflow', runId: '8c1e5d' }],
    [
      'mlflow://mlflow.acme.internal:5000/#/experiments/12/runs/8c1e5d0f',
      { tracker: 'mlflow', runId: '8c1e5d0f', server: 'mlflow.acme.internal:5000', experimentId: '12' },
    ],
    [
      'wandb://acme/support-bot/runs/3k9x2mzq',
      { tracker: 'wandb', entity: 'acme', project: 'support-bot', runId: '3k9x2mzq' },
    ],
  ])('%s', (text, expected) => {
    expect(parseRunRef(text)).toMatchObject({ ...expected, text });
  });

  it('free text is not a reference; a malformed reference says why', () => {
    expect(parseRunRef('trained on the cluster')).toBeUndefined();
    expect(parseRunRef('wandb://acme/support-bot/3k9x2mzq')).toContain('is not a run reference');
    expect(parseRunRef('mlflow://user:pw@host/#/experiments/1/runs/abc')).toContain(
      'is not a tracking server',
    );
    expect(parseRunRef("runs:/abc'or'1")).toContain('is not a run id');
  });

  it('earlier manifests stay valid; a malformed reference is a schema error', () => {
    const manifest = (training: string) =>
      `apiVersion: modelgate.dev/v1\nkind: Model\nname: m\nversion: 1.0.0\nartifacts: {config: c.json, tokenizer: t.json}\ntraining: ${training}\n`;
    expect(
      parseManifest(
        manifest('{ dataset: support-v7, run: mlflow://runs/8c1e, commit: 4be1d2a, epochs: 3 }'),
        'm.yaml',
      ).findings,
    ).toEqual([]);
    const bad = parseManifest(manifest('{ run: "wandb://acme/runs/x" }'), 'm.yaml').findings;
    expect(bad.map((f) => f.rule)).toEqual(['MANIFEST-SCHEMA']);
    expect(bad[0]!.message).toContain('wandb://acme/runs/x');
  });
});

describe('sameRun', () => {
  const ref = (text: string) => parseRunRef(text) as RunRef;
  it('names one MLflow run by its id on any server spelling, and one W&B run by entity, project and id', () => {
    const id = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
    expect(sameRun(ref(`runs:/${id}`), ref(`mlflow://mlflow.example:443/#/experiments/1/runs/${id}`))).toBe(
      true,
    );
    expect(sameRun(ref(`runs:/${id}`), ref(`runs:/${id.toUpperCase()}`))).toBe(true);
    expect(sameRun(ref(`runs:/${id}`), ref('runs:/0000'))).toBe(false);
    expect(sameRun(ref('wandb://acme/sft-v1/runs/final'), ref('wandb://Acme/SFT-v1/runs/final'))).toBe(true);
    // W&B run ids are unique within a project only: another project's "final" is another run.
    expect(sameRun(ref('wandb://acme/sft-v1/runs/final'), ref('wandb://acme/sft-v2/runs/final'))).toBe(false);
    expect(sameRun(ref(`runs:/${id}`), ref(`wandb://acme/sft-v1/runs/${id}`))).toBe(false);
  });
});
