import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { fixturePath } from '../setup/fixture-packages.js';

interface Operation {
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { content?: Record<string, { schema?: object }> };
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; schemas: Record<string, object> };
}

interface Route {
  template: string;
  method: string;
  pattern: RegExp;
  /** The same, with a last parameter that may hold slashes (a file path, a ref such as tags/x). */
  greedy: RegExp;
  literalLength: number;
  operation: Operation;
}

/** Where the description's components live in the validator, for the body schemas' `$ref`s. */
const COMPONENTS_ID = 'https://api.github.com/openapi/components';

/**
 * GitHub's published REST description (@octokit/openapi), used to check
 * every request a fake GitHub receives: the path and method must be a
 * documented operation, the query parameters declared, and the JSON body
 * valid for its schema. A wrong path or field fails the test that sent it.
 */
export class GitHubOpenApi {
  private readonly routes: Route[] = [];
  private readonly validators = new Map<Operation, ValidateFunction | null>();
  private componentsAdded = false;
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

  constructor(
    private readonly spec: Spec = JSON.parse(readFileSync(fixturePath.githubOpenApi, 'utf8')) as Spec,
  ) {
    for (const [template, methods] of Object.entries(spec.paths)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
      for (const [method, operation] of Object.entries(methods)) {
        if (method === 'parameters') continue;
        const greedy = source.endsWith('([^/]+)') ? `${source.slice(0, -'([^/]+)'.length)}(.+)` : source;
        this.routes.push({
          template,
          method: method.toUpperCase(),
          pattern: new RegExp(`^${source}$`),
          greedy: new RegExp(`^${greedy}$`),
          literalLength: template.replace(/\{[^}]+\}/g, '').length,
          operation,
        });
      }
    }
    // A literal segment wins over a parameter (/releases/latest before /releases/{release_id}).
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
  }

  /** Checks one request; returns the matched template and every way it breaks the description. */
  check(method: string, url: URL, body: unknown): { template?: string; problems: string[] } {
    const path = url.pathname;
    const route =
      this.routes.find((r) => r.method === method && r.pattern.test(path)) ??
      this.routes.find((r) => r.method === method && r.greedy.test(path));
    if (!route) return { problems: [`${method} ${path} is not an operation of the GitHub REST API`] };
    const problems: string[] = [];
    const declared = new Set(
      this.parameters(route.operation)
        .filter((p) => p.in === 'query')
        .map((p) => p.name),
    );
    for (const key of url.searchParams.keys()) {
      if (!declared.has(key))
        problems.push(`${method} ${route.template}: query parameter "${key}" is not declared`);
    }
    const validate = this.validator(route.operation);
    if (validate === null) {
      if (body !== undefined) problems.push(`${method} ${route.template} takes no request body`);
    } else if (!validate(body ?? {})) {
      for (const error of validate.errors ?? [])
        problems.push(`${method} ${route.template}: body${error.instancePath} ${error.message}`);
    }
    return { template: route.template, problems };
  }

  private parameters(operation: Operation): Parameter[] {
    return (operation.parameters ?? []).map((p) =>
      '$ref' in p ? this.spec.components.parameters[p.$ref.split('/').at(-1)!]! : p,
    );
  }

  private validator(operation: Operation): ValidateFunction | null {
    if (!this.validators.has(operation)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema && !this.componentsAdded) {
        // The components once, under their own id: each body schema refers to them there, so
        // compiling one does not walk the whole description again.
        this.ajv.addSchema({ $id: COMPONENTS_ID, components: this.spec.components });
        this.componentsAdded = true;
      }
      this.validators.set(
        operation,
        schema
          ? this.ajv.compile(
              JSON.parse(
                JSON.stringify(schema).replaceAll('"#/components/', `"${COMPONENTS_ID}#/components/`),
              ),
            )
          : null,
      );
    }
    return this.validators.get(operation)!;
  }
}
