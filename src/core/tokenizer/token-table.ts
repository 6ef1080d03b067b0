import { isUtf8 } from 'node:buffer';
import type { JsonText } from '../model/json-text.js';

// A probe sequence this long means keys crafted to collide: the caller parses the object instead,
// with V8's own hashing, seeded per process. So do more probes in all than PROBES_PER_SLOT per slot,
// or more bytes compared between keys of equal hash than the object has (FNV-1a is not seeded: equal
// hashes can be made offline, and keys that share a long prefix make each comparison long).
const MAX_PROBES = 256;
const PROBES_PER_SLOT = 8;
// More keys of one full hash than this is a crafted file: each get() of the last would compare it
// with all the others. A real vocabulary of 2^20 keys has about 128 pairs of equal 32-bit hashes, no
// triples to speak of.
const MAX_EQUAL_HASHES = 4;
// Entries are fewer than 2^21 (MAX_VOCABULARY, held by scanJson's member count).
const ENTRY_BITS = 2 ** 21;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * A `{token: id}` JSON object indexed where it lies in the file's bytes: an
 * open-addressing hash table over each key's UTF-8 bytes, with no string or
 * object per entry. Llama 3's 128,000 tokens index in about a quarter of what
 * JSON.parse takes to build them as an object. Keys that use escapes ("\"",
 * "\u00e9") are decoded and indexed by their UTF-8 bytes like the others, so
 * a token is found however the file spells it. As in JSON.parse, a repeated
 * key keeps its first position and takes its last value.
 */
export class TokenTable {
  private count = 0;
  private valid = 0;
  private highest = -1;
  // The entries in JSON.parse's key order when it differs from the file's, null when it does not.
  private keyOrder?: Int32Array | null;
  private readonly keyStart: Int32Array;
  private readonly keyEnd: Int32Array;
  private readonly hashes: Int32Array;
  // NaN where the value is not a non-negative integer id.
  private readonly ids: Float64Array;
  // The UTF-8 bytes of keys written with escapes, by entry.
  private readonly escaped = new Map<number, Uint8Array>();
  // Entry + 1 per slot, 0 for free; at most half full, so probe sequences stay short.
  private readonly slots: Int32Array;

