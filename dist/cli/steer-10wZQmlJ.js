import { s as strictObject, c as string } from './yaml-document-D8lQUcRd.js';

/** The hidden marker that finds a sticky comment again: `<!-- modelgate:KIND:MODEL -->` (DESIGN.md). */
/** A GitHub login: letters, digits and dashes, `[bot]` for apps (nothing that can break a line or a mention). */
const LOGIN = /^[A-Za-z0-9-]{1,39}(\[bot\])?$/;

/** The shape of a Steer read back from a sealed state. */
const steerSchema = strictObject({
    by: string().regex(LOGIN),
    at: string().max(64),
    link: string().max(1024),
});

export { steerSchema as s };
