/**
 * The longest string from a user's file that modelgate uses as a key (of an
 * object JSON.parse builds, a Map, a Set). V8 hashes a string of more than
 * 16,383 characters by its length alone, so thousands of such keys of one
 * length make every insert compare with all the others: quadratic time
 * (4,000 JSON keys of 17,000 characters: 17 s to parse; 7,500 tokenizer
 * pieces: 128 s to validate). Real keys, tokens and ids are far shorter.
 */
export const MAX_HASHED_CHARACTERS = 16_000;
