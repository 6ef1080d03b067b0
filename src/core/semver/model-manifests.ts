import { decodeUtf8 } from '../bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../manifest/parse.js';
import type { ModelFacts } from '../model/facts.js';
import { loadModel } from '../model/load-model.js';
import type { ModelRegistry, TagRecord } from '../registry/state.js';
import { registrationTags, type RegistrationTag } from '../registry/registration-tags.js';
import { releaseTag } from '../registry/tag-names.js';
import type { Repository } from '../repository.js';
import type { ArtifactSource } from '../source.js';
import { manifestLine } from '../release/manifest-line.js';

/**
 * A model's manifest in one tree, looked up by the `name` it declares:
 * `found`, `absent` (no manifest of the tree declares it), or `unknown` (the
 * tree cannot say: a manifest there cannot be read, several declare the name,
 * or the one that does cannot be loaded). Only `absent` means "new".
 */
export type ManifestLookup =
  | { kind: 'found'; file: string; facts: ModelFacts; source: ArtifactSource }
  | { kind: 'absent' }
  | { kind: 'unknown'; reason: string };

/** What a manifest file declares as its name, or why that cannot be told. */
type DeclaredName = { name: string } | { problem: string };

/**
 * One pass over a tree: for each word of the manifests' texts, the files
 * that hold it, and the files that were parsed instead (a backslash escape,
 * a large text) or could not be read. A model name ([a-z0-9][a-z0-9-_/]*,
 * names.ts) written without a backslash escape is one whole word of the
 * text, so only the manifests that mention a name are parsed to see whether
 * they declare it: a lookup in 1,000 models reads 1,000 small files, and
 * parses a handful of YAML documents.
 */
interface TreeScan {
  mentions: Map<string, string[]>;
  settled: string[];
}

/** Texts up to this size are kept as words; larger ones (rare) are parsed at once. */
const WORDS_MAX_CHARS = 64 * 1024;
const NOT_A_NAME_CHARACTER = /[^a-z0-9_/-]+/;

/**
 * The manifests of one tree (the working tree, or the repository at a ref)
 * by the name they declare. A model is its name, not its folder: a manifest
 * moved to another folder is still that model, and its base and its releases
 * are found wherever they were. Likely paths are read alone (the fast path);
 * the whole tree is read once, and only when they do not answer.
 */
class ManifestNames {
  private readonly names = new Map<string, Promise<DeclaredName>>();
  private scan?: Promise<TreeScan>;
  private listing?: Promise<readonly string[]>;

  constructor(
    readonly source: ArtifactSource,
    private readonly manifests: () => Promise<readonly string[]>,
  ) {}

  /**
   * Every manifest of the tree that declares `name`, and those that may
   * (they mention it) but cannot be parsed to say.
   */
  async declaring(name: string): Promise<{ files: string[]; unreadable: string[] }> {
    const { mentions, settled } = await this.scanTree();
    const files: string[] = [];
    const unreadable: string[] = [];
    for (const file of [...new Set([...(mentions.get(name) ?? []), ...settled])].sort()) {
      const declared = await this.nameOf(file);
      if ('problem' in declared) unreadable.push(file);
      else if (declared.name === name) files.push(file);
    }
    return { files, unreadable };
  }

  /** Records that `file` declares `name` (its caller parsed it already): it is not read again to say. */
  remember(file: string, name: string): void {
    if (!this.names.has(file)) this.names.set(file, Promise.resolve({ name }));
  }

  /** Which of `files` (manifests of this tree) declare `name`: each read and parsed once per run. */
  async declaringAmong(name: string, files: readonly string[]): Promise<string[]> {
    const declaring: string[] = [];
    for (const file of files) {
      const declared = await this.nameOf(file);
      if ('name' in declared && declared.name === name) declaring.push(file);
    }
    return declaring;
  }

