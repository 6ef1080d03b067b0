import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, type RealTokenizer } from '../setup/fixture-packages.js';
import type { TempRegistry } from './registry.js';

const CONFIGS = join(import.meta.dirname, '..', 'fixtures', 'configs');

export interface RealModelOptions {
  /** Model name in the manifest (default: the fixture name with - for _). */
  name?: string;
  version?: string;
  description?: string;
  /** Extra manifest keys, merged over the defaults (artifacts merged too). */
  manifest?: Record<string, unknown>;
  artifacts?: Record<string, unknown>;
}

/**
 * Writes a model that uses a real tokenizer (tokenizer.json and
 * tokenizer_config.json as the model's authors published them) and its
 * published config.json, generation_config.json and, where the authors
 * publish one, chat_template.jinja, with a manifest.
 * Returns the model folder.
 */
export function addRealModel(
  registry: TempRegistry,
  tokenizer: RealTokenizer,
  options: RealModelOptions = {},
): string {
  const name = options.name ?? tokenizer.replaceAll('_', '-');
  const dir = `models/${name}`;
  registry.copy(fixturePath.tokenizerJson(tokenizer), `${dir}/tokenizer.json`);
  registry.copy(fixturePath.tokenizerConfig(tokenizer), `${dir}/tokenizer_config.json`);
  registry.write(`${dir}/config.json`, readFileSync(join(CONFIGS, tokenizer, 'config.json')));
  registry.write(
    `${dir}/generation_config.json`,
    readFileSync(join(CONFIGS, tokenizer, 'generation_config.json')),
  );
  // Models that publish their template as chat_template.jinja (not in tokenizer_config.json) ship it here too.
  const template = join(CONFIGS, tokenizer, 'chat_template.jinja');
  const hasTemplateFile = existsSync(template);
  if (hasTemplateFile) registry.write(`${dir}/chat_template.jinja`, readFileSync(template));
  registry.writeManifest(`${dir}/model.yaml`, {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name,
    version: options.version ?? '1.0.0',
    description: options.description ?? `${tokenizer} test model`,
    ...options.manifest,
    artifacts: {
      config: 'config.json',
      generation_config: 'generation_config.json',
      tokenizer: 'tokenizer.json',
      tokenizer_config: 'tokenizer_config.json',
      ...(hasTemplateFile ? { chat_template: 'chat_template.jinja' } : {}),
      ...options.artifacts,
    },
  });
  return dir;
}

/** A manifest with the given artifacts and nothing else. */
export function manifestWith(
  name: string,
  artifacts: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return { apiVersion: 'modelgate.dev/v1', kind: 'Model', name, version: '1.0.0', ...extra, artifacts };
}

/**
 * The smallest valid model, `m` in models/m: a two-token WordLevel tokenizer
 * and a llama config, plus the given artifacts (which may point anywhere).
 */
export function addTinyModel(registry: TempRegistry, artifacts: Record<string, unknown> = {}): void {
  registry.write('models/m/tokenizer.json', { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json', ...artifacts }),
  );
}