  private constructor(
    private readonly bytes: Uint8Array,
    members: number,
  ) {
    this.keyStart = new Int32Array(members);
    this.keyEnd = new Int32Array(members);
    this.hashes = new Int32Array(members);
    this.ids = new Float64Array(members);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * members + 2)));
  }

  /**
   * Indexes the object `text` (already checked by scanJson, which counted its
   * members). Undefined when the table cannot answer exactly as JSON.parse
   * would (bytes that are not UTF-8, an escaped lone surrogate) or when keys
   * collide suspiciously: the caller then parses the object instead.
   */
  static index(text: JsonText): TokenTable | undefined {
    const bytes = text.utf8;
    if (text.type !== 'object' || text.members === undefined || !isUtf8(bytes)) return undefined;
    const table = new TokenTable(bytes, text.members);
    return table.read() ? table : undefined;
  }

  /** Distinct keys. */
  get keys(): number {
    return this.count;
  }

  /** Entries whose value is an id (a non-negative safe integer). */
  get size(): number {
    return this.valid;
  }

  /** The highest id, -1 when there is none. */
  get maxId(): number {
    return this.highest;
  }

  /** The keys whose value is not an id, in JSON.parse's key order. */
  invalid(): string[] {
    const invalid: string[] = [];
    if (this.valid === this.count) return invalid;
    const order = this.order();
    for (let k = 0; k < this.count; k++) {
      const entry = order ? order[k]! : k;
      if (Number.isNaN(this.ids[entry])) invalid.push(this.token(entry));
    }
    return invalid;
  }

  /** The id of `token`, if the object has it with an id. */
  get(token: string): number | undefined {
    if (LONE_SURROGATE.test(token)) return undefined; // no key decodes to one (index refuses them)
    const key = Buffer.from(token, 'utf8');
    const hash = finish(fnv(key, 0, key.length));
    const mask = this.slots.length - 1;
    for (let slot = hash & mask, probes = 0; probes <= MAX_PROBES; slot = (slot + 1) & mask, probes++) {
      const at = this.slots[slot]!;
      if (at === 0) return undefined;
      if (this.hashes[at - 1] === hash && this.sameKey(at - 1, key, 0, key.length)) {
        const id = this.ids[at - 1]!;
        return Number.isNaN(id) ? undefined : id;
      }
    }
    return undefined;
  }

  /**
   * Every `[token, id]` pair with an id, in the order JSON.parse's object
   * gives its keys: tokens that are array indices ("0" to "4294967294")
   * first, in ascending order, then the others in file order.
   */
  *entries(): IterableIterator<[string, number]> {
    const order = this.order();
    for (let k = 0; k < this.count; k++) {
      const entry = order ? order[k]! : k;
      const id = this.ids[entry]!;
      if (!Number.isNaN(id)) yield [this.token(entry), id];
    }
  }

  // One pass over the members: key, colon, value. The object is valid JSON, so the reads need no
  // checks. One loop with its state in locals: it runs once per file, mostly before V8 optimises it.
  private read(): boolean {
    const { bytes, keyStart, keyEnd, hashes, ids, slots } = this;
    const mask = slots.length - 1;
    let count = 0;
    let size = 0;
    let maxId = -1;
    let repeated = false;
    let negativeZero = false;
    let probeBudget = PROBES_PER_SLOT * slots.length;
    let compareBudget = bytes.length;
    let i = 1; // after "{"
    for (;;) {
      let c = bytes[i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c) c = bytes[++i];
      if (c !== 0x22) break; // "}": the end
      // The key, hashed as it goes, unless an escape means its bytes are not its text.
      const start = i + 1;
      let hash = FNV_OFFSET;
      let escapes = false;
      for (i = start, c = bytes[i]; c !== 0x22; c = bytes[++i]) {
        if (c === 0x5c) {
          escapes = true;
          i += 1;
        } else hash = Math.imul(hash ^ c!, FNV_PRIME);
      }
      const end = i;
      for (c = bytes[++i]; c !== 0x3a; c = bytes[++i]);
      for (c = bytes[++i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++i]);
      const valueStart = i;
      let id = 0;
      for (; c !== undefined && c >= 0x30 && c <= 0x39 && i - valueStart < 15; c = bytes[++i])
        id = id * 10 + (c - 0x30);
      if (
        i === valueStart ||
        !(c === 0x2c || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
      ) {
        i = skipValue(bytes, valueStart);
        id = idOf(bytes, valueStart, i);
        if (Object.is(id, -0)) negativeZero = true; // only "-0" spells it: the digits above never do
      }
      let key: Uint8Array | undefined;
      if (escapes) {
        const decoded = JSON.parse(
          Buffer.from(bytes.subarray(start - 1, end + 1)).toString('utf8'),
        ) as string;
        if (LONE_SURROGATE.test(decoded)) return false;
        key = Buffer.from(decoded, 'utf8');
        hash = finish(fnv(key, 0, key.length));
      } else hash = finish(hash);
      // Insert, or update a repeated key: its last value wins, its first position stays.
      let slot = hash & mask;
      let probes = 0;
      let equalHashes = 0;
      for (let at = slots[slot]!; at !== 0; at = slots[slot]!) {
        if (hashes[at - 1] === hash) {
          if (++equalHashes > MAX_EQUAL_HASHES) return false;
          compareBudget -= key ? key.length : end - start;
          if (compareBudget < 0) return false;
          if (this.sameKey(at - 1, key ?? bytes, key ? 0 : start, key ? key.length : end)) break;
        }
        if (++probes > MAX_PROBES || --probeBudget < 0) return false;
        slot = (slot + 1) & mask;
      }
      const existing = slots[slot]!;
      if (existing !== 0) {
        ids[existing - 1] = id;
        repeated = true;
        continue;
      }
      if (!Number.isNaN(id)) {
        size += 1;
        if (id > maxId) maxId = id;
      }
      keyStart[count] = start;
      keyEnd[count] = end;
      hashes[count] = hash;
      ids[count] = id;
      if (key) this.escaped.set(count, key);
      count += 1;
      slots[slot] = count;
    }
    this.count = count;
    this.valid = size;
    this.highest = maxId;
    // A repeated key may have replaced an id, and of 0 and -0 the highest is the first met in
    // JSON.parse's order: count again then (rare, so not worth doing as it goes).
    if (repeated || negativeZero) {
      const order = this.order();
      this.valid = 0;
      this.highest = -1;
      for (let k = 0; k < count; k++) {
        const id = ids[order ? order[k]! : k]!;
        if (Number.isNaN(id)) continue;
        this.valid += 1;
        if (id > this.highest) this.highest = id;
      }
    }
    return true;
  }

  /**
   * The entries in the order JSON.parse's object lists its keys: array
   * indices ("0" to "4294967294") first, ascending, then file order. Null when
   * no key is an array index. Worked out on the first question that needs it
   * (plain validation asks none).
   */
  private order(): Int32Array | null {
    if (this.keyOrder !== undefined) return this.keyOrder;
    // Each array-index key as one number, index * 2^21 + entry (below 2^53: exact), so one numeric
    // sort of a typed array orders them, with no array or comparator call per key.
    const packed = new Float64Array(this.count);
    const isIndex = new Uint8Array(this.count);
    let found = 0;
    for (let entry = 0; entry < this.count; entry++) {
      const escaped = this.escaped.get(entry);
      const index = escaped
        ? arrayIndex(escaped, 0, escaped.length)
        : arrayIndex(this.bytes, this.keyStart[entry]!, this.keyEnd[entry]!);
      if (index < 0) continue;
      packed[found++] = index * ENTRY_BITS + entry;
      isIndex[entry] = 1;
    }
    if (!found) return (this.keyOrder = null);
    const order = new Int32Array(this.count);
    let k = 0;
    for (const key of packed.subarray(0, found).sort()) order[k++] = key % ENTRY_BITS;
    for (let entry = 0; entry < this.count; entry++) if (!isIndex[entry]) order[k++] = entry;
    return (this.keyOrder = order);
  }

  // Is the key of `entry` the bytes [start, end) of `other`? Compared in place: no view per entry.
  private sameKey(entry: number, other: Uint8Array, start: number, end: number): boolean {
    const escaped = this.escaped.get(entry);
    const own = escaped ?? this.bytes;
    const ownStart = escaped ? 0 : this.keyStart[entry]!;
    const length = escaped ? escaped.length : this.keyEnd[entry]! - ownStart;
    if (length !== end - start) return false;
    for (let k = 0; k < length; k++) if (own[ownStart + k] !== other[start + k]) return false;
    return true;
  }

  private token(entry: number): string {
    const key = this.escaped.get(entry) ?? this.bytes.subarray(this.keyStart[entry], this.keyEnd[entry]);
    return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
  }
}

