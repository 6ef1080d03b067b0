/** Where fetched Node binaries are kept, one folder per version (override with MODELGATE_NODE_CACHE). */
export declare const NODE_CACHE: string;
/** The exact Node.js version .node-version pins (CI's setup-node reads the same file). */
export declare function pinnedNodeVersion(root: string): string;
/** A node binary of the pinned major: this process's own when its major matches, else the pinned version, fetched once. */
export declare function pinnedNode(root: string, cache?: string): string;
