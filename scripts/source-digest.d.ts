/** Everything the bundles in dist/ are made of: the sources, the dependency versions, the build's settings. */
export declare const BUNDLE_INPUTS: readonly string[];
/** Where the build records the digest of the inputs it bundled, relative to the repository root. */
export declare const DIGEST_FILE: string;
/** The sha256 of BUNDLE_INPUTS under `root`: every file's repository path and bytes, in path order. */
export declare function sourceDigest(root: string): string;
/** Throws, with the fix, unless dist/ was built from the inputs `root` holds now. */
export declare function assertFreshBundle(root: string): void;
