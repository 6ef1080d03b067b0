/**
 * The `Manifest: <path> sha256:<hex>` line of a release tag's message: where
 * the release found the model's manifest, and that file's digest. Written by
 * the release plan; read back to find a model's manifest at its tag (the CLI,
 * the Action and the app), as where to look first, never as proof: the file
 * there must still declare the model.
 */
function manifestLineOf(manifestFile, sha256) {
    return `Manifest: ${manifestFile} sha256:${sha256}`;
}
/** The path a tag message's `Manifest:` line names, if it has one. */
function manifestLine(message) {
    return message?.match(/^Manifest: (.+) sha256:[0-9a-f]*$/m)?.[1];
}

export { manifestLine as a, manifestLineOf as m };
