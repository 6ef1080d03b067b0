/**
 * The longest string from a user's file that modelgate uses as a key (of an
 * object JSON.parse builds, a Map, a Set). V8 hashes a string of more than
 * 16,383 characters by its length alone, so thousands of such keys of one
 * length make every insert compare with all the others: quadratic time
 * (4,000 JSON keys of 17,000 characters: 17 s to parse; 7,500 tokenizer
 * pieces: 128 s to validate). Real keys, tokens and ids are far shorter.
 */
const MAX_HASHED_CHARACTERS = 16_000;
/**
 * The length of the first object key of a JSON text longer than
 * MAX_HASHED_CHARACTERS, or undefined. Counted as written (an escape as its
 * characters), never fewer than JSON.parse would build. JSON.parse keeps the
 * keys it builds in one table for the whole process, so such keys cost
 * quadratic time even one to a line of a JSON lines file: 4,000 lines of one
 * key each take 24 s. Linear time; a text no longer than the limit is
 * answered at once. For a text that is not JSON the answer is a guess, and
 * JSON.parse refuses the text anyway.
 */
function longJsonKey(text) {
    if (text.length <= MAX_HASHED_CHARACTERS)
        return undefined;
    // Outside strings JSON has no quote: each quote found after a string's end opens the next one.
    for (let open = text.indexOf('"'); open >= 0;) {
        let close = text.indexOf('"', open + 1);
        while (close >= 0 && isEscaped(text, close))
            close = text.indexOf('"', close + 1);
        if (close < 0)
            return undefined;
        const length = close - open - 1;
        if (length > MAX_HASHED_CHARACTERS && isKeyEnd(text, close + 1))
            return length;
        open = text.indexOf('"', close + 1);
    }
    return undefined;
}
/** The sentence for a key longJsonKey found. */
const longKeyProblem = (length) => `a key is ${length} characters long; modelgate reads keys of at most ${MAX_HASHED_CHARACTERS}`;
/** The sentence for an id (of a sample, a request) longer than MAX_HASHED_CHARACTERS. */
const longIdProblem = (length) => `"id" is ${length} characters long; modelgate reads ids of at most ${MAX_HASHED_CHARACTERS}`;
// Is the quote at `at` escaped: an odd run of backslashes before it? Each run is counted once,
// by the quote that follows it, so the scan stays linear.
function isEscaped(text, at) {
    let run = 0;
    while (text.charCodeAt(at - 1 - run) === BACKSLASH)
        run += 1;
    return run % 2 === 1;
}
// Does a ":" follow (after JSON whitespace) the string that ended before `at`? Then it was a key.
function isKeyEnd(text, at) {
    let i = at;
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i))
        ;
    return text.charCodeAt(i) === 0x3a;
}
const BACKSLASH = 92;

export { MAX_HASHED_CHARACTERS as M, longIdProblem as a, longKeyProblem as b, longJsonKey as l };
