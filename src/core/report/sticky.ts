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

/** A GitHub login: letters, digits and dashes, `[bot]` for apps (nothing that can break a line or a mention). */
export const LOGIN = /^[A-Za-z0-9-]{1,39}(\[bot\])?$/;

/** Who wrote a comment, as GitHub says: the account's login and type (`User`, `Bot`, `Organization`). */
export interface CommentAuthor {
  login: string;
  type: string;
}

/** A comment as GitHub lists it; `user` is null for a deleted account. */
export interface ListedComment {
  id: number;
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

/**
 * Whether GitHub says `author` wrote the comment. The login alone is not
 * enough for a person's account; with the type, `name[bot]` can only be the
 * app of that name (GitHub reserves the suffix for apps).
 */
function writtenBy(comment: ListedComment, author: CommentAuthor): boolean {
  return comment.user?.login === author.login && comment.user.type === author.type;
}

/**
 * The sticky comment `author` wrote (the first carrying the marker, by the
 * id order GitHub returns) and every comment before it that carries the
 * marker but was written by someone else: those are never read or edited.
 */
export function findSticky<T extends ListedComment>(
  comments: readonly T[],
  marker: string,
  author: CommentAuthor,
): { own?: T; strangers: T[] } {
  const strangers: T[] = [];
  for (const comment of comments) {
    if (!(comment.body?.startsWith(marker) ?? false)) continue;
    if (writtenBy(comment, author)) return { own: comment, strangers };
    strangers.push(comment);
  }
  return { strangers };
}
