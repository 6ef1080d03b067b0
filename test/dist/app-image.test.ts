// The app's Docker image installs app/package.json's dependencies and copies the compiled app
// (Dockerfile). These specifications hold that set equal to what the app's code imports, so the
// image neither misses a package (a crash at start) nor carries the CLI's (weight, attack surface).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const rootPackage = json('package.json');
const appPackage = json('app/package.json');
const lock = json('package-lock.json');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/**
 * What `node build/app/main.js` loads: the source files reachable from src/app/main.ts and the
 * packages they import at run time (`import type` and `export type` are erased by the build,
 * `import('x')` loads x later but still needs it installed).
 */
function appImports() {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const pending = [join(ROOT, 'src', 'app', 'main.ts')];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const ast = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const specifiers: string[] = [];
    const visit = (node: ts.Node): void => {
      if (
        (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) ||
        (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier)
      ) {
        if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
          specifiers.push(node.moduleSpecifier.text);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        specifiers.push(node.arguments[0].text);
      ts.forEachChild(node, visit);
    };
    visit(ast);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) {
        const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!packages.has(name)) packages.set(name, relative(ROOT, file));
      }
    }
  }
  return { files: [...files].map((file) => relative(ROOT, file)), packages };
}
const app = appImports();

describe("the app image's dependencies (app/package.json) are exactly the app's imports", () => {
  it('every package the app imports is a dependency of the image, and nothing else is', () => {
    const declared = Object.keys(appPackage.dependencies ?? {});
    const imported = [...app.packages.keys()];
    expect({
      'imported by the app, missing from app/package.json': imported
        .filter((name) => !declared.includes(name))
        .map((name) => `${name} (${app.packages.get(name)})`),
      'in app/package.json, not imported by the app': declared.filter((name) => !imported.includes(name)),
    }).toEqual({
      'imported by the app, missing from app/package.json': [],
      'in app/package.json, not imported by the app': [],
    });
  });

  it('the image runs the versions the tests run: the same ranges as the root package, one lock file', () => {
    const dev = rootPackage.devDependencies as Record<string, string>;
    const differing = Object.entries(appPackage.dependencies as Record<string, string>)
      .filter(([name, range]) => dev[name] !== range)
      .map(([name, range]) => `${name}: app ${range}, root ${dev[name] ?? 'missing'}`);
    expect(differing).toEqual([]);
    expect(rootPackage.workspaces).toEqual(['app']);
    // npm ci refuses a lock that disagrees with a workspace's package.json; say so before the image build does.
    expect(lock.packages.app?.dependencies, 'package-lock.json is out of date: run npm install').toEqual(
      appPackage.dependencies,
    );
    expect(appPackage.private).toBe(true);
  });

  it('the image copies every folder of compiled code the app loads', () => {
    // `COPY --from=build /app/build/core ./build/core` copies one folder; `/app/build ./build` all of them.
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/app\/build(?:\/(\S+))? /gm)].map((m) => m[1] ?? '*');
    const needed = [...new Set(app.files.map((file) => file.split('/')[1]!))].sort();
    expect(needed.filter((folder) => !copied.includes(folder) && !copied.includes('*'))).toEqual([]);
  });

  it('the app starts no child process, so node as PID 1 needs no init and the image no git', () => {
    const spawning = app.files.filter((file) =>
      /from ['"](node:)?child_process['"]/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    // If this fails: add an init (tini) as the Dockerfile's ENTRYPOINT and install what is spawned.
    expect(spawning).toEqual([]);
  });
});

describe('the Dockerfile', () => {
  const stages = dockerfile.split(/^(?=FROM )/m).slice(1);
  const runtime = stages.at(-1)!;

  it('runs the app as the unprivileged node user, with node itself as PID 1', () => {
    expect(runtime).toMatch(/^USER node$/m);
    // Exec form: a shell form would make /bin/sh PID 1, and it does not pass SIGTERM on to node.
    expect(runtime).toMatch(/^CMD \["node", "build\/app\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/^ENTRYPOINT /m);
  });

  it("installs only the app workspace's production dependencies in the image it ships", () => {
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --workspace=app /m);
    expect(runtime.match(/^RUN npm /gm)).toHaveLength(1);
  });
});