// The array index a key's UTF-8 bytes spell ("0", "17", up to "4294967294", no leading zero), else -1.
function arrayIndex(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 10 || (length > 1 && bytes[start] === 0x30)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value <= 4_294_967_294 ? value : -1;
}

// FNV-1a over the key's bytes, then a final mix so that the low bits the table uses depend on every byte.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

function fnv(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}

function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// The end of the (valid) value at `at`: a number or word runs to a delimiter; strings and containers are matched.
function skipValue(bytes: Uint8Array, at: number): number {
  let depth = 0;
  let i = at;
  for (;;) {
    const c = bytes[i];
    if (c === undefined) return i;
    if (c === 0x22) {
      for (i += 1; bytes[i] !== 0x22; i += bytes[i] === 0x5c ? 2 : 1);
      i += 1;
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i; // the end of the enclosing object
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return i;
    i += 1;
  }
}

// The id a value holds: a number that is a non-negative safe integer (as JSON.parse reads it: "7.0" and
// "7e0" are 7), else NaN.
function idOf(bytes: Uint8Array, start: number, end: number): number {
  let id = 0;
  let i = start;
  for (; i < end && i - start < 15; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) break;
    id = id * 10 + (c - 0x30);
  }
  if (i === end && i > start) return id; // plain digits: the common case
  const first = bytes[start]!;
  if (first !== 0x2d && (first < 0x30 || first > 0x39)) return NaN; // a string, object, list or word
  const value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'));
  return Number.isSafeInteger(value) && value >= 0 ? value : NaN;
}
