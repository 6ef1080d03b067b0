import { z } from 'zod';
import { expandTemplate, templateProblem, type TemplateValues } from '../core/deploy/names.js';

/**
 * `endpoints:` in `.github/modelgate.yml`: where a released version answers
 * OpenAI-compatible requests, for the strategies that call it themselves
 * (a shadow's replay, a blue-green preview's eval suites). Read from the
 * default branch only: a manifest never says where its candidate is judged.
 */
export interface EndpointSettings {
  /** Base URL of a version's OpenAI-compatible API, with `{model}` and `{version}`. */
  url?: string;
  /** Base URL of a blue-green preview (default: `url`). */
  previewUrl?: string;
  /** The model name sent in requests (default `{model}`). */
  model: string;
}

const template = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((text, ctx) => {
    const problem = templateProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const baseUrl = template.superRefine((text, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(expandTemplate(text, { model: 'm', version: '1.0.0' }));
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    ctx.addIssue({ code: 'custom', message: 'an http(s) URL, e.g. http://{model}-{version}.llm:8000/v1' });
  else if (url.username || url.password)
    ctx.addIssue({
      code: 'custom',
      message: 'credentials do not belong in the URL: the app sends MODELGATE_EVAL_API_KEY',
    });
});

/** The zod schema of the `endpoints:` section. */
export const endpointsSchema = z.strictObject({
  url: baseUrl.optional(),
  preview_url: baseUrl.optional(),
  model: template.optional(),
});

/** The section as the app uses it, defaults filled. */
export function readEndpointsSection(section: z.infer<typeof endpointsSchema> | undefined): EndpointSettings {
  return {
    ...(section?.url ? { url: section.url } : {}),
    ...(section?.preview_url ? { previewUrl: section.preview_url } : {}),
    model: section?.model ?? '{model}',
  };
}

/** A version's endpoint (or its preview's), or undefined when the settings name none. */
export function versionEndpoint(
  settings: EndpointSettings,
  values: TemplateValues,
  kind: 'version' | 'preview' = 'version',
): { baseUrl: string; model: string } | undefined {
  const url = kind === 'preview' ? (settings.previewUrl ?? settings.url) : settings.url;
  if (!url) return undefined;
  // In a URL, {model} and {version} keep letters, digits, `.`, `_` and `-`; anything else (a folder's
  // `/`, GTO's `:`, build metadata's `+`, or an `@` from a payload that slipped past the contract)
  // becomes `-`, so no value can move the request to another host, port or path.
  const safe = { model: urlPart(values.model), version: urlPart(values.version) };
  return { baseUrl: expandTemplate(url, safe), model: expandTemplate(settings.model, values) };
}

const urlPart = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, '-');
