/** The hidden marker that finds a sticky comment again: `<!-- modelgate:KIND:MODEL -->` (DESIGN.md). */
export function stickyMarker(kind: string, model: string): string {
  return `<!-- modelgate:${kind}:${model} -->`;
}

/** GitHub caps comment bodies at 65,536 characters; longer reports are cut with a note. */
const MAX_BODY = 65_000;

/** A comment body: the marker first (so it survives any edit of the text after it), then the report. */
export function stickyBody(marker: string, markdown: string): string {
  const body = `${marker}\n${markdown}`;
  return body.length <= MAX_BODY
    ? body
    : `${body.slice(0, MAX_BODY)}\n\n…the report was cut; the job summary has all of it.`;
}

/** The first comment carrying the marker, by the id order GitHub returns. */
export function findSticky<T extends { id: number; body?: string | null }>(
  comments: readonly T[],
  marker: string,
): T | undefined {
  return comments.find((c) => c.body?.startsWith(marker) ?? false);
}