  /**
   * The manifest that declares `name`: the first of `likely` that does (read
   * alone), else the tree's one manifest that does.
   */
  async find(name: string, likely: readonly string[], recorded?: string): Promise<ManifestLookup> {
    const listed = new Set(await this.list());
    for (const file of new Set([...(recorded ? [recorded] : []), ...likely])) {
      // A likely path counts only when it is one of the tree's manifests (its globs): a copy elsewhere
      // (an example under docs/ that declares the name) is not the model. The release's own
      // Manifest: line is trusted wherever it points: the globs may have changed since.
      if (file !== recorded && !listed.has(file)) continue;
      const declared = await this.nameOf(file);
      if ('name' in declared && declared.name === name) return this.load(name, file);
    }
    const { files, unreadable } = await this.declaring(name);
    if (files.length > 1)
      return {
        kind: 'unknown',
        reason: `${files.join(', ')} at ${this.source.label} all declare name "${name}"`,
      };
    if (files[0] !== undefined) return this.load(name, files[0]);
    if (unreadable.length)
      return {
        kind: 'unknown',
        reason: `${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', …' : ''} at ${this.source.label} cannot be read, so whether it declares "${name}" cannot be told`,
      };
    return { kind: 'absent' };
  }

  private async load(name: string, file: string): Promise<ManifestLookup> {
    const loaded = await loadModel(this.source, file);
    if (loaded.facts?.name === name) return { kind: 'found', file, facts: loaded.facts, source: this.source };
    const why = loaded.findings.find((f) => f.severity === 'error')?.message ?? 'it does not load';
    return { kind: 'unknown', reason: `${file} at ${this.source.label} declares "${name}" but ${why}` };
  }

  /** The tree's manifests (its globs), listed once. */
  private list(): Promise<readonly string[]> {
    this.listing ??= this.manifests();
    return this.listing;
  }

  private scanTree(): Promise<TreeScan> {
    this.scan ??= (async () => {
      const mentions = new Map<string, string[]>();
      const settled: string[] = [];
      const mention = (word: string, file: string) => {
        const holders = mentions.get(word);
        if (holders) holders.push(file);
        else mentions.set(word, [file]);
      };
      // A manifest whose name is known (read already, or parsed here: an escape, a large text) is
      // listed under that name; one that cannot say is settled: it may declare any name. Listing
      // every read manifest as settled made each lookup walk the whole tree: quadratic in models.
      const byName = async (file: string, declared: Promise<DeclaredName>) => {
        const known = await declared;
        if ('name' in known) mention(known.name, file);
        else settled.push(file);
      };
      for (const file of await this.list()) {
        const named = this.names.get(file);
        if (named) {
          await byName(file, named);
          continue;
        }
        const text = await this.text(file);
        if (typeof text !== 'string') {
          this.names.set(file, Promise.resolve(text));
          settled.push(file);
        } else if (text.includes('\\') || text.length > WORDS_MAX_CHARS)
          await byName(file, this.nameOf(file, text));
        else for (const word of new Set(text.split(NOT_A_NAME_CHARACTER))) mention(word, file);
      }
      return { mentions, settled };
    })();
    return this.scan;
  }

  private nameOf(file: string, known?: string): Promise<DeclaredName> {
    let declared = this.names.get(file);
    if (!declared) {
      declared = (async () => {
        const text = known ?? (await this.text(file));
        if (typeof text !== 'string') return text;
        // rawName is read before the schema: a manifest of a schema it fails still says whose it is.
        const name = parseManifest(text, file).rawName;
        return name === undefined ? { problem: 'no readable name' } : { name };
      })();
      this.names.set(file, declared);
    }
    return declared;
  }

  private async text(file: string): Promise<string | { problem: string }> {
    const read = await this.source.read(file, MANIFEST_MAX_BYTES);
    return read.ok ? decodeUtf8(read.value) : { problem: read.problem.detail };
  }
}

/**
 * The one place validate and release look a model up by name: in the
 * working tree, at a base commit, and at each of its release tags. Trees are
 * read lazily and once per run.
 */
export class ModelManifests {
  private readonly trees = new Map<string, ManifestNames>();
  private readonly messages: Map<string, string | undefined>;
  private registrationsRead?: Map<string, RegistrationTag>;

  constructor(
    private readonly repo: Repository,
    private readonly options: {
      /** The manifest globs at a ref, for reading its whole tree when the likely paths do not answer. */
      globs: readonly string[];
      /** The tags: where each release is registered, and the `Manifest:` line of its tag. */
      tags?: readonly TagRecord[];
      /** The registry those tags describe, when the caller has read it already. */
      registry?: ReadonlyMap<string, ModelRegistry>;
      /** The working tree's manifests, when the caller has found them already. */
      worktree?: readonly string[];
    },
  ) {
    this.messages = new Map((options.tags ?? []).map((t) => [t.name, t.message]));
  }

  /** Records that the working tree's `file` declares `name`, as validate loaded it: not parsed twice. */
  remember(file: string, name: string): void {
    this.at().remember(file, name);
  }

  /** The manifests of the working tree (`ref` undefined) or of the repository at `ref`. */
  at(ref?: string): ManifestNames {
    const key = ref ?? '';
    let tree = this.trees.get(key);
    if (!tree) {
      const { globs, worktree } = this.options;
      tree =
        ref === undefined
          ? new ManifestNames(this.repo.worktree, async () => worktree ?? this.repo.findManifests(globs))
          : new ManifestNames(this.repo.at(ref), () => this.repo.findManifestsAt(ref, globs));
      this.trees.set(key, tree);
    }
    return tree;
  }

  /**
   * The other manifests of the tree `head` (undefined: the working tree)
   * that declare `facts.name`. Without a base, every manifest is looked at.
   * With one, only what the change can have made: the manifests it checks
   * (changed or new, `checked`) and, when the model's base is not its own
   * path (moved, new, renamed), the base's manifests of that name that the
   * change left as they were (not in `changed`). A duplicate the base
   * already held and the change does not touch is left to a run without a
   * base, which reads every manifest.
   */
  async sameName(input: {
    head?: string;
    facts: ModelFacts;
    checked: readonly string[];
    base?: { ref: string; file?: string; changed: ReadonlySet<string> };
  }): Promise<string[]> {
    const { head, facts, checked, base } = input;
    const tree = this.at(head);
    const others = base
      ? await tree.declaringAmong(facts.name, checked)
      : (await tree.declaring(facts.name)).files;
    if (base && base.file !== facts.manifestFile) {
      const atBase = await this.at(base.ref).declaring(facts.name);
      others.push(...atBase.files.filter((f) => !base.changed.has(f)));
    }
    return [...new Set(others)].filter((f) => f !== facts.manifestFile).sort();
  }

  // Built on the first release looked up: validate without releases to compare with never reads the registry.
  private get registrations(): Map<string, RegistrationTag> {
    this.registrationsRead ??= registrationTags(this.options.tags ?? [], this.options.registry);
    return this.registrationsRead;
  }

  /** The tag release `version` of `name` is read at: `name@v1.2.3`, or the numbered tag GTO registered it with. */
  tagOf(name: string, version: string): string {
    return this.registrations.get(releaseTag(name, version))?.tag ?? releaseTag(name, version);
  }

  /**
   * The manifest of release `version` of `name`, at the tag that registers
   * it (`registrationTags`: `name@v1.2.3`, or GTO's numbered `name@v1.2.3#N`):
   * the file the tag's `Manifest:` line names (written by `modelgate release`),
   * then the `likely` paths, then whichever manifest at the tag declares the
   * name. The `Manifest:` line is only where to look first: the file must
   * declare the name, like any other. A version whose registration tags
   * cannot be read is unknown, never read at a tag that is not there. A
   * caller holding the registration it means (a stage's version, a rollback
   * target) names its tag as `registeredBy`.
   */
  async release(
    name: string,
    version: string,
    likely: readonly string[],
    registeredBy?: string,
  ): Promise<ManifestLookup> {
    const { tag, problem } = registeredBy
      ? { tag: registeredBy }
      : (this.registrations.get(releaseTag(name, version)) ?? { tag: releaseTag(name, version) });
    if (problem !== undefined) return { kind: 'unknown', reason: problem };
    const recorded = manifestLine(this.messages.get(tag));
    const found = await this.at(tag).find(name, likely, recorded);
    // The release's manifest says its version: one that says another (a tag put on the wrong commit
    // by hand, a copy of the manifest elsewhere) is not that release, and nothing is compared with it.
    if (found.kind === 'found' && found.facts.manifest.version !== version)
      return {
        kind: 'unknown',
        reason: `${found.file} at ${tag} declares ${name} ${found.facts.manifest.version}, not ${version}`,
      };
    return found;
  }
}
