import { posix, join, relative } from 'node:path';
import { d as decodeUtf8, r as resolveArtifactPath, f as formatBytes, ag as weightMemoOf, M as MANIFEST_MAX_BYTES, p as parseManifest, ah as rolloutFileReferences, ai as registrationTags, E as releaseTag, a6 as manifestLine, aj as semverCompare, s as semver, R as kubernetesName, S as expandTemplate, j as releasedVersions, b as readRegistry, k as withdrawnVersions, c as currentRegistration, g as deployRefusal, ak as compileGlobs, al as isGitDir, am as WeightMemo, U as checkRepoPath, an as resolveLinkTarget, F as FileSystemSource, m as inertText } from './settings-B25yr-FP.js';
import { isUtf8 } from 'node:buffer';
import { C as CommandError, e as error, w as warning, n as notice } from './inputs-DSZox23F.js';
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { spawn, execFile } from 'node:child_process';

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

/**
 * The values of config.json, generation_config.json and tokenizer_config.json
 * that rules compute with. Each is either usable (a plain integer, a boolean)
 * or a ValueProblem: a rule never sees a string, a fraction or 1e308 and
 * quietly skips or misjudges its check.
 */
/** A count (a size, a length): a non-negative integer that a double holds exactly. */
function readCount(value) {
    if (typeof value !== 'number')
        return { ok: false, why: notA(value, 'a number') };
    if (!Number.isInteger(value))
        return { ok: false, why: 'not an integer' };
    if (value < 0)
        return { ok: false, why: 'negative' };
    if (!Number.isSafeInteger(value))
        return { ok: false, why: `beyond ${Number.MAX_SAFE_INTEGER}, the largest integer counted exactly` };
    return { ok: true, value };
}
/**
 * A token id field: one integer or a list of them (eos_token_id often is);
 * null means "none" (transformers writes it for unset ids). Negative ids are
 * kept: IDS-IN-RANGE reports them as outside [0, vocab_size).
 */
function readTokenIdList(value) {
    if (value === null || value === undefined)
        return { ok: true, value: [] };
    const list = Array.isArray(value) ? value : [value];
    const inList = Array.isArray(value);
    for (const id of list) {
        if (typeof id !== 'number')
            return { ok: false, why: inList ? `it holds ${typeName(id)}, not an integer` : notA(id, 'an integer') };
        if (!Number.isSafeInteger(id))
            return { ok: false, why: inList ? `it holds ${show(id)}, not an integer id` : 'not an integer id' };
    }
    return { ok: true, value: list };
}
// "a string, not a number"; null is just "not a number".
function notA(value, expected) {
    return value === null ? `not ${expected}` : `${typeName(value)}, not ${expected}`;
}
/** "a string", "null", "a list", … for messages. */
function typeName(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'an object';
    if (typeof value === 'string')
        return 'a string';
    if (typeof value === 'boolean')
        return 'a boolean';
    return `a ${typeof value}`;
}
/** A value as JSON, at most 40 characters, for messages. */
function show(value) {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
/** What a field must be, for a fix. */
const EXPECTED = {
    vocab_size: 'a plain integer, the number of rows of the embedding (for example 32000)',
    hidden_size: 'a plain integer, the width of the embedding (for example 4096)',
    max_position_embeddings: 'a plain integer, the number of positions the model was trained for (for example 8192)',
    bos_token_id: 'an integer token id, or null',
    eos_token_id: 'an integer token id or a list of them (for example [128001, 128009]), or null',
    pad_token_id: 'an integer token id, or null',
    model_max_length: 'a plain integer (transformers writes 1e30 for "no limit")',
    'rope_scaling.factor': 'a positive number (for example 8.0)',
    tie_word_embeddings: 'true or false',
    model_type: 'a string naming the architecture (for example "llama")',
};

const isObject$3 = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The keys each size goes by (older architectures: GPT-2's n_embd and n_positions, T5's d_model, MPT's max_seq_len). */
const SIZE_KEYS = {
    vocab_size: ['vocab_size'],
    hidden_size: ['hidden_size', 'n_embd', 'd_model'],
    max_position_embeddings: [
        'max_position_embeddings',
        'n_positions',
        'n_ctx',
        'max_sequence_length',
        'max_seq_len',
        'seq_length',
    ],
};
/** Reads config.json (already parsed). Throws only when it is not a JSON object. */
function readModelConfig(json, file) {
    if (!isObject$3(json))
        throw new Error(`${file} must be a JSON object`);
    const text = isObject$3(json.text_config) ? json.text_config : json;
    const problems = [];
    const problem = (field, key, value, why) => problems.push({ file, field, key, shown: show(value), why });
    // The first key present wins, text_config before the top level, as transformers reads a nested config.
    const size = (field) => {
        for (const key of SIZE_KEYS[field]) {
            for (const [where, prefix] of [
                [text, text === json ? '' : 'text_config.'],
                [json, ''],
            ]) {
                if (where[key] === undefined)
                    continue;
                const reading = readCount(where[key]);
                if (reading.ok)
                    return reading.value;
                problem(field, `${prefix}${key}`, where[key], reading.why);
                return undefined;
            }
        }
        return undefined;
    };
    const nestedTie = text !== json && text.tie_word_embeddings !== undefined && text.tie_word_embeddings !== null;
    const tieKey = nestedTie ? 'text_config.' : '';
    const tie = text.tie_word_embeddings ?? json.tie_word_embeddings;
    if (tie !== undefined && tie !== null && typeof tie !== 'boolean')
        problem('tie_word_embeddings', `${tieKey}tie_word_embeddings`, tie, `${typeName(tie)}, not true or false`);
    const modelType = json.model_type;
    if (modelType !== undefined && typeof modelType !== 'string')
        problem('model_type', 'model_type', modelType, `${typeName(modelType)}, not a string`);
    return {
        file,
        raw: json,
        text,
        modelType: typeof modelType === 'string' ? modelType : undefined,
        vocabSize: size('vocab_size'),
        hiddenSize: size('hidden_size'),
        maxPositions: size('max_position_embeddings'),
        // Only an explicit false unties; a value of the wrong type is reported above.
        tieWordEmbeddings: tie !== false,
        ropeFactor: ropeFactor(json, text, problem),
        ids: readTokenIds(json, text, text === json ? '' : 'text_config.', problem),
        problems,
    };
}
function ropeFactor(json, text, problem) {
    const [scaling, key] = isObject$3(text.rope_scaling)
        ? [text.rope_scaling, text === json ? 'rope_scaling' : 'text_config.rope_scaling']
        : isObject$3(json.rope_scaling)
            ? [json.rope_scaling, 'rope_scaling']
            : [undefined, ''];
    const factor = scaling?.factor;
    if (factor === undefined || factor === null)
        return 1;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) {
        problem('rope_scaling.factor', `${key}.factor`, factor, typeof factor === 'number' ? 'not a positive number' : `${typeName(factor)}, not a number`);
        return 1;
    }
    return factor > 1 ? factor : 1;
}
/** Reads generation_config.json (already parsed). Throws only when it is not a JSON object. */
function readGenerationConfig(json, file) {
    if (!isObject$3(json))
        throw new Error(`${file} must be a JSON object`);
    const problems = [];
    const ids = readTokenIds(json, json, '', (field, key, value, why) => problems.push({ file, field, key, shown: show(value), why }));
    return { ...ids, problems };
}
// The top level first, then the nested text_config (null counts as unset, as transformers writes it).
function readTokenIds(json, nested, nestedPrefix, problem) {
    const ids = (field) => {
        const own = json[field] !== undefined && json[field] !== null;
        const value = own ? json[field] : nested[field];
        const reading = readTokenIdList(value);
        if (reading.ok)
            return reading.value;
        problem(field, own ? field : `${nestedPrefix}${field}`, value, reading.why);
        return [];
    };
    return { bos: ids('bos_token_id'), eos: ids('eos_token_id'), pad: ids('pad_token_id') };
}
/** Fields whose change is an architecture change (DESIGN.md SemVer policy: MAJOR). */
const ARCHITECTURE_FIELDS = [
    'model_type',
    'architectures',
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'num_key_value_heads',
    'head_dim',
    'intermediate_size',
    'rope_theta',
    'rope_scaling',
    'tie_word_embeddings',
    // The same fields under older names (GPT-2, T5).
    'n_embd',
    'n_layer',
    'n_head',
    'n_inner',
    'd_model',
    'num_layers',
    'num_heads',
    'd_ff',
];

// Copyright 2008 Google Inc.  All rights reserved.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are
// met:
//
// * Redistributions of source code must retain the above copyright
// notice, this list of conditions and the following disclaimer.
// * Redistributions in binary form must reproduce the above
// copyright notice, this list of conditions and the following disclaimer
// in the documentation and/or other materials provided with the
// distribution.
// * Neither the name of Google Inc. nor the names of its
// contributors may be used to endorse or promote products derived from
// this software without specific prior written permission.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
// "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
// LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
// A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
// OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
// SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
// LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
// DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
// THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
// (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
// OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
//
// Code generated by the Protocol Buffer compiler is owned by the owner
// of the input file used when generating it.  This code is not
// standalone and requires a support library to be linked with it.  This
// support library is itself covered by the above license.
/**
 * Read a 64 bit varint as two JS numbers.
 *
 * Stores the low and high words on the reader.
 *
 * Copyright 2008 Google Inc.  All rights reserved.
 *
 * See https://github.com/protocolbuffers/protobuf/blob/8a71927d74a4ce34efe2d8769fda198f52d20d12/js/experimental/runtime/kernel/buffer_decoder.js#L175
 */
function varint64read() {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 28; shift += 7) {
        const b = buf[pos++];
        lo |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            this.pos = pos;
            this.assertBounds();
            this.varint64Lo = lo;
            this.varint64Hi = hi;
            return;
        }
    }
    const middleByte = buf[pos++];
    // last four bits of the first 32 bit number
    lo |= (middleByte & 0x0f) << 28;
    // 3 upper bits are part of the next 32 bit number
    hi = (middleByte & 0x70) >> 4;
    if ((middleByte & 0x80) == 0) {
        this.pos = pos;
        this.assertBounds();
        this.varint64Lo = lo;
        this.varint64Hi = hi;
        return;
    }
    for (let shift = 3; shift <= 31; shift += 7) {
        const b = buf[pos++];
        hi |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            this.pos = pos;
            this.assertBounds();
            this.varint64Lo = lo;
            this.varint64Hi = hi;
            return;
        }
    }
    throw new Error("invalid varint");
}
// constants for binary math
const TWO_PWR_32_DBL = 0x100000000;
/**
 * Parse decimal string of 64 bit integer value as two JS numbers.
 *
 * Copyright 2008 Google Inc.  All rights reserved.
 *
 * See https://github.com/protocolbuffers/protobuf-javascript/blob/a428c58273abad07c66071d9753bc4d1289de426/experimental/runtime/int64.js#L10
 */
function int64FromString(dec) {
    // Check for minus sign.
    const minus = dec[0] === "-";
    if (minus) {
        dec = dec.slice(1);
    }
    // Work 6 decimal digits at a time, acting like we're converting base 1e6
    // digits to binary. This is safe to do with floating point math because
    // Number.isSafeInteger(ALL_32_BITS * 1e6) == true.
    const base = 1e6;
    let lowBits = 0;
    let highBits = 0;
    function add1e6digit(begin, end) {
        // Note: Number('') is 0.
        const digit1e6 = Number(dec.slice(begin, end));
        highBits *= base;
        lowBits = lowBits * base + digit1e6;
        // Carry bits from lowBits to
        if (lowBits >= TWO_PWR_32_DBL) {
            highBits = highBits + ((lowBits / TWO_PWR_32_DBL) | 0);
            lowBits = lowBits % TWO_PWR_32_DBL;
        }
    }
    add1e6digit(-24, -18);
    add1e6digit(-18, -12);
    add1e6digit(-12, -6);
    add1e6digit(-6);
    return minus ? negate(lowBits, highBits) : newBits(lowBits, highBits);
}
/**
 * Losslessly converts a 64-bit signed integer in 32:32 split representation
 * into a decimal string.
 *
 * Copyright 2008 Google Inc.  All rights reserved.
 *
 * See https://github.com/protocolbuffers/protobuf-javascript/blob/a428c58273abad07c66071d9753bc4d1289de426/experimental/runtime/int64.js#L10
 */
function int64ToString(lo, hi) {
    let bits = newBits(lo, hi);
    // If we're treating the input as a signed value and the high bit is set, do
    // a manual two's complement conversion before the decimal conversion.
    const negative = bits.hi & 0x80000000;
    if (negative) {
        bits = negate(bits.lo, bits.hi);
    }
    const result = uInt64ToString(bits.lo, bits.hi);
    return negative ? "-" + result : result;
}
/**
 * Losslessly converts a 64-bit unsigned integer in 32:32 split representation
 * into a decimal string.
 *
 * Copyright 2008 Google Inc.  All rights reserved.
 *
 * See https://github.com/protocolbuffers/protobuf-javascript/blob/a428c58273abad07c66071d9753bc4d1289de426/experimental/runtime/int64.js#L10
 */
function uInt64ToString(lo, hi) {
    ({ lo, hi } = toUnsigned(lo, hi));
    // Skip the expensive conversion if the number is small enough to use the
    // built-in conversions.
    // Number.MAX_SAFE_INTEGER = 0x001FFFFF FFFFFFFF, thus any number with
    // highBits <= 0x1FFFFF can be safely expressed with a double and retain
    // integer precision.
    // Proven by: Number.isSafeInteger(0x1FFFFF * 2**32 + 0xFFFFFFFF) == true.
    if (hi <= 0x1fffff) {
        return String(TWO_PWR_32_DBL * hi + lo);
    }
    // What this code is doing is essentially converting the input number from
    // base-2 to base-1e7, which allows us to represent the 64-bit range with
    // only 3 (very large) digits. Those digits are then trivial to convert to
    // a base-10 string.
    // The magic numbers used here are -
    // 2^24 = 16777216 = (1,6777216) in base-1e7.
    // 2^48 = 281474976710656 = (2,8147497,6710656) in base-1e7.
    // Split 32:32 representation into 16:24:24 representation so our
    // intermediate digits don't overflow.
    const low = lo & 0xffffff;
    const mid = ((lo >>> 24) | (hi << 8)) & 0xffffff;
    const high = (hi >> 16) & 0xffff;
    // Assemble our three base-1e7 digits, ignoring carries. The maximum
    // value in a digit at this step is representable as a 48-bit integer, which
    // can be stored in a 64-bit floating point number.
    let digitA = low + mid * 6777216 + high * 6710656;
    let digitB = mid + high * 8147497;
    let digitC = high * 2;
    // Apply carries from A to B and from B to C.
    const base = 10000000;
    if (digitA >= base) {
        digitB += Math.floor(digitA / base);
        digitA %= base;
    }
    if (digitB >= base) {
        digitC += Math.floor(digitB / base);
        digitB %= base;
    }
    // If digitC is 0, then we should have returned in the trivial code path
    // at the top for non-safe integers. Given this, we can assume both digitB
    // and digitA need leading zeros.
    return (digitC.toString() +
        decimalFrom1e7WithLeadingZeros(digitB) +
        decimalFrom1e7WithLeadingZeros(digitA));
}
function toUnsigned(lo, hi) {
    return { lo: lo >>> 0, hi: hi >>> 0 };
}
function newBits(lo, hi) {
    return { lo: lo | 0, hi: hi | 0 };
}
/**
 * Returns two's compliment negation of input.
 * @see https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Operators/Bitwise_Operators#Signed_32-bit_integers
 */
function negate(lowBits, highBits) {
    highBits = ~highBits;
    if (lowBits) {
        lowBits = ~lowBits + 1;
    }
    else {
        // If lowBits is 0, then bitwise-not is 0xFFFFFFFF,
        // adding 1 to that, results in 0x100000000, which leaves
        // the low bits 0x0 and simply adds one to the high bits.
        highBits += 1;
    }
    return newBits(lowBits, highBits);
}
/**
 * Returns decimal representation of digit1e7 with leading zeros.
 */
const decimalFrom1e7WithLeadingZeros = (digit1e7) => {
    const partial = String(digit1e7);
    return "0000000".slice(partial.length) + partial;
};
/**
 * Read an unsigned 32 bit varint.
 *
 * See https://github.com/protocolbuffers/protobuf/blob/8a71927d74a4ce34efe2d8769fda198f52d20d12/js/experimental/runtime/kernel/buffer_decoder.js#L220
 */
function varint32read() {
    let b = this.buf[this.pos++];
    if ((b & 0x80) === 0) {
        this.assertBounds();
        return b;
    }
    let result = b & 0x7f;
    b = this.buf[this.pos++];
    result |= (b & 0x7f) << 7;
    if ((b & 0x80) === 0) {
        this.assertBounds();
        return result;
    }
    b = this.buf[this.pos++];
    result |= (b & 0x7f) << 14;
    if ((b & 0x80) === 0) {
        this.assertBounds();
        return result;
    }
    b = this.buf[this.pos++];
    result |= (b & 0x7f) << 21;
    if ((b & 0x80) === 0) {
        this.assertBounds();
        return result;
    }
    // Extract only last 4 bits
    b = this.buf[this.pos++];
    result |= (b & 0x0f) << 28;
    for (let readBytes = 5; (b & 0x80) !== 0 && readBytes < 10; readBytes++)
        b = this.buf[this.pos++];
    if ((b & 0x80) !== 0)
        throw new Error("invalid varint");
    this.assertBounds();
    return result >>> 0;
}

// Copyright 2021-2026 Buf Technologies, Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
/**
 * Int64Support for the current environment.
 */
const protoInt64 = /*@__PURE__*/ makeInt64Support();
function makeInt64Support() {
    const dv = new DataView(new ArrayBuffer(8));
    // note that Safari 14 implements BigInt, but not the DataView methods
    const ok = typeof BigInt === "function" &&
        typeof dv.getBigInt64 === "function" &&
        typeof dv.getBigUint64 === "function" &&
        typeof dv.setBigInt64 === "function" &&
        typeof dv.setBigUint64 === "function" &&
        (!!globalThis.Deno ||
            !!globalThis.Bun ||
            typeof process != "object" ||
            typeof process.env != "object" ||
            process.env.BUF_BIGINT_DISABLE !== "1");
    if (ok) {
        const MIN = BigInt("-9223372036854775808");
        const MAX = BigInt("9223372036854775807");
        const UMIN = BigInt("0");
        const UMAX = BigInt("18446744073709551615");
        return {
            zero: BigInt(0),
            supported: true,
            parse(value) {
                const bi = typeof value == "bigint" ? value : BigInt(value);
                if (bi > MAX || bi < MIN) {
                    throw new Error(`invalid int64: ${value}`);
                }
                return bi;
            },
            uParse(value) {
                const bi = typeof value == "bigint" ? value : BigInt(value);
                if (bi > UMAX || bi < UMIN) {
                    throw new Error(`invalid uint64: ${value}`);
                }
                return bi;
            },
            enc(value) {
                dv.setBigInt64(0, this.parse(value), true);
                return {
                    lo: dv.getInt32(0, true),
                    hi: dv.getInt32(4, true),
                };
            },
            uEnc(value) {
                dv.setBigInt64(0, this.uParse(value), true);
                return {
                    lo: dv.getInt32(0, true),
                    hi: dv.getInt32(4, true),
                };
            },
            dec(lo, hi) {
                dv.setInt32(0, lo, true);
                dv.setInt32(4, hi, true);
                return dv.getBigInt64(0, true);
            },
            uDec(lo, hi) {
                dv.setInt32(0, lo, true);
                dv.setInt32(4, hi, true);
                return dv.getBigUint64(0, true);
            },
        };
    }
    return {
        zero: "0",
        supported: false,
        parse(value) {
            if (typeof value != "string") {
                value = value.toString();
            }
            assertInt64String(value);
            return value;
        },
        uParse(value) {
            if (typeof value != "string") {
                value = value.toString();
            }
            assertUInt64String(value);
            return value;
        },
        enc(value) {
            if (typeof value != "string") {
                value = value.toString();
            }
            assertInt64String(value);
            return int64FromString(value);
        },
        uEnc(value) {
            if (typeof value != "string") {
                value = value.toString();
            }
            assertUInt64String(value);
            return int64FromString(value);
        },
        dec(lo, hi) {
            return int64ToString(lo, hi);
        },
        uDec(lo, hi) {
            return uInt64ToString(lo, hi);
        },
    };
}
function assertInt64String(value) {
    if (!/^-?[0-9]+$/.test(value)) {
        throw new Error("invalid int64: " + value);
    }
}
function assertUInt64String(value) {
    if (!/^[0-9]+$/.test(value)) {
        throw new Error("invalid uint64: " + value);
    }
}

// Copyright 2021-2026 Buf Technologies, Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
let te;
/**
 * Protobuf-ES requires the Text Encoding API to convert UTF-8 from and to
 * binary. This WHATWG API is widely available, but it is not part of the
 * ECMAScript standard. This function used to be the way to supply an
 * implementation on runtimes that do not provide one.
 *
 * It only configures the copy of the library it is imported from. To provide
 * the encoding API for every copy of Protobuf-ES in an isolate, install
 * `TextEncoder` (with the methods `encode` and optionally `encodeInto`) and
 * `TextDecoder` (with the `fatal: true` and `ignoreBOM: true` constructor
 * arguments and the `decode` method) on `globalThis`.
 *
 * Providing `encodeUtf8Into` is optional for backwards compatibility. If it
 * is omitted, we emulate it with a wrapper that calls `encodeUtf8`.
 *
 * Note that the Text Encoding API does not provide a way to validate UTF-8.
 * Our implementation uses String.prototype.isWellFormed, and falls back
 * to use encodeURIComponent().
 *
 * @deprecated Install `TextEncoder` and `TextDecoder` on `globalThis` instead.
 */
function configureTextEncoding(textEncoding) {
    var _a;
    te = Object.assign(Object.assign({}, textEncoding), { encodeUtf8Into: (_a = textEncoding.encodeUtf8Into) !== null && _a !== void 0 ? _a : emulateEncodeInto(textEncoding.encodeUtf8.bind(textEncoding)) });
}
function getTextEncoding() {
    if (!te) {
        const globals = globalThis;
        if (!globals.TextEncoder || !globals.TextDecoder) {
            throw new Error("encoding API missing: install TextEncoder and TextDecoder on globalThis");
        }
        const textEncoder = new globals.TextEncoder();
        // A leading U+FEFF in a protobuf string is text, not a byte-order mark.
        const textDecoder = new globals.TextDecoder("utf-8", {
            ignoreBOM: true,
        });
        let textDecoderStrict;
        const config = {
            encodeUtf8(text) {
                return textEncoder.encode(text);
            },
            decodeUtf8(bytes, strict) {
                if (strict) {
                    if (!textDecoderStrict) {
                        textDecoderStrict = new globals.TextDecoder("utf-8", {
                            fatal: true,
                            ignoreBOM: true,
                        });
                    }
                    return textDecoderStrict.decode(bytes);
                }
                return textDecoder.decode(bytes);
            },
            checkUtf8(text) {
                try {
                    encodeURIComponent(text);
                    return true;
                }
                catch (_) {
                    return false;
                }
            },
        };
        // If encodeInto is available, use it. Otherwise, configureTextEncoding
        // fills in a slower fallback that uses encodeUtf8.
        if (textEncoder.encodeInto) {
            config.encodeUtf8Into = textEncoder.encodeInto.bind(textEncoder);
        }
        // Native String.prototype.isWellFormed, if the runtime provides it.
        const nativeStringIsWellFormed = String.prototype.isWellFormed;
        if (nativeStringIsWellFormed) {
            config.checkUtf8 = (text) => {
                return nativeStringIsWellFormed.call(text);
            };
        }
        configureTextEncoding(config);
    }
    return te;
}
/**
 * Simplistic polyfill for encodeUtf8Into.
 *
 * @private
 */
function emulateEncodeInto(encodeUtf8) {
    return (text, dest) => {
        const bytes = encodeUtf8(text);
        dest.set(bytes);
        return { written: bytes.byteLength };
    };
}

// Copyright 2021-2026 Buf Technologies, Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
/**
 * Protobuf binary format wire types.
 *
 * A wire type provides just enough information to find the length of the
 * following value.
 *
 * See https://developers.google.com/protocol-buffers/docs/encoding#structure
 */
var WireType;
(function (WireType) {
    /**
     * Used for int32, int64, uint32, uint64, sint32, sint64, bool, enum
     */
    WireType[WireType["Varint"] = 0] = "Varint";
    /**
     * Used for fixed64, sfixed64, double.
     * Always 8 bytes with little-endian byte order.
     */
    WireType[WireType["Bit64"] = 1] = "Bit64";
    /**
     * Used for string, bytes, embedded messages, packed repeated fields
     *
     * Only repeated numeric types (types which use the varint, 32-bit,
     * or 64-bit wire types) can be packed. In proto3, such fields are
     * packed by default.
     */
    WireType[WireType["LengthDelimited"] = 2] = "LengthDelimited";
    /**
     * Start of a tag-delimited aggregate, such as a proto2 group, or a message
     * in editions with message_encoding = DELIMITED.
     */
    WireType[WireType["StartGroup"] = 3] = "StartGroup";
    /**
     * End of a tag-delimited aggregate.
     */
    WireType[WireType["EndGroup"] = 4] = "EndGroup";
    /**
     * Used for fixed32, sfixed32, float.
     * Always 4 bytes with little-endian byte order.
     */
    WireType[WireType["Bit32"] = 5] = "Bit32";
})(WireType || (WireType = {}));
/**
 * Shared empty buffer used as the initial value before the first write.
 * Avoids allocating and zeroing `INITIAL_SIZE` bytes per BinaryWriter when a
 * writer is only used for a tiny message (or not used at all).
 */
const EMPTY_BUFFER = new Uint8Array(0);
/**
 * Shared empty view, paired with `EMPTY_BUFFER`. Never written to: any
 * fixed-width write first grows the buffer, which replaces this view.
 */
new DataView(EMPTY_BUFFER.buffer);
/**
 * Longest string on the ASCII fast paths. Must stay below 0x80, so
 * that the writer's length prefix always fits a single varint byte.
 */
const ASCII_MAX_LENGTH = 32;
class BinaryReader {
    constructor(buf, decodeUtf8 = getTextEncoding().decodeUtf8) {
        this.decodeUtf8 = decodeUtf8;
        this.varint64Lo = 0;
        this.varint64Hi = 0;
        this.varint64 = varint64read; // dirty cast for `this`
        /**
         * Read a `uint32` field, an unsigned 32 bit varint.
         */
        this.uint32 = varint32read;
        this.buf = buf;
        this.len = buf.length;
        this.pos = 0;
        this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    /**
     * Reads a tag - field number and wire type. Tags are uint32 varints; values
     * that do not fit in uint32 are rejected.
     */
    tag() {
        const start = this.pos;
        const tag = this.uint32();
        const bytesRead = this.pos - start;
        if (bytesRead > 5 || (bytesRead == 5 && this.buf[this.pos - 1] > 0x0f)) {
            throw new Error("illegal tag: varint overflows uint32");
        }
        const fieldNo = tag >>> 3;
        const wireType = tag & 7;
        if (fieldNo <= 0 || wireType > 5) {
            throw new Error("illegal tag: field no " + fieldNo + " wire type " + wireType);
        }
        return [fieldNo, wireType];
    }
    /**
     * Skip one element and return the skipped data.
     *
     * When skipping StartGroup, provide the tags field number to check for
     * matching field number in the EndGroup tag. Recursion into nested groups
     * is guarded by the `recursionLimit` argument: When the limit is reached,
     * this method throws.
     */
    skip(wireType, fieldNo, recursionLimit = 100) {
        let start = this.pos;
        switch (wireType) {
            case WireType.Varint:
                while (this.buf[this.pos++] & 0x80) {
                    // ignore
                }
                break;
            // @ts-ignore TS7029: Fallthrough case in switch -- ignore instead of expect-error for compiler settings without noFallthroughCasesInSwitch: true
            case WireType.Bit64:
                this.pos += 4;
            case WireType.Bit32:
                this.pos += 4;
                break;
            case WireType.LengthDelimited:
                let len = this.uint32();
                this.pos += len;
                break;
            case WireType.StartGroup:
                if (recursionLimit <= 0) {
                    throw new Error("maximum recursion depth reached");
                }
                for (;;) {
                    const [fn, wt] = this.tag();
                    if (wt === WireType.EndGroup) {
                        if (fieldNo !== undefined && fn !== fieldNo) {
                            throw new Error("invalid end group tag");
                        }
                        break;
                    }
                    this.skip(wt, fn, recursionLimit - 1);
                }
                break;
            default:
                throw new Error("cant skip wire type " + wireType);
        }
        this.assertBounds();
        return this.buf.subarray(start, this.pos);
    }
    /**
     * Throws error if position in byte array is out of range.
     */
    assertBounds() {
        if (this.pos > this.len)
            throw new RangeError("premature EOF");
    }
    /**
     * Read a `int32` field, a signed 32 bit varint.
     */
    int32() {
        return this.uint32() | 0;
    }
    /**
     * Read a `sint32` field, a signed, zigzag-encoded 32-bit varint.
     */
    sint32() {
        let zze = this.uint32();
        // decode zigzag
        return (zze >>> 1) ^ -(zze & 1);
    }
    /**
     * Read a `int64` field, a signed 64-bit varint.
     */
    int64() {
        this.varint64();
        return protoInt64.dec(this.varint64Lo, this.varint64Hi);
    }
    /**
     * Read a `uint64` field, an unsigned 64-bit varint.
     */
    uint64() {
        this.varint64();
        return protoInt64.uDec(this.varint64Lo, this.varint64Hi);
    }
    /**
     * Read a `sint64` field, a signed, zig-zag-encoded 64-bit varint.
     */
    sint64() {
        this.varint64();
        let lo = this.varint64Lo;
        let hi = this.varint64Hi;
        // decode zig zag
        let s = -(lo & 1);
        lo = ((lo >>> 1) | ((hi & 1) << 31)) ^ s;
        hi = (hi >>> 1) ^ s;
        return protoInt64.dec(lo, hi);
    }
    /**
     * Read a `bool` field, a variant.
     */
    bool() {
        // Fast path: most bools are 0x0 or 0x1.
        const b = this.buf[this.pos];
        if (b < 0x80) {
            this.pos++;
            return b !== 0;
        }
        this.varint64();
        return this.varint64Lo !== 0 || this.varint64Hi !== 0;
    }
    /**
     * Read a `fixed32` field, an unsigned, fixed-length 32-bit integer.
     */
    fixed32() {
        // biome-ignore lint/suspicious/noAssignInExpressions: no
        return this.view.getUint32((this.pos += 4) - 4, true);
    }
    /**
     * Read a `sfixed32` field, a signed, fixed-length 32-bit integer.
     */
    sfixed32() {
        // biome-ignore lint/suspicious/noAssignInExpressions: no
        return this.view.getInt32((this.pos += 4) - 4, true);
    }
    /**
     * Read a `fixed64` field, an unsigned, fixed-length 64 bit integer.
     */
    fixed64() {
        return protoInt64.uDec(this.sfixed32(), this.sfixed32());
    }
    /**
     * Read a `fixed64` field, a signed, fixed-length 64-bit integer.
     */
    sfixed64() {
        return protoInt64.dec(this.sfixed32(), this.sfixed32());
    }
    /**
     * Read a `float` field, 32-bit floating point number.
     */
    float() {
        // biome-ignore lint/suspicious/noAssignInExpressions: no
        return this.view.getFloat32((this.pos += 4) - 4, true);
    }
    /**
     * Read a `double` field, a 64-bit floating point number.
     */
    double() {
        // biome-ignore lint/suspicious/noAssignInExpressions: no
        return this.view.getFloat64((this.pos += 8) - 8, true);
    }
    /**
     * Read a `bytes` field, length-delimited arbitrary data.
     */
    bytes() {
        let len = this.uint32(), start = this.pos;
        this.pos += len;
        this.assertBounds();
        return this.buf.subarray(start, start + len);
    }
    /**
     * Read a `string` field, length-delimited data converted to UTF-8 text. If
     * `strict` is true, throw on invalid UTF-8 instead of substituting U+FFFD.
     */
    string(strict) {
        // Like bytes(), but the ASCII fast path reads the buffer without a view.
        const len = this.uint32();
        const start = this.pos;
        this.pos += len;
        this.assertBounds();
        const buf = this.buf;
        // Fast path for ASCII.
        if (len <= ASCII_MAX_LENGTH) {
            const codes = new Array(len);
            for (let i = 0; i < len; i++) {
                const byte = buf[start + i];
                if (byte > 0x7f) {
                    return this.decodeUtf8(buf.subarray(start, this.pos), strict);
                }
                codes[i] = byte;
            }
            return String.fromCharCode.apply(String, codes);
        }
        return this.decodeUtf8(buf.subarray(start, this.pos), strict);
    }
}

/** A tokenizer file that could not be read as its format; becomes an ARTIFACT-INVALID finding. */
class TokenizerFormatError extends Error {
    file;
    constructor(file, message) {
        super(message);
        this.file = file;
        this.name = 'TokenizerFormatError';
    }
}

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
class TokenTable {
    bytes;
    count = 0;
    valid = 0;
    highest = -1;
    // The entries in JSON.parse's key order when it differs from the file's, null when it does not.
    keyOrder;
    keyStart;
    keyEnd;
    hashes;
    // NaN where the value is not a non-negative integer id.
    ids;
    // The UTF-8 bytes of keys written with escapes, by entry.
    escaped = new Map();
    // Entry + 1 per slot, 0 for free; at most half full, so probe sequences stay short.
    slots;
    constructor(bytes, members) {
        this.bytes = bytes;
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
    static index(text) {
        const bytes = text.utf8;
        if (text.type !== 'object' || text.members === undefined || !isUtf8(bytes))
            return undefined;
        const table = new TokenTable(bytes, text.members);
        return table.read() ? table : undefined;
    }
    /** Distinct keys. */
    get keys() {
        return this.count;
    }
    /** Entries whose value is an id (a non-negative safe integer). */
    get size() {
        return this.valid;
    }
    /** The highest id, -1 when there is none. */
    get maxId() {
        return this.highest;
    }
    /** The keys whose value is not an id, in JSON.parse's key order. */
    invalid() {
        const invalid = [];
        if (this.valid === this.count)
            return invalid;
        const order = this.order();
        for (let k = 0; k < this.count; k++) {
            const entry = order ? order[k] : k;
            if (Number.isNaN(this.ids[entry]))
                invalid.push(this.token(entry));
        }
        return invalid;
    }
    /** The id of `token`, if the object has it with an id. */
    get(token) {
        if (LONE_SURROGATE.test(token))
            return undefined; // no key decodes to one (index refuses them)
        const key = Buffer.from(token, 'utf8');
        const hash = finish(fnv(key, 0, key.length));
        const mask = this.slots.length - 1;
        for (let slot = hash & mask, probes = 0; probes <= MAX_PROBES; slot = (slot + 1) & mask, probes++) {
            const at = this.slots[slot];
            if (at === 0)
                return undefined;
            if (this.hashes[at - 1] === hash && this.sameKey(at - 1, key, 0, key.length)) {
                const id = this.ids[at - 1];
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
    *entries() {
        const order = this.order();
        for (let k = 0; k < this.count; k++) {
            const entry = order ? order[k] : k;
            const id = this.ids[entry];
            if (!Number.isNaN(id))
                yield [this.token(entry), id];
        }
    }
    // One pass over the members: key, colon, value. The object is valid JSON, so the reads need no
    // checks. One loop with its state in locals: it runs once per file, mostly before V8 optimises it.
    read() {
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
            while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c)
                c = bytes[++i];
            if (c !== 0x22)
                break; // "}": the end
            // The key, hashed as it goes, unless an escape means its bytes are not its text.
            const start = i + 1;
            let hash = FNV_OFFSET;
            let escapes = false;
            for (i = start, c = bytes[i]; c !== 0x22; c = bytes[++i]) {
                if (c === 0x5c) {
                    escapes = true;
                    i += 1;
                }
                else
                    hash = Math.imul(hash ^ c, FNV_PRIME);
            }
            const end = i;
            for (c = bytes[++i]; c !== 0x3a; c = bytes[++i])
                ;
            for (c = bytes[++i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++i])
                ;
            const valueStart = i;
            let id = 0;
            for (; c !== undefined && c >= 0x30 && c <= 0x39 && i - valueStart < 15; c = bytes[++i])
                id = id * 10 + (c - 0x30);
            if (i === valueStart ||
                !(c === 0x2c || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) {
                i = skipValue(bytes, valueStart);
                id = idOf(bytes, valueStart, i);
                if (Object.is(id, -0))
                    negativeZero = true; // only "-0" spells it: the digits above never do
            }
            let key;
            if (escapes) {
                const decoded = JSON.parse(Buffer.from(bytes.subarray(start - 1, end + 1)).toString('utf8'));
                if (LONE_SURROGATE.test(decoded))
                    return false;
                key = Buffer.from(decoded, 'utf8');
                hash = finish(fnv(key, 0, key.length));
            }
            else
                hash = finish(hash);
            // Insert, or update a repeated key: its last value wins, its first position stays.
            let slot = hash & mask;
            let probes = 0;
            let equalHashes = 0;
            for (let at = slots[slot]; at !== 0; at = slots[slot]) {
                if (hashes[at - 1] === hash) {
                    if (++equalHashes > MAX_EQUAL_HASHES)
                        return false;
                    compareBudget -= key ? key.length : end - start;
                    if (compareBudget < 0)
                        return false;
                    if (this.sameKey(at - 1, key ?? bytes, key ? 0 : start, key ? key.length : end))
                        break;
                }
                if (++probes > MAX_PROBES || --probeBudget < 0)
                    return false;
                slot = (slot + 1) & mask;
            }
            const existing = slots[slot];
            if (existing !== 0) {
                ids[existing - 1] = id;
                repeated = true;
                continue;
            }
            if (!Number.isNaN(id)) {
                size += 1;
                if (id > maxId)
                    maxId = id;
            }
            keyStart[count] = start;
            keyEnd[count] = end;
            hashes[count] = hash;
            ids[count] = id;
            if (key)
                this.escaped.set(count, key);
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
                const id = ids[order ? order[k] : k];
                if (Number.isNaN(id))
                    continue;
                this.valid += 1;
                if (id > this.highest)
                    this.highest = id;
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
    order() {
        if (this.keyOrder !== undefined)
            return this.keyOrder;
        // Each array-index key as one number, index * 2^21 + entry (below 2^53: exact), so one numeric
        // sort of a typed array orders them, with no array or comparator call per key.
        const packed = new Float64Array(this.count);
        const isIndex = new Uint8Array(this.count);
        let found = 0;
        for (let entry = 0; entry < this.count; entry++) {
            const escaped = this.escaped.get(entry);
            const index = escaped
                ? arrayIndex(escaped, 0, escaped.length)
                : arrayIndex(this.bytes, this.keyStart[entry], this.keyEnd[entry]);
            if (index < 0)
                continue;
            packed[found++] = index * ENTRY_BITS + entry;
            isIndex[entry] = 1;
        }
        if (!found)
            return (this.keyOrder = null);
        const order = new Int32Array(this.count);
        let k = 0;
        for (const key of packed.subarray(0, found).sort())
            order[k++] = key % ENTRY_BITS;
        for (let entry = 0; entry < this.count; entry++)
            if (!isIndex[entry])
                order[k++] = entry;
        return (this.keyOrder = order);
    }
    // Is the key of `entry` the bytes [start, end) of `other`? Compared in place: no view per entry.
    sameKey(entry, other, start, end) {
        const escaped = this.escaped.get(entry);
        const own = escaped ?? this.bytes;
        const ownStart = escaped ? 0 : this.keyStart[entry];
        const length = escaped ? escaped.length : this.keyEnd[entry] - ownStart;
        if (length !== end - start)
            return false;
        for (let k = 0; k < length; k++)
            if (own[ownStart + k] !== other[start + k])
                return false;
        return true;
    }
    token(entry) {
        const key = this.escaped.get(entry) ?? this.bytes.subarray(this.keyStart[entry], this.keyEnd[entry]);
        return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
    }
}
// The array index a key's UTF-8 bytes spell ("0", "17", up to "4294967294", no leading zero), else -1.
function arrayIndex(bytes, start, end) {
    const length = end - start;
    if (length < 1 || length > 10 || (length > 1 && bytes[start] === 0x30))
        return -1;
    let value = 0;
    for (let i = start; i < end; i++) {
        const c = bytes[i];
        if (c < 0x30 || c > 0x39)
            return -1;
        value = value * 10 + (c - 0x30);
    }
    return value <= 4_294_967_294 ? value : -1;
}
// FNV-1a over the key's bytes, then a final mix so that the low bits the table uses depend on every byte.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
function fnv(bytes, start, end) {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++)
        hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
    return hash;
}
function finish(hash) {
    let h = hash ^ (hash >>> 16);
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
}
// The end of the (valid) value at `at`: a number or word runs to a delimiter; strings and containers are matched.
function skipValue(bytes, at) {
    let depth = 0;
    let i = at;
    for (;;) {
        const c = bytes[i];
        if (c === undefined)
            return i;
        if (c === 0x22) {
            for (i += 1; bytes[i] !== 0x22; i += bytes[i] === 0x5c ? 2 : 1)
                ;
            i += 1;
            if (depth === 0)
                return i;
            continue;
        }
        if (c === 0x7b || c === 0x5b)
            depth += 1;
        else if (c === 0x7d || c === 0x5d) {
            if (depth === 0)
                return i; // the end of the enclosing object
            depth -= 1;
            if (depth === 0)
                return i + 1;
        }
        else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09))
            return i;
        i += 1;
    }
}
// The id a value holds: a number that is a non-negative safe integer (as JSON.parse reads it: "7.0" and
// "7e0" are 7), else NaN.
function idOf(bytes, start, end) {
    let id = 0;
    let i = start;
    for (; i < end && i - start < 15; i++) {
        const c = bytes[i];
        if (c < 0x30 || c > 0x39)
            break;
        id = id * 10 + (c - 0x30);
    }
    if (i === end && i > start)
        return id; // plain digits: the common case
    const first = bytes[start];
    if (first !== 0x2d && (first < 0x30 || first > 0x39))
        return NaN; // a string, object, list or word
    const value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'));
    return Number.isSafeInteger(value) && value >= 0 ? value : NaN;
}

/**
 * The most vocabulary entries modelgate reads from one file: 2^20, four times
 * the largest published vocabularies (Gemma 3: 262,144; BLOOM, mT5, XLM-R and
 * NLLB: about 250,000). Every format is counted before its tables are built,
 * so a hostile ten-million-entry vocabulary costs a count, not minutes.
 */
const MAX_VOCABULARY = 1_048_576;
/** Refuses a token longer than MAX_HASHED_CHARACTERS (a Map key): `where` names it ("token 12", "added_tokens[3]"). */
function checkTokenLength(token, file, where) {
    if (token.length > MAX_HASHED_CHARACTERS)
        throw new TokenizerFormatError(file, `${file}: ${where} is ${token.length} characters long; modelgate reads tokens of at most ${MAX_HASHED_CHARACTERS} (real tokens are a few dozen)`);
}
/** Refuses a vocabulary (or added-token list) of more than MAX_VOCABULARY entries. */
function checkVocabularySize(entries, file, what = 'vocabulary') {
    if (entries > MAX_VOCABULARY) {
        throw new TokenizerFormatError(file, `${file}: the ${what} has ${entries} entries; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`);
    }
}
/**
 * A tokenizer's base vocabulary (token string <-> id), whatever file it came
 * from. Lookups use own properties only, so tokens such as "constructor" or
 * "__proto__" never hit Object.prototype.
 */
class Vocabulary {
    ids;
    size;
    maxId;
    reverse;
    constructor(ids, 
    /** Number of entries. */
    size, 
    /** Highest id, -1 for an empty vocabulary. */
    maxId) {
        this.ids = ids;
        this.size = size;
        this.maxId = maxId;
    }
    /**
     * From a `{token: id}` object (tokenizer.json BPE/WordPiece/WordLevel,
     * vocab.json) read from `file`. Returns the entries that are not integer
     * ids; throws TokenizerFormatError beyond MAX_VOCABULARY entries.
     */
    static fromObject(ids, file) {
        // One pass over the tokens checks every id; the id -> token table waits for a question that
        // needs it (tokenAt), since most models never ask one below their highest id.
        const tokens = Object.keys(ids);
        checkVocabularySize(tokens.length, file);
        let size = 0;
        let maxId = -1;
        const invalid = [];
        for (let i = 0; i < tokens.length; i++) {
            const token = tokens[i];
            const id = ids[token];
            if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
                invalid.push(token);
                continue;
            }
            size += 1;
            if (id > maxId)
                maxId = id;
        }
        return { vocabulary: new Vocabulary(ids, size, maxId), invalid };
    }
    /**
     * From a `{token: id}` object left unparsed in the file (parseJson's
     * deferred values): indexed over its bytes (TokenTable), or parsed and read
     * as fromObject does when the table cannot be exact.
     */
    static fromJsonText(text, file) {
        const table = TokenTable.index(text);
        if (!table)
            return Vocabulary.fromObject(text.value(), file);
        checkVocabularySize(table.keys, file);
        return { vocabulary: new Vocabulary(table, table.size, table.maxId), invalid: table.invalid() };
    }
    /**
     * From a list where the index is the id (vocab.txt, Unigram, SentencePiece)
     * read from `file`. The first occurrence of a duplicate wins; throws
     * TokenizerFormatError beyond MAX_VOCABULARY entries.
     */
    static fromList(tokens, file) {
        checkVocabularySize(tokens.length, file);
        tokens.forEach((token, id) => checkTokenLength(token, file, `token ${id}`));
        const map = new Map();
        tokens.forEach((token, id) => {
            if (!map.has(token))
                map.set(token, id);
        });
        const vocabulary = new Vocabulary(map, tokens.length, tokens.length - 1);
        vocabulary.reverse = [...tokens];
        return vocabulary;
    }
    /** The id of `token`, if the vocabulary has it. */
    idOf(token) {
        if (this.ids instanceof Map || this.ids instanceof TokenTable)
            return this.ids.get(token);
        const ids = this.ids;
        if (!Object.hasOwn(ids, token))
            return undefined;
        const id = ids[token];
        return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
    }
    /**
     * The token at `id`; when several share it, the first in the order
     * JSON.parse gives an object's keys (array-index tokens such as "17" first,
     * then file order). The table is built on first use.
     */
    tokenAt(id) {
        // Ids above the highest one need no table: added tokens usually sit there (Llama 3: 256 of them).
        if (!Number.isSafeInteger(id) || id < 0 || id > this.maxId)
            return undefined;
        this.reverse ??= this.buildReverse();
        return this.reverse[id];
    }
    /** Every `[token, id]` pair. */
    *entries() {
        if (this.ids instanceof Map || this.ids instanceof TokenTable) {
            yield* this.ids.entries();
            return;
        }
        for (const token in this.ids) {
            const id = this.idOf(token);
            if (id !== undefined)
                yield [token, id];
        }
    }
    buildReverse() {
        // Sized for ids 0..n-1; a hostile id far above that (5e9) stays a sparse entry, not a huge array.
        const reverse = new Array(Math.min(this.maxId + 1, this.size));
        if (this.ids instanceof Map || this.ids instanceof TokenTable) {
            for (const [token, id] of this.ids.entries())
                reverse[id] ??= token;
            return reverse;
        }
        const ids = this.ids;
        for (const token of Object.keys(ids)) {
            const id = this.idOf(token);
            if (id !== undefined && reverse[id] === undefined)
                reverse[id] = token;
        }
        return reverse;
    }
}

// Field numbers and enum values from sentencepiece_model.proto.
const PIECE_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4};
const MODEL_TYPES = { 1: 'Unigram', 2: 'BPE', 3: 'Word', 4: 'Char' };
/** Reads a SentencePiece `tokenizer.model` (a serialized ModelProto). */
function readSentencePiece(bytes, file) {
    const pieces = [];
    const types = [];
    let trainer = { modelType: 1, ids: { unk: 0, bos: 1, eos: 2, pad: -1 } };
    let normalizer = '';
    try {
        const reader = new BinaryReader(bytes);
        while (reader.pos < reader.len) {
            const [field, wireType] = reader.tag();
            if (field === 1 && wireType === WireType.LengthDelimited) {
                const piece = readPiece(reader.bytes());
                pieces.push(piece.piece);
                types.push(piece.type);
                // Stops as soon as the model has too many pieces, not after reading them all.
                if (pieces.length > MAX_VOCABULARY)
                    break;
            }
            else if (field === 2 && wireType === WireType.LengthDelimited) {
                trainer = readTrainerSpec(reader.bytes());
            }
            else if (field === 3 && wireType === WireType.LengthDelimited) {
                normalizer = Buffer.from(reader.bytes()).toString('base64');
            }
            else {
                reader.skip(wireType);
            }
        }
    }
    catch (error) {
        throw new TokenizerFormatError(file, `${file} is not a SentencePiece model: ${error.message}`);
    }
    if (pieces.length > MAX_VOCABULARY) {
        throw new TokenizerFormatError(file, `${file}: the vocabulary has more than ${MAX_VOCABULARY} pieces; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`);
    }
    if (pieces.length === 0)
        throw new TokenizerFormatError(file, `${file} is not a SentencePiece model: it has no pieces`);
    const added = [];
    pieces.forEach((content, id) => {
        const type = types[id];
        if (type === PIECE_TYPE.CONTROL || type === PIECE_TYPE.USER_DEFINED || type === PIECE_TYPE.UNKNOWN) {
            added.push({ id, content, special: type !== PIECE_TYPE.USER_DEFINED, source: file });
        }
    });
    const builtinSpecial = {};
    for (const role of ['bos', 'eos', 'unk', 'pad']) {
        const id = trainer.ids[role];
        const piece = id >= 0 ? pieces[id] : undefined;
        if (piece !== undefined)
            builtinSpecial[role] = piece;
    }
    return {
        format: 'sentencepiece',
        file,
        modelType: MODEL_TYPES[trainer.modelType] ?? `type ${trainer.modelType}`,
        vocab: Vocabulary.fromList(pieces, file),
        added,
        pipeline: { model_type: String(trainer.modelType), normalizer },
        builtinSpecial,
    };
}
function readPiece(bytes) {
    const reader = new BinaryReader(bytes);
    let piece;
    let type = PIECE_TYPE.NORMAL;
    while (reader.pos < reader.len) {
        const [field, wireType] = reader.tag();
        if (field === 1 && wireType === WireType.LengthDelimited)
            piece = reader.string();
        else if (field === 3 && wireType === WireType.Varint)
            type = reader.int32();
        else
            reader.skip(wireType);
    }
    if (piece === undefined)
        throw new Error('a piece has no text');
    return { piece, type };
}
function readTrainerSpec(bytes) {
    const spec = { modelType: 1, ids: { unk: 0, bos: 1, eos: 2, pad: -1 } };
    const reader = new BinaryReader(bytes);
    const idFields = { 40: 'unk', 41: 'bos', 42: 'eos', 43: 'pad' };
    while (reader.pos < reader.len) {
        const [field, wireType] = reader.tag();
        const role = idFields[field];
        if (field === 3 && wireType === WireType.Varint)
            spec.modelType = reader.int32();
        else if (role && wireType === WireType.Varint)
            spec.ids[role] = reader.int32();
        else
            reader.skip(wireType);
    }
    return spec;
}

const SPECIAL_ROLES = ['bos', 'eos', 'unk', 'pad', 'sep', 'cls', 'mask'];
const isObject$2 = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
// transformers writes int(1e30) when a tokenizer sets no limit.
const UNSET_MAX_LENGTH = 1e20;
/** A token value in tokenizer_config.json / special_tokens_map.json: "text", {content: "text"} or null. */
function tokenContent(value) {
    if (value === null)
        return null;
    if (typeof value === 'string')
        return value;
    if (isObject$2(value) && typeof value.content === 'string')
        return value.content;
    return undefined;
}
/** Special tokens named in a tokenizer_config.json or special_tokens_map.json object. */
function readSpecialTokens(json, source) {
    const special = [];
    for (const role of SPECIAL_ROLES) {
        const content = tokenContent(json[`${role}_token`]);
        if (content !== undefined)
            special.push({ role, content, source });
    }
    return special;
}
/** Reads tokenizer_config.json (already parsed). */
function readTokenizerConfig(json, file) {
    if (!isObject$2(json))
        throw new Error(`${file} must be a JSON object`);
    const added = [];
    if (isObject$2(json.added_tokens_decoder)) {
        checkVocabularySize(Object.keys(json.added_tokens_decoder).length, file, 'added_tokens_decoder');
        for (const [key, value] of Object.entries(json.added_tokens_decoder)) {
            const id = Number(key);
            const content = tokenContent(value);
            if (!Number.isSafeInteger(id) || id < 0 || typeof content !== 'string') {
                throw new Error(`${file}: added_tokens_decoder["${key}"] needs an integer id and a "content" string`);
            }
            added.push({ id, content, special: isObject$2(value) && value.special === true, source: file });
        }
    }
    const problems = [];
    return {
        special: readSpecialTokens(json, file),
        added,
        modelMaxLength: readMaxLength(json.model_max_length, file, problems),
        tokenizerClass: typeof json.tokenizer_class === 'string' ? json.tokenizer_class : undefined,
        addBosToken: typeof json.add_bos_token === 'boolean' ? json.add_bos_token : undefined,
        addEosToken: typeof json.add_eos_token === 'boolean' ? json.add_eos_token : undefined,
        chatTemplate: defaultTemplate(json.chat_template),
        problems,
    };
}
// Unset, null and transformers' "no limit" sentinel all mean no limit; anything else must be a count.
function readMaxLength(value, file, problems) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'number' && value >= UNSET_MAX_LENGTH)
        return undefined;
    const reading = readCount(value);
    if (reading.ok)
        return reading.value;
    problems.push({
        file,
        field: 'model_max_length',
        key: 'model_max_length',
        shown: show(value),
        why: reading.why,
    });
    return undefined;
}
// chat_template is a string, or a list of {name, template} where "default" is the one used.
function defaultTemplate(value) {
    if (typeof value === 'string')
        return value;
    if (Array.isArray(value)) {
        const named = value.filter(isObject$2);
        const chosen = named.find((t) => t.name === 'default') ?? named[0];
        return typeof chosen?.template === 'string' ? chosen.template : undefined;
    }
    return undefined;
}
/** Reads added_tokens.json: `{ "<token>": id }`. */
function readAddedTokensJson(json, file) {
    if (!isObject$2(json))
        throw new Error(`${file} must be a JSON object of token -> id`);
    checkVocabularySize(Object.keys(json).length, file, 'added tokens');
    return Object.entries(json).map(([content, id]) => {
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
            throw new Error(`${file}: the id of ${JSON.stringify(content)} must be a non-negative integer`);
        }
        return { id, content, special: true, source: file };
    });
}

/** At most this many examples are encoded from a repository corpus: encoding cost stays bounded. */
const MAX_CORPUS_LINES = 10_000;
/**
 * Parses a repository corpus: JSON lines (`.jsonl`: `{"text": "..."}` or a
 * JSON string per line, so examples may hold newlines and control
 * characters) or plain text, one example per line. Blank lines are skipped.
 * Throws an Error naming the file and line for anything else.
 */
function readRepositoryCorpus(text, file) {
    const jsonLines = /\.jsonl$/i.test(file);
    const lines = [];
    const raw = text.split('\n');
    for (const [index, rawLine] of raw.entries()) {
        const lineText = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
        if (lineText.trim() === '')
            continue;
        if (lines.length >= MAX_CORPUS_LINES)
            throw new Error(`${file} has more than ${MAX_CORPUS_LINES} examples; modelgate encodes at most ${MAX_CORPUS_LINES}`);
        lines.push({ line: index + 1, text: jsonLines ? jsonExample(lineText, file, index + 1) : lineText });
    }
    if (!lines.length)
        throw new Error(`${file} holds no example: a corpus needs at least one non-blank line`);
    return { file, lines };
}
function jsonExample(line, file, number) {
    const longKey = longJsonKey(line);
    if (longKey !== undefined)
        throw new Error(`${file}:${number}: ${longKeyProblem(longKey)}`);
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        throw new Error(`${file}:${number} is not JSON: each line of a .jsonl corpus is {"text": "..."} or a JSON string`);
    }
    if (typeof value === 'string')
        return value;
    const textField = typeof value === 'object' && value !== null ? value.text : undefined;
    if (typeof textField === 'string')
        return textField;
    throw new Error(`${file}:${number} has no "text" string: each line of a .jsonl corpus is {"text": "..."} or a JSON string`);
}

/**
 * How much JSON.parse may be asked to build from one artifact. JSON.parse is
 * quick on long strings and lists but slows down sharply on objects with
 * millions of keys (ten million vocabulary entries do not finish in minutes),
 * and deep nesting breaks the recursive walks that follow (JSON.stringify,
 * deep equality). The vocabulary is the largest object a model file has, so
 * objects get the vocabulary cap; lists get four times as much, because BPE
 * merges run about twice the vocabulary (Gemma 3: 262,144 tokens, 514,906
 * merges). Real files nest fewer than ten levels. Keys are held to
 * MAX_HASHED_CHARACTERS bytes (at least as many as characters), as long keys
 * take JSON.parse quadratic time.
 */
const JSON_SHAPE_LIMITS = {
    objectMembers: MAX_VOCABULARY,
    listItems: 4 * MAX_VOCABULARY,
    values: 8 * MAX_VOCABULARY,
    depth: 128,
    keyBytes: MAX_HASHED_CHARACTERS,
};
// Paths in messages name this many levels, then "…".
const PATH_DEPTH = 4;
const ROOT = '(root)';
class SyntaxStop {
    at;
    constructor(at) {
        this.at = at;
    }
}
class ShapeStop {
    problem;
    constructor(problem) {
        this.problem = problem;
    }
}
/**
 * Checks a JSON text in one pass over its bytes, without building any value:
 * its syntax (RFC 8259, exactly what JSON.parse accepts after UTF-8 decoding,
 * which turns invalid bytes inside strings into U+FFFD), and the limits of
 * JSON_SHAPE_LIMITS, stopping at the first limit passed, so a hostile file
 * costs at most the bytes up to that point. The containers at `vocabularies`
 * are held to MAX_VOCABULARY and reported as vocabularies. The byte ranges
 * of the values at `deferred` paths are returned, so a caller can parse the
 * rest of the document and read those values its own way (a vocabulary of
 * 128,000 tokens is cheaper to index than to build as an object).
 */
function scanJson(bytes, vocabularies = [], deferred = []) {
    const scanner = new JsonScanner(bytes, vocabularies, deferred);
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    try {
        scanner.document(start);
        return { start, deferred: scanner.spans };
    }
    catch (stop) {
        if (stop instanceof SyntaxStop)
            return { start, syntaxErrorAt: stop.at, deferred: scanner.spans };
        if (stop instanceof ShapeStop)
            return { start, problem: stop.problem, deferred: scanner.spans };
        throw stop;
    }
}
/**
 * The first limit of JSON_SHAPE_LIMITS a JSON text exceeds (see scanJson).
 * Malformed JSON is measured up to its first syntax error; JSON.parse reports
 * that error afterwards.
 */
function findJsonShapeProblem(bytes, vocabularies = []) {
    return scanJson(bytes, vocabularies).problem;
}
/** One sentence for a finding: what is too big, how big, and the limit. */
function describeJsonShapeProblem(problem) {
    const limits = JSON_SHAPE_LIMITS;
    switch (problem.limit) {
        case 'depth':
            return `it nests more than ${limits.depth} levels deep; modelgate reads JSON nested at most ${limits.depth} levels (real files use fewer than ten)`;
        case 'values':
            return `it holds more than ${limits.values} values; modelgate reads at most ${limits.values} from one file`;
        case 'vocabulary': {
            const where = problem.path === ROOT ? '' : ` (${problem.path})`;
            return `the vocabulary${where} has more than ${MAX_VOCABULARY} entries; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`;
        }
        case 'objectMembers':
            return `${problem.path === ROOT ? 'the top-level object' : problem.path} has more than ${limits.objectMembers} entries; modelgate reads at most ${limits.objectMembers} in one JSON object`;
        case 'listItems':
            return `${problem.path === ROOT ? 'the top-level list' : problem.path} has more than ${limits.listItems} items; modelgate reads at most ${limits.listItems} in one JSON list`;
        case 'keyBytes':
            return `${problem.path === ROOT ? 'the top-level object' : problem.path} has a key of ${problem.bytes} bytes; modelgate reads keys of at most ${limits.keyBytes} bytes (real keys are under 1 KiB)`;
    }
}
const isDigit = (c) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c) => c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
/**
 * The scan's state: where it is, and for each open container whether it is an
 * object and where its current key is (decoded only to match a path or name
 * one in a message). Containers recurse; the depth limit bounds the stack.
 */
class JsonScanner {
    bytes;
    vocabularies;
    deferred;
    at = 0;
    values = 0;
    spans = [];
    isObject = new Uint8Array(JSON_SHAPE_LIMITS.depth);
    keyStart = new Int32Array(JSON_SHAPE_LIMITS.depth);
    keyEnd = new Int32Array(JSON_SHAPE_LIMITS.depth);
    watchedLengths;
    // 1 at the path lengths of deferred paths: the only values worth matching against them.
    deferredLength = new Uint8Array(JSON_SHAPE_LIMITS.depth + 1);
    // The members or items of the container read last.
    members = 0;
    constructor(bytes, vocabularies, deferred) {
        this.bytes = bytes;
        this.vocabularies = vocabularies;
        this.deferred = deferred;
        this.watchedLengths = new Set(vocabularies.map((path) => path.length));
        for (const path of deferred)
            if (path.length <= JSON_SHAPE_LIMITS.depth)
                this.deferredLength[path.length] = 1;
    }
    document(start) {
        this.at = start;
        this.whitespace();
        this.value(0);
        this.whitespace();
        if (this.at !== this.bytes.length)
            throw new SyntaxStop(this.at);
    }
    /** A value whose path has `length` levels (the containers 0..length-1 hold it). */
    value(length) {
        this.whitespace();
        const start = this.at;
        const c = this.bytes[start];
        if (c === 0x22)
            this.string();
        else if (c === 0x7b)
            this.object(length);
        else if (c === 0x5b)
            this.list(length);
        else if (c === 0x74)
            this.word('true');
        else if (c === 0x66)
            this.word('false');
        else if (c === 0x6e)
            this.word('null');
        else
            this.number();
        if (this.deferredLength[length] === 1) {
            const path = this.deferred.findIndex((p) => p.length === length && this.isAt(p));
            const members = c === 0x7b || c === 0x5b ? this.members : undefined;
            if (path >= 0)
                this.spans.push({ path, start, end: this.at, members });
        }
    }
    object(level) {
        const limit = this.open(level, 1);
        const bytes = this.bytes;
        this.at += 1;
        this.whitespace();
        this.members = 0;
        if (bytes[this.at] === 0x7d) {
            this.at += 1;
            return;
        }
        let commas = 0;
        for (;;) {
            this.whitespace();
            if (bytes[this.at] !== 0x22)
                throw new SyntaxStop(this.at);
            this.keyStart[level] = this.at + 1;
            this.string();
            this.keyEnd[level] = this.at - 1;
            const keyBytes = this.keyEnd[level] - this.keyStart[level];
            if (keyBytes > JSON_SHAPE_LIMITS.keyBytes)
                throw new ShapeStop({ limit: 'keyBytes', path: this.pathTo(level), bytes: keyBytes });
            this.whitespace();
            if (bytes[this.at] !== 0x3a)
                throw new SyntaxStop(this.at);
            this.at += 1;
            this.value(level + 1);
            this.whitespace();
            const next = bytes[this.at];
            this.at += 1;
            if (next === 0x7d)
                break;
            if (next !== 0x2c)
                throw new SyntaxStop(this.at - 1);
            commas = this.comma(level, commas, limit);
        }
        this.values += 1;
        this.members = commas + 1;
    }
    list(level) {
        const limit = this.open(level, 0);
        const bytes = this.bytes;
        this.at += 1;
        this.whitespace();
        this.members = 0;
        if (bytes[this.at] === 0x5d) {
            this.at += 1;
            return;
        }
        let commas = 0;
        for (;;) {
            // A list item is never at a deferred path (paths are keys): a string, the usual item, goes straight.
            this.whitespace();
            if (bytes[this.at] === 0x22)
                this.string();
            else
                this.value(level + 1);
            this.whitespace();
            const next = bytes[this.at];
            this.at += 1;
            if (next === 0x5d)
                break;
            if (next !== 0x2c)
                throw new SyntaxStop(this.at - 1);
            commas = this.comma(level, commas, limit);
        }
        this.values += 1;
        this.members = commas + 1;
    }
    /** Opens the container at `level`; returns how many entries it may hold. */
    open(level, isObject) {
        if (level >= JSON_SHAPE_LIMITS.depth)
            throw new ShapeStop({ limit: 'depth', depth: level + 1 });
        this.isObject[level] = isObject;
        if (this.watchedLengths.has(level) && this.vocabularies.some((p) => p.length === level && this.isAt(p)))
            return -MAX_VOCABULARY; // negative: a vocabulary, named as one in the problem
        return isObject ? JSON_SHAPE_LIMITS.objectMembers : JSON_SHAPE_LIMITS.listItems;
    }
    // n commas separate n + 1 entries.
    comma(level, commas, limit) {
        const count = commas + 1;
        this.values += 1;
        if (count >= Math.abs(limit)) {
            const path = this.pathTo(level);
            const entries = Math.abs(limit) + 1;
            if (limit < 0)
                throw new ShapeStop({ limit: 'vocabulary', path, entries });
            throw new ShapeStop({ limit: this.isObject[level] ? 'objectMembers' : 'listItems', path, entries });
        }
        if (this.values > JSON_SHAPE_LIMITS.values)
            throw new ShapeStop({ limit: 'values', values: this.values });
        return count;
    }
    string() {
        const bytes = this.bytes;
        const length = bytes.length;
        let i = this.at + 1;
        for (;;) {
            if (i >= length)
                throw new SyntaxStop(length);
            const c = bytes[i];
            i += 1;
            if (c === 0x22)
                break;
            if (c === 0x5c) {
                const escape = bytes[i];
                i += 1;
                if (escape === 0x75) {
                    for (let k = 0; k < 4; k++, i++)
                        if (!isHex(bytes[i]))
                            throw new SyntaxStop(i);
                }
                else if (escape !== 0x22 && // "
                    escape !== 0x5c && // \
                    escape !== 0x2f && // /
                    escape !== 0x62 && // b
                    escape !== 0x66 && // f
                    escape !== 0x6e && // n
                    escape !== 0x72 && // r
                    escape !== 0x74 // t
                )
                    throw new SyntaxStop(i - 1);
            }
            else if (c < 0x20)
                throw new SyntaxStop(i - 1);
        }
        this.at = i;
    }
    number() {
        const bytes = this.bytes;
        let i = this.at;
        if (bytes[i] === 0x2d)
            i += 1;
        if (bytes[i] === 0x30)
            i += 1;
        else if (isDigit(bytes[i]) && bytes[i] !== 0x30)
            while (isDigit(bytes[i]))
                i += 1;
        else
            throw new SyntaxStop(i);
        if (bytes[i] === 0x2e) {
            i += 1;
            if (!isDigit(bytes[i]))
                throw new SyntaxStop(i);
            while (isDigit(bytes[i]))
                i += 1;
        }
        if (bytes[i] === 0x65 || bytes[i] === 0x45) {
            i += 1;
            if (bytes[i] === 0x2b || bytes[i] === 0x2d)
                i += 1;
            if (!isDigit(bytes[i]))
                throw new SyntaxStop(i);
            while (isDigit(bytes[i]))
                i += 1;
        }
        this.at = i;
    }
    word(word) {
        for (let k = 0; k < word.length; k++)
            if (this.bytes[this.at + k] !== word.charCodeAt(k))
                throw new SyntaxStop(this.at + k);
        this.at += word.length;
    }
    whitespace() {
        const bytes = this.bytes;
        let i = this.at;
        for (;;) {
            const c = bytes[i];
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)
                break;
            i += 1;
        }
        this.at = i;
    }
    // Is the value being read reached through exactly the keys of `path` (every level an object)?
    isAt(path) {
        for (let level = path.length - 1; level >= 0; level--)
            if (this.isObject[level] !== 1 || this.key(level) !== path[level])
                return false;
        return true;
    }
    key(level) {
        const raw = this.text(this.keyStart[level], this.keyEnd[level]);
        // A key with escapes ("mod\u0065l") means what JSON.parse makes of it.
        return raw.includes('\\') ? JSON.parse(`"${raw}"`) : raw;
    }
    pathTo(level) {
        if (level === 0)
            return ROOT;
        const parts = [];
        for (let k = 0; k < Math.min(level, PATH_DEPTH); k++) {
            if (!this.isObject[k]) {
                parts.push('[]');
                continue;
            }
            const start = this.keyStart[k];
            const end = this.keyEnd[k];
            const text = this.text(start, Math.min(end, start + 60));
            parts.push(end - start > 60 ? `${text}…` : text);
        }
        if (level > PATH_DEPTH)
            parts.push('…');
        return parts.join('.');
    }
    text(start, end) {
        return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
    }
}

/**
 * A JSON value that was checked (syntax and size) but not built: its UTF-8
 * text in the file's bytes. Its reader decides how to read it (a vocabulary
 * is indexed over the bytes); `value()` builds it as JSON.parse would.
 */
class JsonText {
    bytes;
    start;
    end;
    members;
    parsed;
    constructor(bytes, 
    /** Where the value starts and ends in `bytes`. */
    start, end, 
    /** How many members or items the object or list has (repeated keys count each time). */
    members) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        this.members = members;
    }
    /** The JSON type of the value, from its first byte. */
    get type() {
        switch (this.bytes[this.start]) {
            case 0x7b:
                return 'object';
            case 0x5b:
                return 'array';
            case 0x22:
                return 'string';
            case 0x74:
            case 0x66:
                return 'boolean';
            case 0x6e:
                return 'null';
            default:
                return 'number';
        }
    }
    /** The value's UTF-8 text (a view, not a copy). */
    get utf8() {
        return this.bytes.subarray(this.start, this.end);
    }
    /** The value as JSON.parse builds it, parsed on first use. */
    value() {
        this.parsed ??= { value: JSON.parse(decodeUtf8(this.utf8)) };
        return this.parsed.value;
    }
}
/**
 * Parses a JSON file's bytes as JSON.parse does, after one pass that checks
 * its syntax and size (scanJson): too large a file is refused before anything
 * is built, and a malformed one gets JSON.parse's own message. The values at
 * `deferred` paths are JsonText: the rest of the document is parsed with a
 * placeholder in their place, so a 9 MB tokenizer.json costs JSON.parse of its
 * small parts only. Where a key repeats, the last one wins, as in JSON.parse.
 */
function parseJson(bytes, options = {}) {
    const deferred = options.deferred ?? [];
    const scan = scanJson(bytes, options.vocabularies, deferred);
    if (scan.problem)
        return { ok: false, problem: scan.problem };
    if (scan.syntaxErrorAt !== undefined)
        return { ok: false, syntax: syntaxMessage(bytes, scan.syntaxErrorAt) };
    if (!scan.deferred.length)
        return { ok: true, value: JSON.parse(decodeUtf8(bytes)) };
    // Each deferred value becomes the string "<n>" (its index in scan.deferred): every value at a
    // deferred path is replaced, so what JSON.parse leaves at such a path is always a placeholder.
    let text = '';
    let at = scan.start;
    scan.deferred.forEach((span, index) => {
        text += `${decodeUtf8(bytes.subarray(at, span.start))}"${index}"`;
        at = span.end;
    });
    text += decodeUtf8(bytes.subarray(at));
    const value = JSON.parse(text);
    for (const path of deferred) {
        const parent = valueAt(value, path.slice(0, -1));
        const key = path[path.length - 1];
        if (!isObject$1(parent) || !Object.hasOwn(parent, key))
            continue;
        const span = scan.deferred[Number(parent[key])];
        if (typeof parent[key] !== 'string' || !span)
            throw new Error(`parseJson: no placeholder at ${path.join('.')}`);
        parent[key] = new JsonText(bytes, span.start, span.end, span.members);
    }
    return { ok: true, value };
}
const isObject$1 = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function valueAt(value, path) {
    let at = value;
    for (const key of path) {
        if (!isObject$1(at) || !Object.hasOwn(at, key))
            return undefined;
        at = at[key];
    }
    return at;
}
// JSON.parse's own message names the error the way users know it; the scan only found where.
function syntaxMessage(bytes, at) {
    try {
        JSON.parse(decodeUtf8(bytes));
    }
    catch (error) {
        return error.message;
    }
    return `unexpected byte at offset ${at}`;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Where tokenizer.json keeps its two large values. parseJson leaves them as
 * JsonText: an object vocabulary is indexed over its bytes, and the merges are
 * parsed only when a base version's are compared with them.
 */
const TOKENIZER_JSON_DEFERRED = [
    ['model', 'vocab'],
    ['model', 'merges'],
];
/** Reads a Hugging Face `tokenizer.json` (parsed by JSON.parse, or by parseJson with TOKENIZER_JSON_DEFERRED). */
function readTokenizerJson(json, file) {
    if (!isObject(json) || !isObject(json.model)) {
        throw new TokenizerFormatError(file, `${file} has no "model" object; it is not a tokenizer.json`);
    }
    const model = json.model;
    const modelType = typeof model.type === 'string' ? model.type : inferModelType(model);
    const vocab = readModelVocab(model, modelType, file);
    const added = readAddedTokens(json.added_tokens, file);
    const { vocab: _vocab, ...modelOptions } = model;
    // The merges are part of the pipeline a base version is compared with: parsed if that happens.
    const merges = modelOptions.merges;
    if (merges instanceof JsonText)
        Object.defineProperty(modelOptions, 'merges', { enumerable: true, get: () => merges.value() });
    return {
        format: 'tokenizer.json',
        file,
        modelType,
        vocab,
        added,
        pipeline: {
            model: modelOptions,
            normalizer: json.normalizer ?? null,
            pre_tokenizer: json.pre_tokenizer ?? null,
            post_processor: json.post_processor ?? null,
        },
        prepends: prependedToken(json.post_processor),
    };
}
// Old files omit model.type; the fields tell which model it is.
function inferModelType(model) {
    if ('merges' in model)
        return 'BPE';
    if (Array.isArray(model.vocab) || (model.vocab instanceof JsonText && model.vocab.type === 'array'))
        return 'Unigram';
    if ('continuing_subword_prefix' in model || 'max_input_chars_per_word' in model)
        return 'WordPiece';
    return 'WordLevel';
}
function readModelVocab(model, modelType, file) {
    const text = model.vocab instanceof JsonText ? model.vocab : undefined;
    if (text && modelType !== 'Unigram' && text.type === 'object') {
        const { vocabulary, invalid } = Vocabulary.fromJsonText(text, file);
        return checkedIds(vocabulary, invalid, file);
    }
    const vocab = text ? text.value() : model.vocab;
    if (modelType === 'Unigram') {
        if (!Array.isArray(vocab))
            throw new TokenizerFormatError(file, `${file}: Unigram model.vocab must be a list`);
        checkVocabularySize(vocab.length, file);
        const pieces = vocab.map((entry, index) => {
            if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
                throw new TokenizerFormatError(file, `${file}: model.vocab[${index}] must be [piece, score]`);
            }
            return entry[0];
        });
        return Vocabulary.fromList(pieces, file);
    }
    if (!isObject(vocab))
        throw new TokenizerFormatError(file, `${file}: model.vocab must be an object of token -> id`);
    const { vocabulary, invalid } = Vocabulary.fromObject(vocab, file);
    return checkedIds(vocabulary, invalid, file);
}
function checkedIds(vocabulary, invalid, file) {
    if (invalid.length) {
        throw new TokenizerFormatError(file, `${file}: model.vocab has ${invalid.length} entries whose id is not a non-negative integer (first: ${JSON.stringify(invalid[0])})`);
    }
    return vocabulary;
}
function readAddedTokens(list, file) {
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new TokenizerFormatError(file, `${file}: added_tokens must be a list`);
    checkVocabularySize(list.length, file, 'added_tokens list');
    return list.map((entry, index) => {
        if (!isObject(entry) ||
            typeof entry.content !== 'string' ||
            !Number.isSafeInteger(entry.id) ||
            entry.id < 0) {
            throw new TokenizerFormatError(file, `${file}: added_tokens[${index}] needs an integer "id" and a string "content"`);
        }
        checkTokenLength(entry.content, file, `added_tokens[${index}]`);
        return { id: entry.id, content: entry.content, special: entry.special === true, source: file };
    });
}
/** The special token a post-processor puts before a single sequence. */
function prependedToken(processor) {
    if (!isObject(processor))
        return undefined;
    switch (processor.type) {
        case 'TemplateProcessing': {
            const first = Array.isArray(processor.single) ? processor.single[0] : undefined;
            const special = isObject(first) && isObject(first.SpecialToken) ? first.SpecialToken : undefined;
            return typeof special?.id === 'string' ? special.id : undefined;
        }
        case 'BertProcessing':
        case 'RobertaProcessing':
            return Array.isArray(processor.cls) && typeof processor.cls[0] === 'string'
                ? processor.cls[0]
                : undefined;
        case 'Sequence':
            return Array.isArray(processor.processors)
                ? processor.processors.map(prependedToken).find((token) => token !== undefined)
                : undefined;
        default:
            return undefined;
    }
}
/** JSON with sorted keys, so that reordering a file's keys is not a change. */
function stableJson(value) {
    return JSON.stringify(value, (_key, v) => isObject(v)
        ? Object.fromEntries(Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]))
        : v);
}

/** BPE merges run about twice the vocabulary (Gemma 3: 514,906 for 262,144 tokens). */
const MAX_MERGES = 4 * MAX_VOCABULARY;
/** Reads a GPT-2 style `vocab.json` (already parsed), with the text of `merges.txt` when there is one. */
function readVocabJson(json, file, merges) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new TokenizerFormatError(file, `${file} must be a JSON object of token -> id`);
    }
    const { vocabulary, invalid } = Vocabulary.fromObject(json, file);
    if (invalid.length) {
        throw new TokenizerFormatError(file, `${file}: ${invalid.length} entries have an id that is not a non-negative integer`);
    }
    if (merges)
        checkMergeCount(merges);
    const mergeLines = merges ? mergesOf(merges.text) : undefined;
    if (mergeLines) {
        const bad = mergeLines.findIndex((line) => line.split(' ').length !== 2);
        if (bad >= 0)
            throw new TokenizerFormatError(merges.file, `${merges.file}: merge ${bad + 1} is not two tokens separated by a space`);
    }
    return {
        format: 'vocab.json',
        file,
        modelType: mergeLines ? 'BPE' : 'WordLevel',
        vocab: vocabulary,
        added: [],
        pipeline: { merges: mergeLines ?? [] },
    };
}
// Counted before splitting (the "#version" header and a final newline aside): millions of lines must cost a count, not millions of strings.
function checkMergeCount(merges) {
    const { text, file } = merges;
    const count = countLines(text) - (text.endsWith('\n') ? 1 : 0) - (text.startsWith('#version') ? 1 : 0);
    if (count > MAX_MERGES) {
        throw new TokenizerFormatError(file, `${file} has more than ${MAX_MERGES} merges; modelgate reads at most ${MAX_MERGES} (the largest real files have about 515,000)`);
    }
}
// merges.txt may start with a "#version" header; blank lines carry nothing.
function mergesOf(text) {
    return text
        .split(/\r?\n/)
        .filter((line, index) => line !== '' && !(index === 0 && line.startsWith('#version')));
}
/** Reads a WordPiece `vocab.txt`: one token per line, the line number (from 0) is the id. */
function readVocabTxt(text, file) {
    if (text.includes('\0'))
        throw new TokenizerFormatError(file, `${file} contains NUL bytes; it is not a vocab.txt`);
    // Counted before splitting: ten million lines must cost a count, not ten million strings.
    const count = countLines(text);
    checkVocabularySize(text.endsWith('\n') ? count - 1 : count, file);
    const lines = text.split('\n');
    if (lines.at(-1) === '')
        lines.pop();
    const tokens = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    if (tokens.length === 0)
        throw new TokenizerFormatError(file, `${file} is empty`);
    return {
        format: 'vocab.txt',
        file,
        modelType: 'WordPiece',
        vocab: Vocabulary.fromList(tokens, file),
        added: [],
        pipeline: {},
    };
}
/** Lines of a text (a final newline starts an empty last line), counted without splitting it. */
function countLines(text) {
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
        lines += 1;
    return lines;
}

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * The most modelgate reads into memory per kind of artifact, so what one
 * model costs is bounded (about 230 MiB of file text in all, whatever a pull
 * request commits) instead of growing with every file. Each cap is several
 * times the largest real file of its kind; a file over its cap is refused from
 * its size alone, before a byte is read. (Safetensors headers are capped by
 * their format, 100 MB, and read one at a time.)
 */
const READ_LIMITS = {
    config: { what: 'config.json files', bytes: 4 * MiB, real: 'real ones are a few KiB' },
    generation_config: {
        what: 'generation_config.json files',
        bytes: 1 * MiB,
        real: 'real ones are under 1 KiB',
    },
    tokenizer_config: {
        what: 'tokenizer_config.json files',
        bytes: 16 * MiB,
        real: "Gemma 3's, with 6,415 added tokens and its chat template, is 1.1 MiB",
    },
    special_tokens_map: {
        what: 'special_tokens_map.json files',
        bytes: 1 * MiB,
        real: 'real ones are under 10 KiB',
    },
    added_tokens: { what: 'added_tokens.json files', bytes: 16 * MiB, real: 'real ones are under 1 MiB' },
    tokenizer_json: {
        what: 'tokenizer.json and vocab.json files',
        bytes: 128 * MiB,
        real: "Gemma 3's tokenizer.json, 262,144 tokens, is 32 MiB",
    },
    sentencepiece: {
        what: 'SentencePiece models',
        bytes: 64 * MiB,
        real: "Gemma's 256,000-piece tokenizer.model is 4 MiB",
    },
    vocab_txt: { what: 'vocab.txt files', bytes: 32 * MiB, real: "bert-base-uncased's is 226 KiB" },
    merges: { what: 'merges.txt files', bytes: 32 * MiB, real: "GPT-2's is 446 KiB" },
    chat_template: { what: 'chat templates', bytes: 1 * MiB, real: 'real ones are under 20 KiB' },
    tokenizer_corpus: {
        what: 'tokenizer corpus files',
        bytes: 1 * MiB,
        real: "modelgate's own reference corpus is about 10 KiB",
    },
    weights_index: {
        what: 'safetensors index files',
        bytes: 32 * MiB,
        real: "DeepSeek V3's, 91,000 tensors in 163 shards, is under 9 MiB",
    },
};
/** Where a JSON artifact keeps its vocabularies, held to MAX_VOCABULARY before it is parsed. */
const VOCABULARY_PATHS = {
    tokenizer_json: [['model', 'vocab'], ['added_tokens'], []], // [] is a vocab.json
    tokenizer_config: [['added_tokens_decoder']],
    added_tokens: [[]],
};
/** Values of a JSON artifact read as JsonText, for its reader to read its own way (see parseJson). */
const DEFERRED_PATHS = {
    tokenizer_json: TOKENIZER_JSON_DEFERRED,
};
/**
 * Reads one model's artifacts from a source. Every problem becomes a finding
 * anchored on the manifest line that references the file, and the read
 * returns undefined: callers go on with what could be read.
 */
class ArtifactReader {
    source;
    facts;
    findings = [];
    constructor(source, facts) {
        this.source = source;
        this.facts = facts;
    }
    /** Resolves and stats a reference; records ARTIFACT-MISSING unless it is a file inside the repository. */
    async locate(key, ref) {
        if (ref === undefined)
            return undefined;
        const resolved = resolveArtifactPath(this.facts.manifestFile, ref);
        const label = JSON.stringify(ref);
        if (!resolved.ok) {
            this.add('ARTIFACT-MISSING', key, `${label} ${resolved.reason}`, 'Reference a file inside the repository, relative to the manifest folder.');
            return undefined;
        }
        const stat = await this.source.stat(resolved.path);
        if (stat.kind !== 'file') {
            this.add('ARTIFACT-MISSING', key, `${label} (${resolved.path}) ${describeStat(stat)} in ${this.source.label}`, fixFor(stat.kind), resolved.path);
            return undefined;
        }
        if (typeof key === 'string')
            this.facts.paths[key] = resolved.path;
        const isWeight = Array.isArray(key) && key[1] === 'weights';
        if (!isWeight)
            this.facts.files.add(resolved.path);
        return resolved.path;
    }
    /**
     * Reads a whole file of a capped kind. A file over its cap is refused from
     * its size (ARTIFACT-INVALID naming the cap) and never read.
     */
    async readBytes(key, path, kind) {
        const limit = READ_LIMITS[kind];
        const stat = await this.source.stat(path);
        if (stat.kind === 'file' && stat.size > limit.bytes) {
            this.add('ARTIFACT-INVALID', key, `${path} is ${formatBytes(stat.size)}; modelgate reads ${limit.what} up to ${formatBytes(limit.bytes)} (${limit.real})`, 'Check that the manifest references the right file: one this large is not a real one of its kind.', path);
            return undefined;
        }
        const read = await this.source.read(path, limit.bytes);
        return read.ok ? read.value : this.unreadable(key, path, read.problem);
    }
    async readText(key, ref, kind) {
        const path = await this.locate(key, ref);
        if (path === undefined)
            return undefined;
        const bytes = await this.readBytes(key, path, kind);
        return bytes && { file: path, text: decodeUtf8(bytes) };
    }
    /** Locates and reads a JSON artifact whose manifest key is also its kind (config, tokenizer_config, …). */
    async readJson(key, ref) {
        const path = await this.locate(key, ref);
        return path === undefined ? undefined : this.readJsonAt(key, path, key);
    }
    /**
     * Reads and parses a JSON artifact. Its syntax and shape are checked before
     * anything is built (parseJson: JSON_SHAPE_LIMITS, and MAX_VOCABULARY for
     * the kind's vocabularies), so a hostile file costs one pass over its bytes.
     */
    async readJsonAt(key, path, kind) {
        const bytes = await this.readBytes(key, path, kind);
        return bytes && this.parseJsonBytes(key, path, kind, bytes);
    }
    /** Parses the bytes of a JSON artifact read with readBytes, as readJsonAt does. */
    parseJsonBytes(key, path, kind, bytes) {
        const parsed = parseJson(bytes, { vocabularies: VOCABULARY_PATHS[kind], deferred: DEFERRED_PATHS[kind] });
        if (parsed.ok)
            return { file: path, value: parsed.value };
        if ('problem' in parsed)
            this.add('ARTIFACT-INVALID', key, `${path} is too large to judge: ${describeJsonShapeProblem(parsed.problem)}`, 'Check that the manifest references the right file: no real model file is shaped like this.', path);
        else
            this.add('ARTIFACT-INVALID', key, `${path} is not valid JSON: ${parsed.syntax}`, 'Fix or regenerate the file.', path);
        return undefined;
    }
    /** Runs a format reader on parsed JSON; its complaints become ARTIFACT-INVALID. */
    parse(key, read, apply) {
        if (!read)
            return;
        try {
            apply(read.value, read.file);
        }
        catch (error) {
            this.invalid(key, read.file, error);
        }
    }
    invalid(key, file, error) {
        if (!(error instanceof Error))
            throw error;
        const named = error instanceof TokenizerFormatError || error.message.startsWith(file);
        this.add('ARTIFACT-INVALID', key, named ? error.message : `${file}: ${error.message}`, 'Fix or regenerate the file with the library that produced it.', file);
    }
    unreadable(key, path, problem) {
        const rule = problem.kind === 'missing' || problem.kind === 'outside' ? 'ARTIFACT-MISSING' : 'ARTIFACT-INVALID';
        const fix = problem.kind === 'too-large'
            ? 'Check that the manifest references the right file.'
            : fixFor(problem.kind);
        this.add(rule, key, `${path} cannot be read: ${problem.detail}`, fix, path);
        return undefined;
    }
    /** Records an error finding on the manifest line of `key`. */
    add(rule, key, message, fix, artifact) {
        const path = typeof key === 'string' ? ['artifacts', key] : key;
        this.findings.push({
            rule,
            severity: 'error',
            model: this.facts.name,
            file: this.facts.manifestFile,
            line: this.facts.lineOf(path),
            message,
            fix,
            artifact,
        });
    }
}
/** "does not exist", "is a directory", "is a symlink to …". */
function describeStat(stat) {
    if (stat.kind === 'missing')
        return 'does not exist';
    return 'detail' in stat ? stat.detail : stat.kind;
}
function fixFor(kind) {
    if (kind === 'outside')
        return 'Replace the symlink with the file itself; artifacts must live inside the repository.';
    if (kind === 'missing')
        return 'Commit the file, or fix the path in the manifest (paths are relative to the manifest folder).';
    return 'Reference a regular file.';
}

/** Pointer files are small text files; anything longer is the real content. */
const LFS_POINTER_MAX_BYTES = 1024;
/**
 * Parses a Git LFS pointer (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md),
 * or returns undefined when the bytes are not one.
 */
function parseLfsPointer(bytes) {
    if (bytes.length > LFS_POINTER_MAX_BYTES)
        return undefined;
    const text = new TextDecoder().decode(bytes);
    if (!text.startsWith('version https://git-lfs.github.com/spec/'))
        return undefined;
    const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
    const size = /^size (\d{1,16})$/m.exec(text)?.[1];
    // A size no double holds exactly is no real object's: the bytes are then judged as a file (and fail their digest).
    if (!oid || size === undefined || !Number.isSafeInteger(Number(size)))
        return undefined;
    return { oid, size: Number(size) };
}

/** The safetensors format caps its JSON header at 100 MB; anything larger is not a safetensors file. */
const SAFETENSORS_MAX_HEADER = 100_000_000;
/**
 * Bits per element of every dtype the safetensors format defines
 * (safetensors/src/tensor.rs, Dtype). A dtype outside this list is one no
 * safetensors reader loads.
 */
const DTYPE_BITS = {
    BOOL: 8,
    F4: 4,
    F6_E2M3: 6,
    F6_E3M2: 6,
    U8: 8,
    I8: 8,
    F8_E5M2: 8,
    F8_E4M3: 8,
    F8_E8M0: 8,
    I16: 16,
    U16: 16,
    F16: 16,
    BF16: 16,
    I32: 32,
    U32: 32,
    F32: 32,
    C64: 64,
    F64: 64,
    I64: 64,
    U64: 64,
};
/**
 * Reads the header length from a safetensors file's first 8 bytes (u64,
 * little-endian) and checks it against the file size, so a hostile length
 * (2^60) is refused before anything is allocated.
 */
function safetensorsHeaderLength(first8, fileSize) {
    if (first8.length < 8)
        throw new Error(`the file is ${fileSize} bytes, too short for a safetensors header`);
    const view = new DataView(first8.buffer, first8.byteOffset, 8);
    const length = view.getBigUint64(0, true);
    if (length > BigInt(SAFETENSORS_MAX_HEADER)) {
        throw new Error(`the header claims ${length} bytes; safetensors headers are at most ${SAFETENSORS_MAX_HEADER}`);
    }
    if (Number(length) + 8 > fileSize) {
        throw new Error(`the header claims ${length} bytes but the file has only ${fileSize}`);
    }
    if (length < 2n)
        throw new Error(`the header claims ${length} bytes, too short for a JSON object`);
    return Number(length);
}
/**
 * Parses the JSON header (the bytes after the length) into tensor name ->
 * dtype and shape, and checks that it tells the truth about the `dataSize`
 * bytes that follow it (file size - 8 - header length), as the safetensors
 * loader does: every tensor has a known dtype, a shape of non-negative
 * integers and data_offsets [begin, end] with begin <= end <= dataSize, its
 * byte count is dtype x shape, and the tensors tile the data exactly (no
 * overlap, no gap, nothing after the last). Throws an Error naming the tensor.
 */
function parseSafetensorsHeader(bytes, dataSize) {
    const shape = findJsonShapeProblem(bytes);
    if (shape)
        throw new Error(`the header is too large to judge: ${describeJsonShapeProblem(shape)}`);
    const json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error('the header is not a JSON object');
    const tensors = new Map();
    const placed = [];
    for (const [name, value] of Object.entries(json)) {
        if (name === '__metadata__')
            continue;
        const tensor = readTensor(name, value, dataSize);
        tensors.set(name, { dtype: tensor.dtype, shape: tensor.shape });
        placed.push({ name, begin: tensor.begin, end: tensor.end });
    }
    checkTiling(placed, dataSize);
    return tensors;
}
function readTensor(name, value, dataSize) {
    const label = `tensor ${JSON.stringify(name)}`;
    const info = value;
    if (typeof info !== 'object' || info === null || Array.isArray(info))
        throw new Error(`${label} is not an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string' || DTYPE_BITS[dtype] === undefined)
        throw new Error(`${label} has dtype ${JSON.stringify(dtype)}, which is not a safetensors dtype`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
        throw new Error(`${label} has shape ${JSON.stringify(shape)}: dimensions are non-negative integers`);
    if (!Array.isArray(offsets) ||
        offsets.length !== 2 ||
        !offsets.every((o) => Number.isSafeInteger(o) && o >= 0))
        throw new Error(`${label} has data_offsets ${JSON.stringify(offsets)}: they are [begin, end] byte offsets`);
    const [begin, end] = offsets;
    const where = `${label} has data_offsets [${begin}, ${end}]`;
    if (begin > end)
        throw new Error(`${where}: it begins after it ends`);
    if (end > dataSize)
        throw new Error(`${where}, past the end of the data (${dataSize} bytes after the header)`);
    // BigInt: a shape such as [2^40, 2^40] must not round to a size that happens to match.
    const bits = shape.reduce((n, d) => n * BigInt(d), 1n) * BigInt(DTYPE_BITS[dtype]);
    if (bits % 8n !== 0n || bits / 8n !== BigInt(end - begin)) {
        const expected = bits % 8n === 0n ? `${bits / 8n} bytes` : `${bits} bits, not whole bytes`;
        throw new Error(`${where}, ${end - begin} bytes, but ${dtype} [${shape.join(', ')}] is ${expected}`);
    }
    return { dtype, shape: shape, begin, end };
}
/** The tensors cover the data exactly once, in some order: the loader refuses overlaps, holes and trailing bytes. */
function checkTiling(placed, dataSize) {
    placed.sort((a, b) => a.begin - b.begin || a.end - b.end);
    let covered = 0;
    let previous;
    for (const tensor of placed) {
        if (tensor.begin < covered && previous) {
            throw new Error(`tensors ${JSON.stringify(previous.name)} [${previous.begin}, ${previous.end}] and ${JSON.stringify(tensor.name)} [${tensor.begin}, ${tensor.end}] overlap`);
        }
        if (tensor.begin > covered) {
            throw new Error(`bytes ${covered} to ${tensor.begin} of the data belong to no tensor (before ${JSON.stringify(tensor.name)})`);
        }
        covered = tensor.end;
        previous = tensor;
    }
    if (covered < dataSize) {
        throw new Error(`the data holds ${dataSize} bytes but its tensors end at byte ${covered}: ${dataSize - covered} bytes belong to no tensor`);
    }
}
/** model.safetensors.index.json: which shard holds which tensor. */
function parseSafetensorsIndex(json) {
    const map = json?.weight_map;
    if (typeof map !== 'object' || map === null || Array.isArray(map))
        throw new Error('it has no "weight_map" object');
    const result = new Map();
    for (const [tensor, shard] of Object.entries(map)) {
        if (typeof shard !== 'string')
            throw new Error(`weight_map[${JSON.stringify(tensor)}] is not a file name`);
        result.set(tensor, shard);
    }
    return result;
}

/**
 * Checks the weights in the repository (files or Git LFS pointers) against
 * their manifest digests, checks the shards of a safetensors index, and
 * collects the tensor headers that can be read into `facts.tensors`. Each
 * distinct file is hashed and its header parsed once (WeightMemo), however
 * many entries, shards or spellings name it; each entry's digest is still
 * checked against what that entry declares.
 */
async function loadWeights(reader, progress) {
    const { facts } = reader;
    const load = {
        reader,
        memo: weightMemoOf(reader.source),
        tensors: new Map(),
        headersUsed: new Set()};
    let anyHeader = false;
    const { weights, weights_index: indexRef } = facts.manifest.artifacts;
    for (const [index, weight] of weights.entries()) {
        if (!weight.path)
            continue;
        const key = ['artifacts', 'weights', index, 'path'];
        const path = await reader.locate(key, weight.path);
        if (path === undefined)
            continue;
        const identity = await identityOf(load.memo, path);
        const inspection = await load.memo.inspection(identity, () => inspectWeightFile(reader.source, path, progress));
        if (inspection.kind === 'unreadable') {
            reader.unreadable(key, path, inspection.problem);
            continue;
        }
        const file = inspection.kind === 'file'
            ? { kind: 'file', path, sha256: inspection.sha256, size: inspection.size }
            : { kind: 'lfs-pointer', path, pointer: inspection.pointer };
        facts.weightFiles.set(index, file);
        checkDigest(reader, key, file, weight.sha256, weight.size);
        if (file.kind === 'file' && path.endsWith('.safetensors')) {
            const header = await useHeader(load, key, identity, path, path);
            anyHeader = anyHeader || header !== undefined;
        }
    }
    if (indexRef)
        anyHeader = (await loadShards(load, indexRef)) || anyHeader;
    if (anyHeader)
        facts.tensors = load.tensors;
}
/** The memo's identity of a located file; a file gone since it was located is keyed by its path (its read fails). */
async function identityOf(memo, path) {
    return (await memo.identify(path)) ?? `unresolved:${path}`;
}
/**
 * The header of a located safetensors file, through the memo. The first use
 * in this model adds its tensors (or reports why it cannot be read); a later
 * use of the same file (another entry, a shard spelled differently) only
 * returns it.
 */
async function useHeader(load, key, identity, path, label) {
    const header = await load.memo.header(identity, () => readHeader(load.reader.source, path));
    const first = !load.headersUsed.has(identity);
    load.headersUsed.add(identity);
    if (!header.ok) {
        if (first)
            load.reader.add('ARTIFACT-INVALID', key, `${label} is not a readable safetensors file: ${header.reason}`, 'Re-export the weights with safetensors (save_file or save_pretrained), which writes a header that matches the data.', path);
        return undefined;
    }
    if (first)
        for (const [name, info] of header.tensors)
            load.tensors.set(name, { ...info, file: path });
    return header.tensors;
}
/** Reads the index, checks every shard, and adds the tensors of the shards whose header is readable. */
async function loadShards(load, indexRef) {
    const { reader } = load;
    const json = await reader.readJson('weights_index', indexRef);
    if (!json)
        return false;
    let weightMap;
    try {
        weightMap = parseSafetensorsIndex(json.value);
    }
    catch (error) {
        reader.invalid('weights_index', json.file, error);
        return false;
    }
    // Appended in place: copying the list per tensor is quadratic in a million-tensor index.
    const byShard = new Map();
    for (const [tensor, shard] of weightMap) {
        const listed = byShard.get(shard);
        if (listed)
            listed.push(tensor);
        else
            byShard.set(shard, [tensor]);
    }
    let anyHeader = false;
    for (const [shard, listed] of byShard) {
        const resolved = resolveArtifactPath(json.file, shard);
        const where = `${json.file} lists shard ${JSON.stringify(shard)}`;
        if (!resolved.ok) {
            reader.add('SHARDS', 'weights_index', `${where}, which ${resolved.reason}`, 'List shards by file name, next to the index.');
            continue;
        }
        const stat = await reader.source.stat(resolved.path);
        if (stat.kind !== 'file') {
            reader.add('SHARDS', 'weights_index', `${where}, but ${resolved.path} ${describeStat(stat)}`, 'Add the shard (or its Git LFS pointer) or fix the index.', resolved.path);
            continue;
        }
        const head = await reader.source.readRange(resolved.path, 0, LFS_POINTER_MAX_BYTES + 1);
        if (head.ok && parseLfsPointer(head.value))
            continue; // an LFS pointer: the shard exists, its header is not here
        const header = await useHeader(load, 'weights_index', await identityOf(load.memo, resolved.path), resolved.path, `${resolved.path} (a shard ${json.file} lists)`);
        if (!header)
            continue;
        anyHeader = true;
        const absent = listed.filter((tensor) => !header.has(tensor));
        if (absent.length) {
            reader.add('SHARDS', 'weights_index', `${resolved.path} does not hold ${absent.length} tensor(s) that ${json.file} assigns to it: ${preview$1(absent)}`, 'Regenerate the index from the shards (save_pretrained writes both).', resolved.path);
        }
    }
    return anyHeader;
}
/** An LFS pointer is recognised from its first bytes; anything else is streamed through sha256. */
async function inspectWeightFile(source, path, progress) {
    const head = await source.readRange(path, 0, LFS_POINTER_MAX_BYTES + 1);
    if (!head.ok)
        return { kind: 'unreadable', problem: head.problem };
    const pointer = parseLfsPointer(head.value);
    if (pointer)
        return { kind: 'lfs-pointer', pointer };
    progress?.(`sha256 ${path}`);
    const digest = await source.sha256(path);
    if (!digest.ok)
        return { kind: 'unreadable', problem: digest.problem };
    return { kind: 'file', ...digest.value };
}
function checkDigest(reader, key, file, sha256, size) {
    const actual = file.kind === 'file'
        ? { sha256: file.sha256, size: file.size }
        : { sha256: file.pointer.oid, size: file.pointer.size };
    const what = file.kind === 'file' ? file.path : `the Git LFS pointer ${file.path}`;
    if (actual.sha256 !== sha256) {
        reader.add('ARTIFACT-DIGEST', key, `${what} has sha256 ${actual.sha256}, the manifest says ${sha256}`, 'Update sha256 in the manifest, or restore the file that was meant.', file.path);
    }
    else if (size !== undefined && actual.size !== size) {
        reader.add('ARTIFACT-DIGEST', key, `${what} is ${actual.size} bytes, the manifest says ${size}`, 'Update size in the manifest.', file.path);
    }
}
/**
 * Reads a safetensors header: 8 bytes of length, then that much JSON, never
 * the tensor data. A header that does not describe the file (offsets past its
 * end, overlapping tensors, sizes that disagree with dtype x shape) comes back
 * with the reason, reported as ARTIFACT-INVALID naming the tensor, for a
 * weights file and a shard alike.
 */
async function readHeader(source, path) {
    const stat = await source.stat(path);
    if (stat.kind !== 'file')
        return { ok: false, reason: `it ${describeStat(stat)}` };
    try {
        const first = await source.readRange(path, 0, 8);
        if (!first.ok)
            throw new Error(first.problem.detail);
        const length = safetensorsHeaderLength(first.value, stat.size);
        const header = await source.readRange(path, 8, length);
        if (!header.ok)
            throw new Error(header.problem.detail);
        return { ok: true, tensors: parseSafetensorsHeader(header.value, stat.size - 8 - length) };
    }
    catch (error) {
        if (!(error instanceof Error))
            throw error;
        return { ok: false, reason: error.message };
    }
}
function preview$1(items, max = 3) {
    const shown = items.slice(0, max).join(', ');
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Reads one manifest and every artifact it references from `source`, and
 * parses them. Problems met on the way (missing, unreadable or malformed
 * files, digests that differ) come back as findings; nothing throws for bad
 * input.
 */
async function loadModel(source, manifestFile, options = {}) {
    const problem = (message, fix) => ({
        findings: [
            { rule: 'MANIFEST-SCHEMA', severity: 'error', model: manifestFile, file: manifestFile, message, fix },
        ],
    });
    const stat = await source.stat(manifestFile);
    if (stat.kind !== 'file')
        return problem(`${manifestFile} cannot be read (${describeStat(stat)})`);
    if (stat.size > MANIFEST_MAX_BYTES) {
        return problem(`${manifestFile} is ${formatBytes(stat.size)}; manifests are at most ${formatBytes(MANIFEST_MAX_BYTES)}`, 'Keep large data in artifact files and reference them from the manifest.');
    }
    const read = await source.read(manifestFile, MANIFEST_MAX_BYTES);
    if (!read.ok)
        return problem(`${manifestFile} cannot be read: ${read.problem.detail}`);
    const parsed = parseManifest(decodeUtf8(read.value), manifestFile);
    if (!parsed.manifest)
        return { findings: parsed.findings };
    const facts = {
        name: parsed.manifest.name,
        manifestFile,
        manifest: parsed.manifest,
        lineOf: parsed.lineOf,
        paths: {},
        files: new Set(),
        settings: { special: [], added: [], problems: [] },
        chatTemplates: [],
        weightFiles: new Map(),
    };
    const reader = new ArtifactReader(source, facts);
    await loadConfigs(reader);
    await loadTokenizer(reader);
    await loadChatTemplates(reader);
    await loadTokenizerCorpus(reader);
    await loadWeights(reader, options.progress);
    await checkReferencedFiles(reader);
    return { facts, findings: reader.findings };
}
async function loadConfigs(reader) {
    const { facts } = reader;
    const { artifacts } = facts.manifest;
    const [config, generation, tokenizerConfig, specialMap, addedTokens] = await Promise.all([
        reader.readJson('config', artifacts.config),
        reader.readJson('generation_config', artifacts.generation_config),
        reader.readJson('tokenizer_config', artifacts.tokenizer_config),
        reader.readJson('special_tokens_map', artifacts.special_tokens_map),
        reader.readJson('added_tokens', artifacts.added_tokens),
    ]);
    reader.parse('config', config, (json, file) => (facts.config = readModelConfig(json, file)));
    reader.parse('generation_config', generation, (json, file) => (facts.generation = { ...readGenerationConfig(json, file), file }));
    // tokenizer_config.json first, then special_tokens_map.json and added_tokens.json on top.
    let settings = { special: [], added: [], problems: [] };
    reader.parse('tokenizer_config', tokenizerConfig, (json, file) => (settings = readTokenizerConfig(json, file)));
    reader.parse('special_tokens_map', specialMap, (json, file) => {
        if (typeof json !== 'object' || json === null || Array.isArray(json))
            throw new Error(`${file} must be a JSON object`);
        settings.special.push(...readSpecialTokens(json, file));
    });
    reader.parse('added_tokens', addedTokens, (json, file) => settings.added.push(...readAddedTokensJson(json, file)));
    facts.settings = settings;
}
/**
 * The last tokenizer.json read, by its exact bytes and path. A comparison with
 * a base reads the same file twice when the change leaves the tokenizer alone,
 * as most do, and reading Llama 3's costs about 70 ms (Gemma 3's, 250). The
 * tokenizer is a function of the bytes and the path, and nothing changes it
 * once read (its merges are parsed once, on first use), so equal bytes share
 * it. One entry: the memory of one tokenizer, whatever else is read.
 */
let remembered;
function lastTokenizer(bytes, path) {
    if (!remembered || remembered.path !== path || remembered.bytes.length !== bytes.length)
        return undefined;
    return Buffer.compare(remembered.bytes, bytes) === 0 ? remembered.tokenizer : undefined;
}
/** The tokenizer's format follows its file name: *.model is SentencePiece, *.txt a WordPiece vocabulary, JSON the rest. */
async function loadTokenizer(reader) {
    const { facts } = reader;
    const { tokenizer: ref, merges: mergesRef } = facts.manifest.artifacts;
    const path = await reader.locate('tokenizer', ref);
    if (path === undefined)
        return;
    const base = posix.basename(path);
    try {
        if (base.endsWith('.model')) {
            const bytes = await reader.readBytes('tokenizer', path, 'sentencepiece');
            if (bytes)
                facts.tokenizer = readSentencePiece(bytes, path);
        }
        else if (base.endsWith('.txt')) {
            const bytes = await reader.readBytes('tokenizer', path, 'vocab_txt');
            if (bytes)
                facts.tokenizer = readVocabTxt(decodeUtf8(bytes), path);
        }
        else {
            const bytes = await reader.readBytes('tokenizer', path, 'tokenizer_json');
            if (bytes === undefined)
                return;
            const known = mergesRef ? undefined : lastTokenizer(bytes, path);
            if (known) {
                facts.tokenizer = known;
                return;
            }
            const json = reader.parseJsonBytes('tokenizer', path, 'tokenizer_json', bytes);
            if (json === undefined)
                return;
            const merges = mergesRef ? await reader.readText('merges', mergesRef, 'merges') : undefined;
            // vocab.json maps tokens to ids, so a token may well be called "model": only an object there marks tokenizer.json.
            const model = json.value?.model;
            const isTokenizerJson = typeof model === 'object' && model !== null;
            facts.tokenizer = isTokenizerJson
                ? readTokenizerJson(json.value, path)
                : readVocabJson(json.value, path, merges);
            if (isTokenizerJson && !mergesRef)
                remembered = { bytes, path, tokenizer: facts.tokenizer };
        }
    }
    catch (error) {
        reader.invalid('tokenizer', path, error);
    }
}
/** chat_template.jinja first (it wins in transformers), then the one in tokenizer_config.json. */
async function loadChatTemplates(reader) {
    const { facts } = reader;
    const ref = facts.manifest.artifacts.chat_template;
    if (ref) {
        const template = await reader.readText('chat_template', ref, 'chat_template');
        if (template)
            facts.chatTemplates.push(template);
    }
    const fromConfig = facts.settings.chatTemplate;
    const configFile = facts.paths.tokenizer_config;
    if (fromConfig !== undefined && configFile)
        facts.chatTemplates.push({ file: configFile, text: fromConfig });
}
/** The repository's own corpus: read with every artifact (it is small and capped), encoded only when behaviour is measured. */
async function loadTokenizerCorpus(reader) {
    const ref = reader.facts.manifest.artifacts.tokenizer_corpus;
    if (!ref)
        return;
    const read = await reader.readText('tokenizer_corpus', ref, 'tokenizer_corpus');
    if (!read)
        return;
    try {
        reader.facts.tokenizerCorpus = readRepositoryCorpus(read.text, read.file);
    }
    catch (error) {
        reader.invalid('tokenizer_corpus', read.file, error);
    }
}
/** Files named elsewhere in the manifest (eval results, datasets) must exist too. */
async function checkReferencedFiles(reader) {
    const evalBlock = reader.facts.manifest.eval;
    const refs = [
        ...(evalBlock?.results ?? []).flatMap((r, i) => [
            [['eval', 'results', i, 'path'], r.path],
            ...Object.entries(r.samples ?? {}).map(([task, path]) => [
                ['eval', 'results', i, 'samples', task],
                path,
            ]),
        ]),
        ...(evalBlock?.suites ?? []).map((s, i) => [
            ['eval', 'suites', i, 'dataset'],
            s.dataset,
        ]),
        ...rolloutFileReferences(reader.facts.manifest.rollout),
    ];
    await Promise.all(refs.map(([key, ref]) => reader.locate(key, ref)));
}

/** Every added token from every file, with the files that declare it. */
function allAddedTokens(facts) {
    return [...(facts.tokenizer?.added ?? []), ...facts.settings.added];
}

/** Anchors a report on the manifest line of the artifact or key it is about. */
function finding(facts, report) {
    const path = typeof report.at === 'string' ? ['artifacts', report.at] : report.at;
    const { at: _at, ...rest } = report;
    return { ...rest, model: facts.name, file: facts.manifestFile, line: facts.lineOf(path) };
}
/** Formats a list of values for a message, capped. */
function preview(items, max = 5) {
    const shown = items.slice(0, max).map(String);
    return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

/** ADDED-ID: the files that declare added tokens agree, and no added token takes another token's id or string. */
const addedId = (facts) => {
    const added = allAddedTokens(facts);
    if (!added.length)
        return [];
    const findings = [];
    const report = (message, fix, artifact) => findings.push(finding(facts, {
        rule: 'ADDED-ID',
        severity: 'error',
        at: artifactKey(facts, artifact),
        artifact,
        message,
        fix,
    }));
    const byId = new Map();
    const byContent = new Map();
    const idConflicts = [];
    const contentConflicts = [];
    for (const token of added) {
        const sameId = byId.get(token.id);
        if (sameId && sameId.content !== token.content) {
            idConflicts.push(`id ${token.id} is ${JSON.stringify(sameId.content)} in ${sameId.source} but ${JSON.stringify(token.content)} in ${token.source}`);
        }
        else
            byId.set(token.id, { content: token.content, source: token.source });
        const sameContent = byContent.get(token.content);
        if (sameContent && sameContent.id !== token.id) {
            contentConflicts.push(`${JSON.stringify(token.content)} is ${sameContent.id} in ${sameContent.source} but ${token.id} in ${token.source}`);
        }
        else
            byContent.set(token.content, { id: token.id, source: token.source });
    }
    const sourceOf = (text) => /in (\S+)$/.exec(text)?.[1] ?? facts.manifestFile;
    if (idConflicts.length)
        report(`added tokens disagree: ${preview(idConflicts, 3)}`, 'Regenerate the tokenizer files together (save_pretrained) so every file lists the same added tokens.', sourceOf(idConflicts[0]));
    if (contentConflicts.length)
        report(`added tokens disagree: ${preview(contentConflicts, 3)}`, 'Regenerate the tokenizer files together (save_pretrained) so every file lists the same added tokens.', sourceOf(contentConflicts[0]));
    const vocab = facts.tokenizer?.vocab;
    if (vocab) {
        const collisions = [];
        for (const [id, { content, source }] of byId) {
            const atId = vocab.tokenAt(id);
            const idOfContent = vocab.idOf(content);
            if (atId !== undefined && atId !== content)
                collisions.push(`${JSON.stringify(content)} (${source}) takes id ${id}, which the vocabulary gives to ${JSON.stringify(atId)}`);
            else if (idOfContent !== undefined && idOfContent !== id)
                collisions.push(`${JSON.stringify(content)} (${source}) is id ${id}, but the vocabulary has it as ${idOfContent}`);
        }
        if (collisions.length) {
            report(`added tokens collide with the vocabulary of ${facts.tokenizer.file}: ${preview(collisions, 3)}`, 'Give added tokens ids above the vocabulary, or reuse the vocabulary entry and its id.', facts.tokenizer.file);
        }
    }
    return findings;
};
/** The manifest key whose file is `path`, so the annotation lands on the right line. */
function artifactKey(facts, path) {
    return Object.entries(facts.paths).find(([, p]) => p === path)?.[0] ?? 'tokenizer';
}

var __defProp = Object.defineProperty;
var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
var __publicField = (obj, key, value) => {
  __defNormalProp(obj, key + "" , value);
  return value;
};

// src/lexer.ts
var TOKEN_TYPES = Object.freeze({
  Text: "Text",
  // The text between Jinja statements or expressions
  NumericLiteral: "NumericLiteral",
  // e.g., 123, 1.0
  StringLiteral: "StringLiteral",
  // 'string'
  Identifier: "Identifier",
  // Variables, functions, statements, booleans, etc.
  Equals: "Equals",
  // =
  OpenParen: "OpenParen",
  // (
  CloseParen: "CloseParen",
  // )
  OpenStatement: "OpenStatement",
  // {%
  CloseStatement: "CloseStatement",
  // %}
  OpenExpression: "OpenExpression",
  // {{
  CloseExpression: "CloseExpression",
  // }}
  OpenSquareBracket: "OpenSquareBracket",
  // [
  CloseSquareBracket: "CloseSquareBracket",
  // ]
  OpenCurlyBracket: "OpenCurlyBracket",
  // {
  CloseCurlyBracket: "CloseCurlyBracket",
  // }
  Comma: "Comma",
  // ,
  Dot: "Dot",
  // .
  Colon: "Colon",
  // :
  Pipe: "Pipe",
  // |
  CallOperator: "CallOperator",
  // ()
  AdditiveBinaryOperator: "AdditiveBinaryOperator",
  // + - ~
  MultiplicativeBinaryOperator: "MultiplicativeBinaryOperator",
  // * / // %
  ExponentiationBinaryOperator: "ExponentiationBinaryOperator",
  // **
  ComparisonBinaryOperator: "ComparisonBinaryOperator",
  // < > <= >= == !=
  UnaryOperator: "UnaryOperator",
  // ! - +
  Comment: "Comment"
  // {# ... #}
});
var Token = class {
  /**
   * Constructs a new Token.
   * @param {string} value The raw value as seen inside the source code.
   * @param {TokenType} type The type of token.
   */
  constructor(value, type) {
    this.value = value;
    this.type = type;
  }
};
function isWord(char) {
  return /\w/.test(char);
}
function isInteger(char) {
  return /[0-9]/.test(char);
}
function isWhitespace(char) {
  return /\s/.test(char);
}
var ORDERED_MAPPING_TABLE = [
  // Control sequences
  ["{%", TOKEN_TYPES.OpenStatement],
  ["%}", TOKEN_TYPES.CloseStatement],
  ["{{", TOKEN_TYPES.OpenExpression],
  ["}}", TOKEN_TYPES.CloseExpression],
  // Single character tokens
  ["(", TOKEN_TYPES.OpenParen],
  [")", TOKEN_TYPES.CloseParen],
  ["{", TOKEN_TYPES.OpenCurlyBracket],
  ["}", TOKEN_TYPES.CloseCurlyBracket],
  ["[", TOKEN_TYPES.OpenSquareBracket],
  ["]", TOKEN_TYPES.CloseSquareBracket],
  [",", TOKEN_TYPES.Comma],
  [".", TOKEN_TYPES.Dot],
  [":", TOKEN_TYPES.Colon],
  ["|", TOKEN_TYPES.Pipe],
  // Comparison operators
  ["<=", TOKEN_TYPES.ComparisonBinaryOperator],
  [">=", TOKEN_TYPES.ComparisonBinaryOperator],
  ["==", TOKEN_TYPES.ComparisonBinaryOperator],
  ["!=", TOKEN_TYPES.ComparisonBinaryOperator],
  ["<", TOKEN_TYPES.ComparisonBinaryOperator],
  [">", TOKEN_TYPES.ComparisonBinaryOperator],
  // Arithmetic operators
  ["+", TOKEN_TYPES.AdditiveBinaryOperator],
  ["-", TOKEN_TYPES.AdditiveBinaryOperator],
  ["~", TOKEN_TYPES.AdditiveBinaryOperator],
  ["**", TOKEN_TYPES.ExponentiationBinaryOperator],
  // NOTE: must come before "*" so that "**" is matched first
  ["*", TOKEN_TYPES.MultiplicativeBinaryOperator],
  ["//", TOKEN_TYPES.MultiplicativeBinaryOperator],
  // NOTE: must come before "/" so that "//" is matched first
  ["/", TOKEN_TYPES.MultiplicativeBinaryOperator],
  ["%", TOKEN_TYPES.MultiplicativeBinaryOperator],
  // Assignment operator
  ["=", TOKEN_TYPES.Equals]
];
var ESCAPE_CHARACTERS = /* @__PURE__ */ new Map([
  ["n", "\n"],
  // New line
  ["t", "	"],
  // Horizontal tab
  ["r", "\r"],
  // Carriage return
  ["b", "\b"],
  // Backspace
  ["f", "\f"],
  // Form feed
  ["v", "\v"],
  // Vertical tab
  ["'", "'"],
  // Single quote
  ['"', '"'],
  // Double quote
  ["\\", "\\"]
  // Backslash
]);
function preprocess(template, options = {}) {
  if (template.endsWith("\n")) {
    template = template.slice(0, -1);
  }
  if (options.lstrip_blocks) {
    template = template.replace(/^[ \t]*({[#%-])/gm, "$1");
  }
  if (options.trim_blocks) {
    template = template.replace(/([#%-]})\n/g, "$1");
  }
  return template.replace(
    /(\s*){%(-?)\s*(?:end)?generation\s*(-?)%}(\s*)/gs,
    (_, before, lstrip, rstrip, after) => (lstrip ? "" : before) + (rstrip ? "" : after)
  );
}
function tokenize(source, options = {}) {
  const tokens = [];
  const src = preprocess(source, options);
  let cursorPosition = 0;
  let curlyBracketDepth = 0;
  const consumeWhile = (predicate) => {
    let str = "";
    while (predicate(src[cursorPosition])) {
      if (src[cursorPosition] === "\\") {
        ++cursorPosition;
        if (cursorPosition >= src.length) {
          throw new SyntaxError("Unexpected end of input");
        }
        const escaped = src[cursorPosition++];
        if (escaped === "x" || escaped === "u") {
          const length = escaped === "x" ? 2 : 4;
          const hex = src.slice(cursorPosition, cursorPosition + length);
          if (hex.length !== length || /[^0-9a-f]/i.test(hex)) {
            throw new SyntaxError(`Invalid hexadecimal escape sequence: \\${escaped}${hex}`);
          }
          str += String.fromCharCode(parseInt(hex, 16));
          cursorPosition += length;
          continue;
        }
        const unescaped = ESCAPE_CHARACTERS.get(escaped);
        if (unescaped === void 0) {
          throw new SyntaxError(`Unexpected escaped character: ${escaped}`);
        }
        str += unescaped;
        continue;
      }
      str += src[cursorPosition++];
      if (cursorPosition >= src.length) {
        throw new SyntaxError("Unexpected end of input");
      }
    }
    return str;
  };
  const stripTrailingWhitespace = () => {
    const lastToken = tokens.at(-1);
    if (lastToken && lastToken.type === TOKEN_TYPES.Text) {
      lastToken.value = lastToken.value.trimEnd();
      if (lastToken.value === "") {
        tokens.pop();
      }
    }
  };
  const skipLeadingWhitespace = () => {
    while (cursorPosition < src.length && isWhitespace(src[cursorPosition])) {
      ++cursorPosition;
    }
  };
  main:
    while (cursorPosition < src.length) {
      const lastTokenType = tokens.at(-1)?.type;
      if (lastTokenType === void 0 || lastTokenType === TOKEN_TYPES.CloseStatement || lastTokenType === TOKEN_TYPES.CloseExpression || lastTokenType === TOKEN_TYPES.Comment) {
        let text = "";
        while (cursorPosition < src.length && // Keep going until we hit the next Jinja statement or expression
        !(src[cursorPosition] === "{" && (src[cursorPosition + 1] === "%" || src[cursorPosition + 1] === "{" || src[cursorPosition + 1] === "#"))) {
          text += src[cursorPosition++];
        }
        if (text.length > 0) {
          tokens.push(new Token(text, TOKEN_TYPES.Text));
          continue;
        }
      }
      if (src[cursorPosition] === "{" && src[cursorPosition + 1] === "#") {
        cursorPosition += 2;
        const stripBefore = src[cursorPosition] === "-";
        if (stripBefore) {
          ++cursorPosition;
        }
        let comment = "";
        while (src[cursorPosition] !== "#" || src[cursorPosition + 1] !== "}") {
          if (cursorPosition + 2 >= src.length) {
            throw new SyntaxError("Missing end of comment tag");
          }
          comment += src[cursorPosition++];
        }
        const stripAfter = comment.endsWith("-");
        if (stripAfter) {
          comment = comment.slice(0, -1);
        }
        if (stripBefore) {
          stripTrailingWhitespace();
        }
        tokens.push(new Token(comment, TOKEN_TYPES.Comment));
        cursorPosition += 2;
        if (stripAfter) {
          skipLeadingWhitespace();
        }
        continue;
      }
      if (src.slice(cursorPosition, cursorPosition + 3) === "{%-") {
        stripTrailingWhitespace();
        tokens.push(new Token("{%", TOKEN_TYPES.OpenStatement));
        cursorPosition += 3;
        continue;
      }
      if (src.slice(cursorPosition, cursorPosition + 3) === "{{-") {
        stripTrailingWhitespace();
        tokens.push(new Token("{{", TOKEN_TYPES.OpenExpression));
        curlyBracketDepth = 0;
        cursorPosition += 3;
        continue;
      }
      consumeWhile(isWhitespace);
      if (src.slice(cursorPosition, cursorPosition + 3) === "-%}") {
        tokens.push(new Token("%}", TOKEN_TYPES.CloseStatement));
        cursorPosition += 3;
        skipLeadingWhitespace();
        continue;
      }
      if (src.slice(cursorPosition, cursorPosition + 3) === "-}}") {
        tokens.push(new Token("}}", TOKEN_TYPES.CloseExpression));
        cursorPosition += 3;
        skipLeadingWhitespace();
        continue;
      }
      const char = src[cursorPosition];
      if (char === "-" || char === "+") {
        const lastTokenType2 = tokens.at(-1)?.type;
        if (lastTokenType2 === TOKEN_TYPES.Text || lastTokenType2 === void 0) {
          throw new SyntaxError(`Unexpected character: ${char}`);
        }
        switch (lastTokenType2) {
          case TOKEN_TYPES.Identifier:
          case TOKEN_TYPES.NumericLiteral:
          case TOKEN_TYPES.StringLiteral:
          case TOKEN_TYPES.CloseParen:
          case TOKEN_TYPES.CloseSquareBracket:
            break;
          default: {
            ++cursorPosition;
            let num = consumeWhile(isInteger);
            if (num.length > 0 && src[cursorPosition] === "." && isInteger(src[cursorPosition + 1])) {
              ++cursorPosition;
              const frac = consumeWhile(isInteger);
              num = `${num}.${frac}`;
            }
            tokens.push(
              new Token(`${char}${num}`, num.length > 0 ? TOKEN_TYPES.NumericLiteral : TOKEN_TYPES.UnaryOperator)
            );
            continue;
          }
        }
      }
      for (const [seq, type] of ORDERED_MAPPING_TABLE) {
        if (seq === "}}" && curlyBracketDepth > 0) {
          continue;
        }
        const slice2 = src.slice(cursorPosition, cursorPosition + seq.length);
        if (slice2 === seq) {
          tokens.push(new Token(seq, type));
          if (type === TOKEN_TYPES.OpenExpression) {
            curlyBracketDepth = 0;
          } else if (type === TOKEN_TYPES.OpenCurlyBracket) {
            ++curlyBracketDepth;
          } else if (type === TOKEN_TYPES.CloseCurlyBracket) {
            --curlyBracketDepth;
          }
          cursorPosition += seq.length;
          continue main;
        }
      }
      if (char === "'" || char === '"') {
        ++cursorPosition;
        const str = consumeWhile((c) => c !== char);
        tokens.push(new Token(str, TOKEN_TYPES.StringLiteral));
        ++cursorPosition;
        continue;
      }
      if (isInteger(char)) {
        let num = consumeWhile(isInteger);
        if (tokens.at(-1)?.type !== TOKEN_TYPES.Dot && src[cursorPosition] === "." && isInteger(src[cursorPosition + 1])) {
          ++cursorPosition;
          const frac = consumeWhile(isInteger);
          num = `${num}.${frac}`;
        }
        tokens.push(new Token(num, TOKEN_TYPES.NumericLiteral));
        continue;
      }
      if (isWord(char)) {
        const word = consumeWhile(isWord);
        tokens.push(new Token(word, TOKEN_TYPES.Identifier));
        continue;
      }
      throw new SyntaxError(`Unexpected character: ${char}`);
    }
  return tokens;
}

// src/ast.ts
var Statement = class {
  type = "Statement";
};
var Program = class extends Statement {
  constructor(body) {
    super();
    this.body = body;
  }
  type = "Program";
};
var If = class extends Statement {
  constructor(test, body, alternate) {
    super();
    this.test = test;
    this.body = body;
    this.alternate = alternate;
  }
  type = "If";
};
var For = class extends Statement {
  constructor(loopvar, iterable, body, defaultBlock) {
    super();
    this.loopvar = loopvar;
    this.iterable = iterable;
    this.body = body;
    this.defaultBlock = defaultBlock;
  }
  type = "For";
};
var Break = class extends Statement {
  type = "Break";
};
var Continue = class extends Statement {
  type = "Continue";
};
var SetStatement = class extends Statement {
  constructor(assignee, value, body) {
    super();
    this.assignee = assignee;
    this.value = value;
    this.body = body;
  }
  type = "Set";
};
var Macro = class extends Statement {
  constructor(name, args, body) {
    super();
    this.name = name;
    this.args = args;
    this.body = body;
  }
  type = "Macro";
};
var Comment = class extends Statement {
  constructor(value) {
    super();
    this.value = value;
  }
  type = "Comment";
};
var Expression = class extends Statement {
  type = "Expression";
};
var MemberExpression = class extends Expression {
  constructor(object, property, computed) {
    super();
    this.object = object;
    this.property = property;
    this.computed = computed;
  }
  type = "MemberExpression";
};
var CallExpression = class extends Expression {
  constructor(callee, args) {
    super();
    this.callee = callee;
    this.args = args;
  }
  type = "CallExpression";
};
var Identifier = class extends Expression {
  /**
   * @param {string} value The name of the identifier
   */
  constructor(value) {
    super();
    this.value = value;
  }
  type = "Identifier";
};
var Literal = class extends Expression {
  constructor(value) {
    super();
    this.value = value;
  }
  type = "Literal";
};
var IntegerLiteral = class extends Literal {
  type = "IntegerLiteral";
};
var FloatLiteral = class extends Literal {
  type = "FloatLiteral";
};
var StringLiteral = class extends Literal {
  type = "StringLiteral";
};
var ArrayLiteral = class extends Literal {
  type = "ArrayLiteral";
};
var TupleLiteral = class extends Literal {
  type = "TupleLiteral";
};
var ObjectLiteral = class extends Literal {
  type = "ObjectLiteral";
};
var BinaryExpression = class extends Expression {
  constructor(operator, left, right) {
    super();
    this.operator = operator;
    this.left = left;
    this.right = right;
  }
  type = "BinaryExpression";
};
var FilterExpression = class extends Expression {
  constructor(operand, filter) {
    super();
    this.operand = operand;
    this.filter = filter;
  }
  type = "FilterExpression";
};
var FilterStatement = class extends Statement {
  constructor(filter, body) {
    super();
    this.filter = filter;
    this.body = body;
  }
  type = "FilterStatement";
};
var SelectExpression = class extends Expression {
  constructor(lhs, test) {
    super();
    this.lhs = lhs;
    this.test = test;
  }
  type = "SelectExpression";
};
var TestExpression = class extends Expression {
  constructor(operand, negate, test) {
    super();
    this.operand = operand;
    this.negate = negate;
    this.test = test;
  }
  type = "TestExpression";
};
var UnaryExpression = class extends Expression {
  constructor(operator, argument) {
    super();
    this.operator = operator;
    this.argument = argument;
  }
  type = "UnaryExpression";
};
var SliceExpression = class extends Expression {
  constructor(start = void 0, stop = void 0, step = void 0) {
    super();
    this.start = start;
    this.stop = stop;
    this.step = step;
  }
  type = "SliceExpression";
};
var KeywordArgumentExpression = class extends Expression {
  constructor(key, value) {
    super();
    this.key = key;
    this.value = value;
  }
  type = "KeywordArgumentExpression";
};
var SpreadExpression = class extends Expression {
  constructor(argument) {
    super();
    this.argument = argument;
  }
  type = "SpreadExpression";
};
var KeywordSpreadExpression = class extends Expression {
  constructor(argument) {
    super();
    this.argument = argument;
  }
  type = "KeywordSpreadExpression";
};
var CallStatement = class extends Statement {
  constructor(call, callerArgs, body) {
    super();
    this.call = call;
    this.callerArgs = callerArgs;
    this.body = body;
  }
  type = "CallStatement";
};
var Ternary = class extends Expression {
  constructor(condition, trueExpr, falseExpr) {
    super();
    this.condition = condition;
    this.trueExpr = trueExpr;
    this.falseExpr = falseExpr;
  }
  type = "Ternary";
};

// src/parser.ts
function parse(tokens) {
  const program = new Program([]);
  let current = 0;
  function expect(type, error) {
    const prev = tokens[current++];
    if (!prev || prev.type !== type) {
      throw new Error(`Parser Error: ${error}. ${prev.type} !== ${type}.`);
    }
    return prev;
  }
  function expectIdentifier(name) {
    if (!isIdentifier(name)) {
      throw new SyntaxError(`Expected ${name}`);
    }
    ++current;
  }
  function parseAny() {
    switch (tokens[current].type) {
      case TOKEN_TYPES.Comment:
        return new Comment(tokens[current++].value);
      case TOKEN_TYPES.Text:
        return parseText();
      case TOKEN_TYPES.OpenStatement:
        return parseJinjaStatement();
      case TOKEN_TYPES.OpenExpression:
        return parseJinjaExpression();
      default:
        throw new SyntaxError(`Unexpected token type: ${tokens[current].type}`);
    }
  }
  function is(...types) {
    return current + types.length <= tokens.length && types.every((type, i) => type === tokens[current + i].type);
  }
  function isStatement(...names) {
    return tokens[current]?.type === TOKEN_TYPES.OpenStatement && tokens[current + 1]?.type === TOKEN_TYPES.Identifier && names.includes(tokens[current + 1]?.value);
  }
  function isIdentifier(...names) {
    return current + names.length <= tokens.length && names.every((name, i) => tokens[current + i].type === "Identifier" && name === tokens[current + i].value);
  }
  function parseText() {
    return new StringLiteral(expect(TOKEN_TYPES.Text, "Expected text token").value);
  }
  function parseJinjaStatement() {
    expect(TOKEN_TYPES.OpenStatement, "Expected opening statement token");
    if (tokens[current].type !== TOKEN_TYPES.Identifier) {
      throw new SyntaxError(`Unknown statement, got ${tokens[current].type}`);
    }
    const name = tokens[current].value;
    let result;
    switch (name) {
      case "set":
        ++current;
        result = parseSetStatement();
        break;
      case "if":
        ++current;
        result = parseIfStatement();
        expect(TOKEN_TYPES.OpenStatement, "Expected {% token");
        expectIdentifier("endif");
        expect(TOKEN_TYPES.CloseStatement, "Expected %} token");
        break;
      case "macro":
        ++current;
        result = parseMacroStatement();
        expect(TOKEN_TYPES.OpenStatement, "Expected {% token");
        expectIdentifier("endmacro");
        expect(TOKEN_TYPES.CloseStatement, "Expected %} token");
        break;
      case "for":
        ++current;
        result = parseForStatement();
        expect(TOKEN_TYPES.OpenStatement, "Expected {% token");
        expectIdentifier("endfor");
        expect(TOKEN_TYPES.CloseStatement, "Expected %} token");
        break;
      case "call": {
        ++current;
        let callerArgs = null;
        if (is(TOKEN_TYPES.OpenParen)) {
          callerArgs = parseArgs("parameters");
        }
        const callee = parsePrimaryExpression();
        if (callee.type !== "Identifier") {
          throw new SyntaxError(`Expected identifier following call statement`);
        }
        const callArgs = parseArgs("call");
        expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
        const body = [];
        while (!isStatement("endcall")) {
          body.push(parseAny());
        }
        expect(TOKEN_TYPES.OpenStatement, "Expected '{%'");
        expectIdentifier("endcall");
        expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
        const callExpr = new CallExpression(callee, callArgs);
        result = new CallStatement(callExpr, callerArgs, body);
        break;
      }
      case "break":
        ++current;
        expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
        result = new Break();
        break;
      case "continue":
        ++current;
        expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
        result = new Continue();
        break;
      case "filter": {
        ++current;
        let filterNode = parsePrimaryExpression();
        if (filterNode instanceof Identifier && is(TOKEN_TYPES.OpenParen)) {
          filterNode = parseCallExpression(filterNode);
        }
        expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
        const filterBody = [];
        while (!isStatement("endfilter")) {
          filterBody.push(parseAny());
        }
        expect(TOKEN_TYPES.OpenStatement, "Expected '{%'");
        expectIdentifier("endfilter");
        expect(TOKEN_TYPES.CloseStatement, "Expected '%}'");
        result = new FilterStatement(filterNode, filterBody);
        break;
      }
      default:
        throw new SyntaxError(`Unknown statement type: ${name}`);
    }
    return result;
  }
  function parseJinjaExpression() {
    expect(TOKEN_TYPES.OpenExpression, "Expected opening expression token");
    const result = parseExpression();
    expect(TOKEN_TYPES.CloseExpression, "Expected closing expression token");
    return result;
  }
  function parseSetStatement() {
    const left = parseExpressionSequence();
    let value = null;
    const body = [];
    if (is(TOKEN_TYPES.Equals)) {
      ++current;
      value = parseExpressionSequence();
    } else {
      expect(TOKEN_TYPES.CloseStatement, "Expected %} token");
      while (!isStatement("endset")) {
        body.push(parseAny());
      }
      expect(TOKEN_TYPES.OpenStatement, "Expected {% token");
      expectIdentifier("endset");
    }
    expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
    return new SetStatement(left, value, body);
  }
  function parseIfStatement() {
    const test = parseExpression();
    expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
    const body = [];
    const alternate = [];
    while (!isStatement("elif", "else", "endif")) {
      body.push(parseAny());
    }
    if (isStatement("elif")) {
      ++current;
      ++current;
      const result = parseIfStatement();
      alternate.push(result);
    } else if (isStatement("else")) {
      ++current;
      ++current;
      expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
      while (!isStatement("endif")) {
        alternate.push(parseAny());
      }
    }
    return new If(test, body, alternate);
  }
  function parseMacroStatement() {
    const name = parsePrimaryExpression();
    if (name.type !== "Identifier") {
      throw new SyntaxError(`Expected identifier following macro statement`);
    }
    const args = parseArgs("parameters");
    expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
    const body = [];
    while (!isStatement("endmacro")) {
      body.push(parseAny());
    }
    return new Macro(name, args, body);
  }
  function parseExpressionSequence(primary = false) {
    const fn = primary ? parsePrimaryExpression : parseExpression;
    const expressions = [fn()];
    const isTuple = is(TOKEN_TYPES.Comma);
    while (isTuple) {
      ++current;
      expressions.push(fn());
      if (!is(TOKEN_TYPES.Comma)) {
        break;
      }
    }
    return isTuple ? new TupleLiteral(expressions) : expressions[0];
  }
  function parseForStatement() {
    const loopVariable = parseExpressionSequence(true);
    if (!(loopVariable instanceof Identifier || loopVariable instanceof TupleLiteral)) {
      throw new SyntaxError(`Expected identifier/tuple for the loop variable, got ${loopVariable.type} instead`);
    }
    if (!isIdentifier("in")) {
      throw new SyntaxError("Expected `in` keyword following loop variable");
    }
    ++current;
    const iterable = parseExpression();
    expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
    const body = [];
    while (!isStatement("endfor", "else")) {
      body.push(parseAny());
    }
    const alternative = [];
    if (isStatement("else")) {
      ++current;
      ++current;
      expect(TOKEN_TYPES.CloseStatement, "Expected closing statement token");
      while (!isStatement("endfor")) {
        alternative.push(parseAny());
      }
    }
    return new For(loopVariable, iterable, body, alternative);
  }
  function parseExpression() {
    return parseIfExpression();
  }
  function parseIfExpression() {
    const a = parseLogicalOrExpression();
    if (isIdentifier("if")) {
      ++current;
      const test = parseLogicalOrExpression();
      if (isIdentifier("else")) {
        ++current;
        const falseExpr = parseIfExpression();
        return new Ternary(test, a, falseExpr);
      } else {
        return new SelectExpression(a, test);
      }
    }
    return a;
  }
  function parseLogicalOrExpression() {
    let left = parseLogicalAndExpression();
    while (isIdentifier("or")) {
      const operator = tokens[current];
      ++current;
      const right = parseLogicalAndExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parseLogicalAndExpression() {
    let left = parseLogicalNegationExpression();
    while (isIdentifier("and")) {
      const operator = tokens[current];
      ++current;
      const right = parseLogicalNegationExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parseLogicalNegationExpression() {
    let right;
    while (isIdentifier("not")) {
      const operator = tokens[current];
      ++current;
      const arg = parseLogicalNegationExpression();
      right = new UnaryExpression(operator, arg);
    }
    return right ?? parseComparisonExpression();
  }
  function parseComparisonExpression() {
    let left = parseAdditiveExpression();
    while (true) {
      let operator;
      if (isIdentifier("not", "in")) {
        operator = new Token("not in", TOKEN_TYPES.Identifier);
        current += 2;
      } else if (isIdentifier("in")) {
        operator = tokens[current++];
      } else if (is(TOKEN_TYPES.ComparisonBinaryOperator)) {
        operator = tokens[current++];
      } else {
        break;
      }
      const right = parseAdditiveExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parseAdditiveExpression() {
    let left = parseMultiplicativeExpression();
    while (is(TOKEN_TYPES.AdditiveBinaryOperator)) {
      const operator = tokens[current];
      ++current;
      const right = parseMultiplicativeExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parseCallMemberExpression() {
    const member = parseMemberExpression(parsePrimaryExpression());
    if (is(TOKEN_TYPES.OpenParen)) {
      return parseCallExpression(member);
    }
    return member;
  }
  function parseCallExpression(callee) {
    let expression = new CallExpression(callee, parseArgs("call"));
    expression = parseMemberExpression(expression);
    if (is(TOKEN_TYPES.OpenParen)) {
      expression = parseCallExpression(expression);
    }
    return expression;
  }
  function parseArgs(mode) {
    expect(TOKEN_TYPES.OpenParen, "Expected opening parenthesis for arguments list");
    const args = parseArgumentsList(mode);
    expect(TOKEN_TYPES.CloseParen, "Expected closing parenthesis for arguments list");
    return args;
  }
  function parseArgumentsList(mode) {
    const args = [];
    const parameterNames = /* @__PURE__ */ new Set();
    let sawKeywordOrDefault = false;
    let sawSpreadArgument = false;
    while (!is(TOKEN_TYPES.CloseParen)) {
      const isKeywordSpread = is(TOKEN_TYPES.ExponentiationBinaryOperator);
      const isPositionalSpread = is(TOKEN_TYPES.MultiplicativeBinaryOperator) && tokens[current].value === "*";
      if (mode === "parameters" && (isKeywordSpread || isPositionalSpread)) {
        throw new SyntaxError("Argument unpacking is not allowed in parameter declarations");
      }
      if (isKeywordSpread) {
        ++current;
        args.push(new KeywordSpreadExpression(parseExpression()));
        if (is(TOKEN_TYPES.Comma)) {
          ++current;
        }
        if (!is(TOKEN_TYPES.CloseParen)) {
          throw new SyntaxError("Expected closing parenthesis: `**` must be applied to the final argument");
        }
        break;
      }
      let argument;
      if (isPositionalSpread) {
        if (sawSpreadArgument) {
          throw new SyntaxError("Only one `*` argument unpacking is allowed");
        }
        sawSpreadArgument = true;
        ++current;
        const expr = parseExpression();
        argument = new SpreadExpression(expr);
      } else {
        argument = parseExpression();
        if (is(TOKEN_TYPES.Equals)) {
          ++current;
          if (!(argument instanceof Identifier)) {
            throw new SyntaxError(
              mode === "parameters" ? "Expected identifier for parameter declaration" : "Expected identifier for keyword argument"
            );
          }
          const value = parseExpression();
          argument = new KeywordArgumentExpression(argument, value);
        }
        if (mode === "parameters") {
          if (!(argument instanceof Identifier || argument instanceof KeywordArgumentExpression)) {
            throw new SyntaxError("Expected identifier for parameter declaration");
          }
          const parameterName = argument instanceof Identifier ? argument.value : argument.key.value;
          if (parameterNames.has(parameterName)) {
            throw new SyntaxError(`Duplicate parameter name: ${parameterName}`);
          }
          parameterNames.add(parameterName);
        }
        if (argument instanceof KeywordArgumentExpression) {
          sawKeywordOrDefault = true;
        } else if (sawKeywordOrDefault) {
          throw new SyntaxError(
            mode === "call" ? "Positional arguments must come before keyword arguments" : "Non-default argument follows default argument"
          );
        } else if (sawSpreadArgument) {
          throw new SyntaxError("Positional arguments must not follow `*` argument unpacking");
        }
      }
      args.push(argument);
      if (is(TOKEN_TYPES.Comma)) {
        ++current;
      }
    }
    return args;
  }
  function parseMemberExpressionArgumentsList() {
    const slices = [];
    let isSlice = false;
    while (!is(TOKEN_TYPES.CloseSquareBracket)) {
      if (is(TOKEN_TYPES.Colon)) {
        slices.push(void 0);
        ++current;
        isSlice = true;
      } else {
        slices.push(parseExpression());
        if (is(TOKEN_TYPES.Colon)) {
          ++current;
          isSlice = true;
        }
      }
    }
    if (slices.length === 0) {
      throw new SyntaxError(`Expected at least one argument for member/slice expression`);
    }
    if (isSlice) {
      if (slices.length > 3) {
        throw new SyntaxError(`Expected 0-3 arguments for slice expression`);
      }
      return new SliceExpression(...slices);
    }
    return slices[0];
  }
  function parseMemberExpression(object) {
    while (is(TOKEN_TYPES.Dot) || is(TOKEN_TYPES.OpenSquareBracket)) {
      const operator = tokens[current];
      ++current;
      let property;
      const computed = operator.type === TOKEN_TYPES.OpenSquareBracket;
      if (computed) {
        property = parseMemberExpressionArgumentsList();
        expect(TOKEN_TYPES.CloseSquareBracket, "Expected closing square bracket");
      } else {
        property = parsePrimaryExpression();
        if (property.type !== "Identifier" && property.type !== "IntegerLiteral") {
          throw new SyntaxError(`Expected identifier or integer following dot operator`);
        }
      }
      object = new MemberExpression(object, property, computed);
    }
    return object;
  }
  function parseMultiplicativeExpression() {
    let left = parsePowerExpression();
    while (is(TOKEN_TYPES.MultiplicativeBinaryOperator)) {
      const operator = tokens[current++];
      const right = parsePowerExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parsePowerExpression() {
    let left = parseTestExpression();
    while (is(TOKEN_TYPES.ExponentiationBinaryOperator)) {
      const operator = tokens[current++];
      const right = parseTestExpression();
      left = new BinaryExpression(operator, left, right);
    }
    return left;
  }
  function parseTestExpression() {
    let operand = parseFilterExpression();
    while (isIdentifier("is")) {
      ++current;
      const negate = isIdentifier("not");
      if (negate) {
        ++current;
      }
      const filter = parsePrimaryExpression();
      if (!(filter instanceof Identifier)) {
        throw new SyntaxError(`Expected identifier for the test`);
      }
      operand = new TestExpression(operand, negate, filter);
    }
    return operand;
  }
  function parseFilterExpression() {
    let operand = parseUnarySignExpression();
    while (is(TOKEN_TYPES.Pipe)) {
      ++current;
      let filter = parsePrimaryExpression();
      if (!(filter instanceof Identifier)) {
        throw new SyntaxError(`Expected identifier for the filter`);
      }
      if (is(TOKEN_TYPES.OpenParen)) {
        filter = parseCallExpression(filter);
      }
      operand = new FilterExpression(operand, filter);
    }
    return operand;
  }
  function parseUnarySignExpression() {
    const token = tokens[current];
    if (token && (token.type === TOKEN_TYPES.UnaryOperator || token.type === TOKEN_TYPES.AdditiveBinaryOperator) && (token.value === "-" || token.value === "+")) {
      const operator = tokens[current++];
      const argument = parseUnarySignExpression();
      return new UnaryExpression(operator, argument);
    }
    return parseCallMemberExpression();
  }
  function parsePrimaryExpression() {
    const token = tokens[current++];
    switch (token.type) {
      case TOKEN_TYPES.NumericLiteral: {
        const num = token.value;
        return num.includes(".") ? new FloatLiteral(Number(num)) : new IntegerLiteral(Number(num));
      }
      case TOKEN_TYPES.StringLiteral: {
        let value = token.value;
        while (is(TOKEN_TYPES.StringLiteral)) {
          value += tokens[current++].value;
        }
        return new StringLiteral(value);
      }
      case TOKEN_TYPES.Identifier:
        return new Identifier(token.value);
      case TOKEN_TYPES.OpenParen: {
        const expression = parseExpressionSequence();
        expect(TOKEN_TYPES.CloseParen, "Expected closing parenthesis, got ${tokens[current].type} instead.");
        return expression;
      }
      case TOKEN_TYPES.OpenSquareBracket: {
        const values = [];
        while (!is(TOKEN_TYPES.CloseSquareBracket)) {
          values.push(parseExpression());
          if (is(TOKEN_TYPES.Comma)) {
            ++current;
          }
        }
        ++current;
        return new ArrayLiteral(values);
      }
      case TOKEN_TYPES.OpenCurlyBracket: {
        const values = /* @__PURE__ */ new Map();
        while (!is(TOKEN_TYPES.CloseCurlyBracket)) {
          const key = parseExpression();
          expect(TOKEN_TYPES.Colon, "Expected colon between key and value in object literal");
          const value = parseExpression();
          values.set(key, value);
          if (is(TOKEN_TYPES.Comma)) {
            ++current;
          }
        }
        ++current;
        return new ObjectLiteral(values);
      }
      default:
        throw new SyntaxError(`Unexpected token: ${token.type}`);
    }
  }
  while (current < tokens.length) {
    program.body.push(parseAny());
  }
  return program;
}

// src/utils.ts
function range(start, stop, step = 1) {
  if (stop === void 0) {
    stop = start;
    start = 0;
  }
  if (step === 0) {
    throw new Error("range() step must not be zero");
  }
  const result = [];
  if (step > 0) {
    for (let i = start; i < stop; i += step) {
      result.push(i);
    }
  } else {
    for (let i = start; i > stop; i += step) {
      result.push(i);
    }
  }
  return result;
}
function slice(array, start, stop, step = 1) {
  const direction = Math.sign(step);
  if (direction >= 0) {
    start = (start ??= 0) < 0 ? Math.max(array.length + start, 0) : Math.min(start, array.length);
    stop = (stop ??= array.length) < 0 ? Math.max(array.length + stop, 0) : Math.min(stop, array.length);
  } else {
    start = (start ??= array.length - 1) < 0 ? Math.max(array.length + start, -1) : Math.min(start, array.length - 1);
    stop = (stop ??= -1) < -1 ? Math.max(array.length + stop, -1) : Math.min(stop, array.length - 1);
  }
  const result = [];
  for (let i = start; direction * i < direction * stop; i += step) {
    result.push(array[i]);
  }
  return result;
}
function titleCase(value) {
  return value.replace(/\b\w/g, (c) => c.toUpperCase());
}
function strftime_now(format2) {
  return strftime(/* @__PURE__ */ new Date(), format2);
}
function strftime(date, format2) {
  const monthFormatterLong = new Intl.DateTimeFormat(void 0, { month: "long" });
  const monthFormatterShort = new Intl.DateTimeFormat(void 0, { month: "short" });
  const pad2 = (n) => n < 10 ? "0" + n : n.toString();
  return format2.replace(/%[YmdbBHM%]/g, (token) => {
    switch (token) {
      case "%Y":
        return date.getFullYear().toString();
      case "%m":
        return pad2(date.getMonth() + 1);
      case "%d":
        return pad2(date.getDate());
      case "%b":
        return monthFormatterShort.format(date);
      case "%B":
        return monthFormatterLong.format(date);
      case "%H":
        return pad2(date.getHours());
      case "%M":
        return pad2(date.getMinutes());
      case "%%":
        return "%";
      default:
        return token;
    }
  });
}
function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function replace(str, oldvalue, newvalue, count) {
  if (count === 0) {
    return str;
  }
  let remaining = count == null || count < 0 ? Infinity : count;
  const pattern = oldvalue.length === 0 ? new RegExp("(?=)", "gu") : new RegExp(escapeRegExp(oldvalue), "gu");
  return str.replaceAll(pattern, (match) => {
    if (remaining > 0) {
      --remaining;
      return newvalue;
    }
    return match;
  });
}

// src/runtime.ts
var BreakControl = class extends Error {
};
var ContinueControl = class extends Error {
};
var EMPTY_BUILTINS = /* @__PURE__ */ new Map();
var RuntimeValue = class {
  type = "RuntimeValue";
  value;
  /**
   * A collection of built-in functions for this type.
   */
  get builtins() {
    return EMPTY_BUILTINS;
  }
  /**
   * Creates a new RuntimeValue.
   */
  constructor(value = void 0) {
    this.value = value;
  }
  /**
   * Determines truthiness or falsiness of the runtime value.
   * This function should be overridden by subclasses if it has custom truthiness criteria.
   * @returns {BooleanValue} BooleanValue(true) if the value is truthy, BooleanValue(false) otherwise.
   */
  __bool__() {
    return new BooleanValue(!!this.value);
  }
  toString() {
    return String(this.value);
  }
};
var IntegerValue = class extends RuntimeValue {
  type = "IntegerValue";
};
var FloatValue = class extends RuntimeValue {
  type = "FloatValue";
  toString() {
    if (Object.is(this.value, -0)) {
      return "-0.0";
    }
    return this.value % 1 === 0 ? this.value.toFixed(1) : this.value.toString();
  }
};
var StringValue = class extends RuntimeValue {
  type = "StringValue";
  _builtins;
  get builtins() {
    return this._builtins ??= /* @__PURE__ */ new Map([
      [
        "upper",
        new FunctionValue(() => {
          return new StringValue(this.value.toUpperCase());
        })
      ],
      [
        "lower",
        new FunctionValue(() => {
          return new StringValue(this.value.toLowerCase());
        })
      ],
      [
        "strip",
        new FunctionValue(() => {
          return new StringValue(this.value.trim());
        })
      ],
      [
        "title",
        new FunctionValue(() => {
          return new StringValue(titleCase(this.value));
        })
      ],
      [
        "capitalize",
        new FunctionValue(() => {
          return new StringValue(this.value.charAt(0).toUpperCase() + this.value.slice(1));
        })
      ],
      ["length", new IntegerValue(this.value.length)],
      [
        "rstrip",
        new FunctionValue(() => {
          return new StringValue(this.value.trimEnd());
        })
      ],
      [
        "lstrip",
        new FunctionValue(() => {
          return new StringValue(this.value.trimStart());
        })
      ],
      [
        "startswith",
        new FunctionValue((args) => {
          if (args.length === 0) {
            throw new Error("startswith() requires at least one argument");
          }
          const pattern = args[0];
          if (pattern instanceof StringValue) {
            return new BooleanValue(this.value.startsWith(pattern.value));
          } else if (pattern instanceof ArrayValue) {
            for (const item of pattern.value) {
              if (!(item instanceof StringValue)) {
                throw new Error("startswith() tuple elements must be strings");
              }
              if (this.value.startsWith(item.value)) {
                return new BooleanValue(true);
              }
            }
            return new BooleanValue(false);
          }
          throw new Error("startswith() argument must be a string or tuple of strings");
        })
      ],
      [
        "endswith",
        new FunctionValue((args) => {
          if (args.length === 0) {
            throw new Error("endswith() requires at least one argument");
          }
          const pattern = args[0];
          if (pattern instanceof StringValue) {
            return new BooleanValue(this.value.endsWith(pattern.value));
          } else if (pattern instanceof ArrayValue) {
            for (const item of pattern.value) {
              if (!(item instanceof StringValue)) {
                throw new Error("endswith() tuple elements must be strings");
              }
              if (this.value.endsWith(item.value)) {
                return new BooleanValue(true);
              }
            }
            return new BooleanValue(false);
          }
          throw new Error("endswith() argument must be a string or tuple of strings");
        })
      ],
      [
        "split",
        // follows Python's `str.split(sep=None, maxsplit=-1)` function behavior
        // https://docs.python.org/3.13/library/stdtypes.html#str.split
        new FunctionValue((args) => {
          const sep = args[0] ?? new NullValue();
          if (!(sep instanceof StringValue || sep instanceof NullValue)) {
            throw new Error("sep argument must be a string or null");
          }
          const maxsplit = args[1] ?? new IntegerValue(-1);
          if (!(maxsplit instanceof IntegerValue)) {
            throw new Error("maxsplit argument must be a number");
          }
          let result = [];
          if (sep instanceof NullValue) {
            const text = this.value.trimStart();
            for (const { 0: match, index } of text.matchAll(/\S+/g)) {
              if (maxsplit.value !== -1 && result.length >= maxsplit.value && index !== void 0) {
                result.push(match + text.slice(index + match.length));
                break;
              }
              result.push(match);
            }
          } else {
            if (sep.value === "") {
              throw new Error("empty separator");
            }
            result = this.value.split(sep.value);
            if (maxsplit.value !== -1 && result.length > maxsplit.value) {
              result.push(result.splice(maxsplit.value).join(sep.value));
            }
          }
          return new ArrayValue(result.map((part) => new StringValue(part)));
        })
      ],
      [
        "replace",
        new FunctionValue((args) => {
          if (args.length < 2) {
            throw new Error("replace() requires at least two arguments");
          }
          const oldValue = args[0];
          const newValue = args[1];
          if (!(oldValue instanceof StringValue && newValue instanceof StringValue)) {
            throw new Error("replace() arguments must be strings");
          }
          let count;
          if (args.length > 2) {
            if (args[2].type === "KeywordArgumentsValue") {
              count = args[2].value.get("count") ?? new NullValue();
            } else {
              count = args[2];
            }
          } else {
            count = new NullValue();
          }
          if (!(count instanceof IntegerValue || count instanceof NullValue)) {
            throw new Error("replace() count argument must be a number or null");
          }
          return new StringValue(replace(this.value, oldValue.value, newValue.value, count.value));
        })
      ]
    ]);
  }
};
var BooleanValue = class extends RuntimeValue {
  type = "BooleanValue";
};
var NON_ASCII_CHARS = /[\x7f-\uffff]/g;
function makeAsciiSafe(str) {
  return str.replace(NON_ASCII_CHARS, (char) => "\\u" + char.charCodeAt(0).toString(16).padStart(4, "0"));
}
function toJSON(input, options = {}, depth = 0, convertUndefinedToNull = true) {
  const { indent = null, ensureAscii = false, separators = null, sortKeys = false } = options;
  let itemSeparator;
  let keySeparator;
  if (separators) {
    [itemSeparator, keySeparator] = separators;
  } else if (indent) {
    itemSeparator = ",";
    keySeparator = ": ";
  } else {
    itemSeparator = ", ";
    keySeparator = ": ";
  }
  switch (input.type) {
    case "NullValue":
      return "null";
    case "UndefinedValue":
      return convertUndefinedToNull ? "null" : "undefined";
    case "IntegerValue":
    case "FloatValue":
    case "BooleanValue":
      return JSON.stringify(input.value);
    case "StringValue": {
      let result = JSON.stringify(input.value);
      if (ensureAscii) {
        result = makeAsciiSafe(result);
      }
      return result;
    }
    case "ArrayValue":
    case "NamespaceValue":
    case "ObjectValue": {
      const indentValue = indent ? " ".repeat(indent) : "";
      const basePadding = "\n" + indentValue.repeat(depth);
      const childrenPadding = basePadding + indentValue;
      if (input.type === "ArrayValue") {
        const core = input.value.map((x) => toJSON(x, options, depth + 1, convertUndefinedToNull));
        return indent && core.length > 0 ? `[${childrenPadding}${core.join(`${itemSeparator}${childrenPadding}`)}${basePadding}]` : `[${core.join(itemSeparator)}]`;
      } else {
        let entries = Array.from(input.value.entries());
        if (sortKeys) {
          entries = entries.sort(([a], [b]) => a.localeCompare(b));
        }
        const core = entries.map(([key, value]) => {
          let keyStr = JSON.stringify(key);
          if (ensureAscii) {
            keyStr = makeAsciiSafe(keyStr);
          }
          const v = `${keyStr}${keySeparator}${toJSON(value, options, depth + 1, convertUndefinedToNull)}`;
          return indent ? `${childrenPadding}${v}` : v;
        });
        return indent && core.length > 0 ? `{${core.join(itemSeparator)}${basePadding}}` : `{${core.join(itemSeparator)}}`;
      }
    }
    default:
      throw new Error(`Cannot convert to JSON: ${input.type}`);
  }
}
var ObjectValue = class extends RuntimeValue {
  type = "ObjectValue";
  _builtins;
  /**
   * NOTE: necessary to override since all JavaScript arrays are considered truthy,
   * while only non-empty Python arrays are consider truthy.
   *
   * e.g.,
   *  - JavaScript:  {} && 5 -> 5
   *  - Python:      {} and 5 -> {}
   */
  __bool__() {
    return new BooleanValue(this.value.size > 0);
  }
  get builtins() {
    return this._builtins ??= /* @__PURE__ */ new Map([
      [
        "get",
        new FunctionValue(([key, defaultValue]) => {
          if (!(key instanceof StringValue)) {
            throw new Error(`Object key must be a string: got ${key.type}`);
          }
          return this.value.get(key.value) ?? defaultValue ?? new NullValue();
        })
      ],
      ["items", new FunctionValue(() => this.items())],
      ["keys", new FunctionValue(() => this.keys())],
      ["values", new FunctionValue(() => this.values())],
      [
        "dictsort",
        new FunctionValue((args) => {
          let kwargs = /* @__PURE__ */ new Map();
          const positionalArgs = args.filter((arg) => {
            if (arg instanceof KeywordArgumentsValue) {
              kwargs = arg.value;
              return false;
            }
            return true;
          });
          const caseSensitive = positionalArgs.at(0) ?? kwargs.get("case_sensitive") ?? new BooleanValue(false);
          if (!(caseSensitive instanceof BooleanValue)) {
            throw new Error("case_sensitive must be a boolean");
          }
          const by = positionalArgs.at(1) ?? kwargs.get("by") ?? new StringValue("key");
          if (!(by instanceof StringValue)) {
            throw new Error("by must be a string");
          }
          if (!["key", "value"].includes(by.value)) {
            throw new Error("by must be either 'key' or 'value'");
          }
          const reverse = positionalArgs.at(2) ?? kwargs.get("reverse") ?? new BooleanValue(false);
          if (!(reverse instanceof BooleanValue)) {
            throw new Error("reverse must be a boolean");
          }
          const items = Array.from(this.value.entries()).map(([key, value]) => new ArrayValue([new StringValue(key), value])).sort((a, b) => {
            const index = by.value === "key" ? 0 : 1;
            const aVal = a.value[index];
            const bVal = b.value[index];
            const result = compareRuntimeValues(aVal, bVal, caseSensitive.value);
            return reverse.value ? -result : result;
          });
          return new ArrayValue(items);
        })
      ]
    ]);
  }
  items() {
    return new ArrayValue(
      Array.from(this.value.entries()).map(([key, value]) => new ArrayValue([new StringValue(key), value]))
    );
  }
  keys() {
    return new ArrayValue(Array.from(this.value.keys()).map((key) => new StringValue(key)));
  }
  values() {
    return new ArrayValue(Array.from(this.value.values()));
  }
  toString() {
    return toJSON(this, {}, 0, false);
  }
};
var KeywordArgumentsValue = class extends ObjectValue {
  type = "KeywordArgumentsValue";
};
var NamespaceValue = class extends RuntimeValue {
  type = "NamespaceValue";
  toString() {
    return toJSON(this, {}, 0, false);
  }
};
var ArrayValue = class extends RuntimeValue {
  type = "ArrayValue";
  _builtins;
  get builtins() {
    return this._builtins ??= /* @__PURE__ */ new Map([["length", new IntegerValue(this.value.length)]]);
  }
  /**
   * NOTE: necessary to override since all JavaScript arrays are considered truthy,
   * while only non-empty Python arrays are consider truthy.
   *
   * e.g.,
   *  - JavaScript:  [] && 5 -> 5
   *  - Python:      [] and 5 -> []
   */
  __bool__() {
    return new BooleanValue(this.value.length > 0);
  }
  toString() {
    return toJSON(this, {}, 0, false);
  }
};
var TupleValue = class extends ArrayValue {
  type = "TupleValue";
};
var FunctionValue = class extends RuntimeValue {
  type = "FunctionValue";
};
var NullValue = class extends RuntimeValue {
  type = "NullValue";
};
var UndefinedValue = class extends RuntimeValue {
  type = "UndefinedValue";
};
function normalizeNamespaceEntry(pair) {
  let values;
  if (pair instanceof ArrayValue) {
    values = pair.value;
  } else if (pair instanceof StringValue) {
    values = Array.from(pair.value, (char) => new StringValue(char));
  }
  if (!values || values.length !== 2) {
    throw new Error("namespace expected an object or an iterable of [key, value] pairs");
  }
  const [key, value] = values;
  if (!(key instanceof StringValue)) {
    throw new Error("namespace keys must be strings");
  }
  return [key, value];
}
var _Environment = class {
  constructor(parent) {
    this.parent = parent;
  }
  /**
   * The variables declared in this environment.
   */
  variables = /* @__PURE__ */ new Map([
    [
      "namespace",
      new FunctionValue((args) => {
        const positional = args.slice();
        let kwargs;
        if (positional.at(-1) instanceof KeywordArgumentsValue) {
          kwargs = positional.pop();
        }
        if (positional.length > 1) {
          throw new Error(`namespace expected at most 1 argument, got ${positional.length}`);
        }
        const entries = /* @__PURE__ */ new Map();
        if (positional.length === 1) {
          const source = positional[0];
          if (source instanceof ObjectValue) {
            for (const [key, value] of source.value) {
              entries.set(key, value);
            }
          } else if (source instanceof ArrayValue) {
            for (const pair of source.value) {
              const [key, value] = normalizeNamespaceEntry(pair);
              entries.set(key.value, value);
            }
          } else {
            throw new Error(`'${source.type}' object is not iterable`);
          }
        }
        if (kwargs) {
          for (const [key, value] of kwargs.value) {
            entries.set(key, value);
          }
        }
        return new NamespaceValue(entries);
      })
    ]
  ]);
  tests = _Environment.TESTS;
  /**
   * Set the value of a variable in the current environment.
   */
  set(name, value) {
    return this.declareVariable(name, convertToRuntimeValues(value));
  }
  declareVariable(name, value) {
    if (this.variables.has(name)) {
      throw new SyntaxError(`Variable already declared: ${name}`);
    }
    this.variables.set(name, value);
    return value;
  }
  // private assignVariable(name: string, value: AnyRuntimeValue): AnyRuntimeValue {
  // 	const env = this.resolve(name);
  // 	env.variables.set(name, value);
  // 	return value;
  // }
  /**
   * Set variable in the current scope.
   * See https://jinja.palletsprojects.com/en/3.0.x/templates/#assignments for more information.
   */
  setVariable(name, value) {
    this.variables.set(name, value);
    return value;
  }
  /**
   * Resolve the environment in which the variable is declared.
   * @param {string} name The name of the variable.
   * @returns {Environment} The environment in which the variable is declared.
   */
  resolve(name) {
    if (this.variables.has(name)) {
      return this;
    }
    if (this.parent) {
      return this.parent.resolve(name);
    }
    throw new Error(`Unknown variable: ${name}`);
  }
  lookupVariable(name) {
    try {
      return this.resolve(name).variables.get(name) ?? new UndefinedValue();
    } catch {
      return new UndefinedValue();
    }
  }
};
var Environment$1 = _Environment;
/**
 * The tests available in this environment.
 */
__publicField(Environment$1, "TESTS", /* @__PURE__ */ new Map([
  ["boolean", (operand) => operand.type === "BooleanValue"],
  ["callable", (operand) => operand instanceof FunctionValue],
  [
    "odd",
    (operand) => {
      if (!(operand instanceof IntegerValue)) {
        throw new Error(`cannot odd on ${operand.type}`);
      }
      return operand.value % 2 !== 0;
    }
  ],
  [
    "even",
    (operand) => {
      if (!(operand instanceof IntegerValue)) {
        throw new Error(`cannot even on ${operand.type}`);
      }
      return operand.value % 2 === 0;
    }
  ],
  ["false", (operand) => operand.type === "BooleanValue" && !operand.value],
  ["true", (operand) => operand.type === "BooleanValue" && operand.value],
  ["none", (operand) => operand.type === "NullValue"],
  ["string", (operand) => operand.type === "StringValue"],
  ["number", (operand) => operand instanceof IntegerValue || operand instanceof FloatValue],
  ["integer", (operand) => operand instanceof IntegerValue],
  ["iterable", (operand) => operand.type === "ArrayValue" || operand.type === "StringValue"],
  ["mapping", (operand) => operand instanceof ObjectValue],
  [
    "sequence",
    (operand) => operand instanceof ArrayValue || operand instanceof ObjectValue || operand instanceof StringValue
  ],
  [
    "lower",
    (operand) => {
      const str = operand.value;
      return operand.type === "StringValue" && str === str.toLowerCase();
    }
  ],
  [
    "upper",
    (operand) => {
      const str = operand.value;
      return operand.type === "StringValue" && str === str.toUpperCase();
    }
  ],
  ["none", (operand) => operand.type === "NullValue"],
  ["defined", (operand) => operand.type !== "UndefinedValue"],
  ["undefined", (operand) => operand.type === "UndefinedValue"],
  ["equalto", (a, b) => a.value === b.value],
  ["eq", (a, b) => a.value === b.value]
]));
function setupGlobals(env) {
  env.set("false", false);
  env.set("true", true);
  env.set("none", null);
  env.set("raise_exception", (args) => {
    throw new Error(args);
  });
  env.set("range", range);
  env.set("strftime_now", strftime_now);
  env.set("True", true);
  env.set("False", false);
  env.set("None", null);
}
function isAttributeContainer(value) {
  return value instanceof ObjectValue || value instanceof NamespaceValue;
}
function isNumericLikeValue(value) {
  return value instanceof IntegerValue || value instanceof FloatValue || value instanceof BooleanValue;
}
function getNumericValue(value) {
  return value instanceof BooleanValue ? Number(value.value) : value.value;
}
function getAttributeValue(item, attributePath) {
  const parts = attributePath.split(".");
  let value = item;
  for (const part of parts) {
    if (isAttributeContainer(value)) {
      value = value.value.get(part) ?? new UndefinedValue();
    } else if (value instanceof ArrayValue) {
      const index = parseInt(part, 10);
      if (!isNaN(index) && index >= 0 && index < value.value.length) {
        value = value.value[index];
      } else {
        return new UndefinedValue();
      }
    } else {
      return new UndefinedValue();
    }
  }
  return value;
}
function compareRuntimeValues(a, b, caseSensitive = false) {
  if (a instanceof NullValue && b instanceof NullValue) {
    return 0;
  }
  if (a instanceof NullValue || b instanceof NullValue) {
    throw new Error(`Cannot compare ${a.type} with ${b.type}`);
  }
  if (a instanceof UndefinedValue && b instanceof UndefinedValue) {
    return 0;
  }
  if (a instanceof UndefinedValue || b instanceof UndefinedValue) {
    throw new Error(`Cannot compare ${a.type} with ${b.type}`);
  }
  if (isNumericLikeValue(a) && isNumericLikeValue(b)) {
    const aNum = getNumericValue(a);
    const bNum = getNumericValue(b);
    return aNum < bNum ? -1 : aNum > bNum ? 1 : 0;
  }
  if (a.type !== b.type) {
    throw new Error(`Cannot compare different types: ${a.type} and ${b.type}`);
  }
  switch (a.type) {
    case "StringValue": {
      let aStr = a.value;
      let bStr = b.value;
      if (!caseSensitive) {
        aStr = aStr.toLowerCase();
        bStr = bStr.toLowerCase();
      }
      return aStr < bStr ? -1 : aStr > bStr ? 1 : 0;
    }
    default:
      throw new Error(`Cannot compare type: ${a.type}`);
  }
}
function getParameterDescriptor(argument) {
  if (argument.type === "Identifier") {
    return { name: argument.value };
  }
  const keywordArgument = argument;
  return { name: keywordArgument.key.value, defaultValue: keywordArgument.value };
}
function isSpecialMacroArgument(name) {
  return name === "kwargs" || name === "varargs";
}
function findAccessedSpecialMacroArguments(parameters, body) {
  const declared = /* @__PURE__ */ new Set();
  const accessed = /* @__PURE__ */ new Set();
  const declareName = (name) => {
    if (isSpecialMacroArgument(name)) {
      declared.add(name);
    }
  };
  const declareTarget = (target) => {
    if (target.type === "Identifier") {
      declareName(target.value);
    } else if (target.type === "TupleLiteral") {
      for (const item of target.value) {
        declareTarget(item);
      }
    }
  };
  const declareArgument = (argument) => {
    declareName(getParameterDescriptor(argument).name);
  };
  const visitArgumentDefaults = (args) => {
    for (const argument of args) {
      const parameter = getParameterDescriptor(argument);
      if (parameter.defaultValue) {
        visit(parameter.defaultValue);
      }
    }
  };
  const visitFilter = (filter) => {
    if (filter.type === "CallExpression") {
      visit(filter.args);
    }
  };
  const visit = (node) => {
    if (Array.isArray(node)) {
      for (const item of node) {
        visit(item);
      }
      return;
    }
    if (node instanceof Map) {
      for (const [key, value] of node) {
        visit(key);
        visit(value);
      }
      return;
    }
    if (!(node instanceof Statement)) {
      return;
    }
    switch (node.type) {
      case "For": {
        const statement = node;
        declareTarget(statement.loopvar);
        if (statement.iterable.type === "SelectExpression") {
          const iterable = statement.iterable;
          visit(iterable.lhs);
          visit(statement.body);
          visit(statement.defaultBlock);
          visit(iterable.test);
          return;
        }
        visit(statement.iterable);
        visit(statement.body);
        visit(statement.defaultBlock);
        return;
      }
      case "Set": {
        const statement = node;
        declareTarget(statement.assignee);
        visit(statement.value);
        visit(statement.body);
        return;
      }
      case "Macro": {
        const statement = node;
        for (const argument of statement.args) {
          declareArgument(argument);
        }
        visitArgumentDefaults(statement.args);
        visit(statement.body);
        return;
      }
      case "CallStatement": {
        const statement = node;
        visit(statement.call);
        for (const argument of statement.callerArgs ?? []) {
          declareArgument(argument);
        }
        visitArgumentDefaults(statement.callerArgs ?? []);
        visit(statement.body);
        return;
      }
      case "FilterStatement": {
        const statement = node;
        visit(statement.body);
        visitFilter(statement.filter);
        return;
      }
      case "Identifier": {
        const name = node.value;
        if (isSpecialMacroArgument(name) && !declared.has(name)) {
          accessed.add(name);
        }
        return;
      }
      case "MemberExpression": {
        const expression = node;
        visit(expression.object);
        if (expression.computed) {
          visit(expression.property);
        }
        return;
      }
      case "FilterExpression": {
        const expression = node;
        visit(expression.operand);
        visitFilter(expression.filter);
        return;
      }
      case "TestExpression":
        visit(node.operand);
        return;
      case "SelectExpression": {
        const expression = node;
        visit(expression.test);
        visit(expression.lhs);
        return;
      }
      case "KeywordArgumentExpression":
        visit(node.value);
        return;
      default:
        for (const child of Object.values(node)) {
          visit(child);
        }
    }
  };
  for (const parameter of parameters) {
    declareArgument(parameter);
  }
  visit(body);
  return accessed;
}
var Interpreter$1 = class Interpreter {
  global;
  constructor(env) {
    this.global = env ?? new Environment$1();
  }
  /**
   * Run the program.
   */
  run(program) {
    return this.evaluate(program, this.global);
  }
  /**
   * Evaluates expressions following the binary operation type.
   */
  evaluateBinaryExpression(node, environment) {
    const left = this.evaluate(node.left, environment);
    switch (node.operator.value) {
      case "and":
        return left.__bool__().value ? this.evaluate(node.right, environment) : left;
      case "or":
        return left.__bool__().value ? left : this.evaluate(node.right, environment);
    }
    const right = this.evaluate(node.right, environment);
    switch (node.operator.value) {
      case "==":
        return new BooleanValue(left.value == right.value);
      case "!=":
        return new BooleanValue(left.value != right.value);
    }
    if (left instanceof UndefinedValue || right instanceof UndefinedValue) {
      if (right instanceof UndefinedValue && ["in", "not in"].includes(node.operator.value)) {
        return new BooleanValue(node.operator.value === "not in");
      }
      throw new Error(`Cannot perform operation ${node.operator.value} on undefined values`);
    } else if (left instanceof NullValue || right instanceof NullValue) {
      throw new Error("Cannot perform operation on null values");
    } else if (node.operator.value === "~") {
      return new StringValue(left.value.toString() + right.value.toString());
    } else if (node.operator.value === "**" && isNumericLikeValue(left) && isNumericLikeValue(right)) {
      const a = getNumericValue(left);
      const b = getNumericValue(right);
      if (a === 0 && b < 0) {
        throw new Error("0.0 cannot be raised to a negative power");
      }
      const result = a ** b;
      if (!Number.isFinite(result)) {
        throw new Error("Exponentiation result is not a finite real number");
      }
      const isFloat = left instanceof FloatValue || right instanceof FloatValue || b < 0;
      return isFloat ? new FloatValue(result) : new IntegerValue(result);
    } else if ((left instanceof IntegerValue || left instanceof FloatValue) && (right instanceof IntegerValue || right instanceof FloatValue)) {
      const a = left.value, b = right.value;
      switch (node.operator.value) {
        case "+":
        case "-":
        case "*": {
          const res = node.operator.value === "+" ? a + b : node.operator.value === "-" ? a - b : a * b;
          const isFloat = left instanceof FloatValue || right instanceof FloatValue;
          return isFloat ? new FloatValue(res) : new IntegerValue(res);
        }
        case "/":
          return new FloatValue(a / b);
        case "//": {
          const res = Math.floor(a / b);
          const isFloat = left instanceof FloatValue || right instanceof FloatValue;
          return isFloat ? new FloatValue(res) : new IntegerValue(res);
        }
        case "%": {
          const rem = a % b;
          const isFloat = left instanceof FloatValue || right instanceof FloatValue;
          return isFloat ? new FloatValue(rem) : new IntegerValue(rem);
        }
        case "<":
          return new BooleanValue(a < b);
        case ">":
          return new BooleanValue(a > b);
        case ">=":
          return new BooleanValue(a >= b);
        case "<=":
          return new BooleanValue(a <= b);
      }
    } else if (left instanceof ArrayValue && right instanceof ArrayValue) {
      switch (node.operator.value) {
        case "+":
          return new ArrayValue(left.value.concat(right.value));
      }
    } else if (right instanceof ArrayValue) {
      const member = right.value.find((x) => x.value === left.value) !== void 0;
      switch (node.operator.value) {
        case "in":
          return new BooleanValue(member);
        case "not in":
          return new BooleanValue(!member);
      }
    }
    if (left instanceof StringValue || right instanceof StringValue) {
      switch (node.operator.value) {
        case "+":
          return new StringValue(left.value.toString() + right.value.toString());
      }
    }
    if (left instanceof StringValue && right instanceof StringValue) {
      switch (node.operator.value) {
        case "in":
          return new BooleanValue(right.value.includes(left.value));
        case "not in":
          return new BooleanValue(!right.value.includes(left.value));
      }
    }
    if (left instanceof StringValue && right instanceof ObjectValue) {
      switch (node.operator.value) {
        case "in":
          return new BooleanValue(right.value.has(left.value));
        case "not in":
          return new BooleanValue(!right.value.has(left.value));
      }
    }
    throw new SyntaxError(`Unknown operator "${node.operator.value}" between ${left.type} and ${right.type}`);
  }
  evaluateArguments(args, environment) {
    const positionalArguments = [];
    const keywordArguments = /* @__PURE__ */ new Map();
    const addKeywordArgument = (key, value) => {
      if (keywordArguments.has(key)) {
        throw new Error(`Got multiple values for keyword argument '${key}'`);
      }
      keywordArguments.set(key, value);
    };
    for (const argument of args) {
      if (argument.type === "SpreadExpression") {
        const spreadNode = argument;
        const val = this.evaluate(spreadNode.argument, environment);
        if (!(val instanceof ArrayValue)) {
          throw new Error(`Cannot unpack non-iterable type: ${val.type}`);
        }
        for (const item of val.value) {
          positionalArguments.push(item);
        }
      } else if (argument.type !== "KeywordArgumentExpression" && argument.type !== "KeywordSpreadExpression") {
        positionalArguments.push(this.evaluate(argument, environment));
      }
    }
    for (const argument of args) {
      if (argument.type === "KeywordArgumentExpression") {
        const kwarg = argument;
        addKeywordArgument(kwarg.key.value, this.evaluate(kwarg.value, environment));
      } else if (argument.type === "KeywordSpreadExpression") {
        const spreadNode = argument;
        const val = this.evaluate(spreadNode.argument, environment);
        if (!(val instanceof ObjectValue)) {
          throw new Error(`Argument after ** must be a mapping, not ${val.type}`);
        }
        for (const [key, value] of val.value) {
          addKeywordArgument(key, value);
        }
      }
    }
    return [positionalArguments, keywordArguments];
  }
  applyFilter(operand, filterNode, environment) {
    if (filterNode.type === "Identifier") {
      const filter = filterNode;
      if (filter.value === "safe") {
        return operand;
      }
      if (filter.value === "tojson") {
        return new StringValue(toJSON(operand, {}));
      }
      if (operand instanceof ArrayValue) {
        switch (filter.value) {
          case "list":
            return operand;
          case "first":
            return operand.value[0];
          case "last":
            return operand.value[operand.value.length - 1];
          case "length":
            return new IntegerValue(operand.value.length);
          case "reverse":
            return new ArrayValue(operand.value.slice().reverse());
          case "sort": {
            return new ArrayValue(operand.value.slice().sort((a, b) => compareRuntimeValues(a, b, false)));
          }
          case "join":
            return new StringValue(operand.value.map((x) => x.value).join(""));
          case "string":
            return new StringValue(toJSON(operand, {}, 0, false));
          case "unique": {
            const seen = /* @__PURE__ */ new Set();
            const output = [];
            for (const item of operand.value) {
              if (!seen.has(item.value)) {
                seen.add(item.value);
                output.push(item);
              }
            }
            return new ArrayValue(output);
          }
          default:
            throw new Error(`Unknown ArrayValue filter: ${filter.value}`);
        }
      } else if (operand instanceof StringValue) {
        switch (filter.value) {
          case "length":
          case "upper":
          case "lower":
          case "title":
          case "capitalize": {
            const builtin = operand.builtins.get(filter.value);
            if (builtin instanceof FunctionValue) {
              return builtin.value(
                /* no arguments */
                [],
                environment
              );
            } else if (builtin instanceof IntegerValue) {
              return builtin;
            } else {
              throw new Error(`Unknown StringValue filter: ${filter.value}`);
            }
          }
          case "trim":
            return new StringValue(operand.value.trim());
          case "indent":
            return new StringValue(
              operand.value.split("\n").map(
                (x, i) => (
                  // By default, don't indent the first line or empty lines
                  i === 0 || x.length === 0 ? x : "    " + x
                )
              ).join("\n")
            );
          case "join":
          case "string":
            return operand;
          case "int": {
            const val = parseInt(operand.value, 10);
            return new IntegerValue(isNaN(val) ? 0 : val);
          }
          case "float": {
            const val = parseFloat(operand.value);
            return new FloatValue(isNaN(val) ? 0 : val);
          }
          default:
            throw new Error(`Unknown StringValue filter: ${filter.value}`);
        }
      } else if (operand instanceof IntegerValue || operand instanceof FloatValue) {
        switch (filter.value) {
          case "abs":
            return operand instanceof IntegerValue ? new IntegerValue(Math.abs(operand.value)) : new FloatValue(Math.abs(operand.value));
          case "int":
            return new IntegerValue(Math.floor(operand.value));
          case "float":
            return new FloatValue(operand.value);
          case "string":
            return new StringValue(operand.toString());
          default:
            throw new Error(`Unknown NumericValue filter: ${filter.value}`);
        }
      } else if (operand instanceof ObjectValue) {
        switch (filter.value) {
          case "items":
            return new ArrayValue(
              Array.from(operand.value.entries()).map(([key, value]) => new ArrayValue([new StringValue(key), value]))
            );
          case "length":
            return new IntegerValue(operand.value.size);
          default: {
            const builtin = operand.builtins.get(filter.value);
            if (builtin) {
              if (builtin instanceof FunctionValue) {
                return builtin.value([], environment);
              }
              return builtin;
            }
            throw new Error(`Unknown ObjectValue filter: ${filter.value}`);
          }
        }
      } else if (operand instanceof BooleanValue) {
        switch (filter.value) {
          case "bool":
            return new BooleanValue(operand.value);
          case "int":
            return new IntegerValue(operand.value ? 1 : 0);
          case "float":
            return new FloatValue(operand.value ? 1 : 0);
          case "string":
            return new StringValue(operand.value ? "true" : "false");
          default:
            throw new Error(`Unknown BooleanValue filter: ${filter.value}`);
        }
      }
      throw new Error(`Cannot apply filter "${filter.value}" to type: ${operand.type}`);
    } else if (filterNode.type === "CallExpression") {
      const filter = filterNode;
      if (filter.callee.type !== "Identifier") {
        throw new Error(`Unknown filter: ${filter.callee.type}`);
      }
      const filterName = filter.callee.value;
      if (filterName === "tojson") {
        const [, kwargs] = this.evaluateArguments(filter.args, environment);
        const indent = kwargs.get("indent") ?? new NullValue();
        if (!(indent instanceof IntegerValue || indent instanceof NullValue)) {
          throw new Error("If set, indent must be a number");
        }
        const ensureAscii = kwargs.get("ensure_ascii") ?? new BooleanValue(false);
        if (!(ensureAscii instanceof BooleanValue)) {
          throw new Error("If set, ensure_ascii must be a boolean");
        }
        const sortKeys = kwargs.get("sort_keys") ?? new BooleanValue(false);
        if (!(sortKeys instanceof BooleanValue)) {
          throw new Error("If set, sort_keys must be a boolean");
        }
        const separatorsArg = kwargs.get("separators") ?? new NullValue();
        let separators = null;
        if (separatorsArg instanceof ArrayValue || separatorsArg instanceof TupleValue) {
          if (separatorsArg.value.length !== 2) {
            throw new Error("separators must be a tuple of two strings");
          }
          const [itemSep, keySep] = separatorsArg.value;
          if (!(itemSep instanceof StringValue) || !(keySep instanceof StringValue)) {
            throw new Error("separators must be a tuple of two strings");
          }
          separators = [itemSep.value, keySep.value];
        } else if (!(separatorsArg instanceof NullValue)) {
          throw new Error("If set, separators must be a tuple of two strings");
        }
        return new StringValue(
          toJSON(operand, {
            indent: indent.value,
            ensureAscii: ensureAscii.value,
            sortKeys: sortKeys.value,
            separators
          })
        );
      } else if (filterName === "join") {
        let value;
        if (operand instanceof StringValue) {
          value = Array.from(operand.value);
        } else if (operand instanceof ArrayValue) {
          value = operand.value.map((x) => x.value);
        } else {
          throw new Error(`Cannot apply filter "${filterName}" to type: ${operand.type}`);
        }
        const [args, kwargs] = this.evaluateArguments(filter.args, environment);
        const separator = args.at(0) ?? kwargs.get("separator") ?? new StringValue("");
        if (!(separator instanceof StringValue)) {
          throw new Error("separator must be a string");
        }
        return new StringValue(value.join(separator.value));
      } else if (filterName === "int" || filterName === "float") {
        const [args, kwargs] = this.evaluateArguments(filter.args, environment);
        const defaultValue = args.at(0) ?? kwargs.get("default") ?? (filterName === "int" ? new IntegerValue(0) : new FloatValue(0));
        if (operand instanceof StringValue) {
          const val = filterName === "int" ? parseInt(operand.value, 10) : parseFloat(operand.value);
          return isNaN(val) ? defaultValue : filterName === "int" ? new IntegerValue(val) : new FloatValue(val);
        } else if (operand instanceof IntegerValue || operand instanceof FloatValue) {
          return operand;
        } else if (operand instanceof BooleanValue) {
          return filterName === "int" ? new IntegerValue(operand.value ? 1 : 0) : new FloatValue(operand.value ? 1 : 0);
        } else {
          throw new Error(`Cannot apply filter "${filterName}" to type: ${operand.type}`);
        }
      } else if (filterName === "default") {
        const [args, kwargs] = this.evaluateArguments(filter.args, environment);
        const defaultValue = args[0] ?? new StringValue("");
        const booleanValue = args[1] ?? kwargs.get("boolean") ?? new BooleanValue(false);
        if (!(booleanValue instanceof BooleanValue)) {
          throw new Error("`default` filter flag must be a boolean");
        }
        if (operand instanceof UndefinedValue || booleanValue.value && !operand.__bool__().value) {
          return defaultValue;
        }
        return operand;
      }
      if (operand instanceof ArrayValue) {
        switch (filterName) {
          case "sort": {
            const [args, kwargs] = this.evaluateArguments(filter.args, environment);
            const reverse = args.at(0) ?? kwargs.get("reverse") ?? new BooleanValue(false);
            if (!(reverse instanceof BooleanValue)) {
              throw new Error("reverse must be a boolean");
            }
            const caseSensitive = args.at(1) ?? kwargs.get("case_sensitive") ?? new BooleanValue(false);
            if (!(caseSensitive instanceof BooleanValue)) {
              throw new Error("case_sensitive must be a boolean");
            }
            const attribute = args.at(2) ?? kwargs.get("attribute") ?? new NullValue();
            if (!(attribute instanceof StringValue || attribute instanceof IntegerValue || attribute instanceof NullValue)) {
              throw new Error("attribute must be a string, integer, or null");
            }
            const getSortValue = (item) => {
              if (attribute instanceof NullValue) {
                return item;
              }
              const attrPath = attribute instanceof IntegerValue ? String(attribute.value) : attribute.value;
              return getAttributeValue(item, attrPath);
            };
            return new ArrayValue(
              operand.value.slice().sort((a, b) => {
                const aVal = getSortValue(a);
                const bVal = getSortValue(b);
                const result = compareRuntimeValues(aVal, bVal, caseSensitive.value);
                return reverse.value ? -result : result;
              })
            );
          }
          case "selectattr":
          case "rejectattr": {
            const select = filterName === "selectattr";
            if (operand.value.some((item) => !isAttributeContainer(item))) {
              throw new Error(`\`${filterName}\` can only be applied to array of objects`);
            }
            if (filter.args.some((x) => x.type !== "StringLiteral")) {
              throw new Error(`arguments of \`${filterName}\` must be strings`);
            }
            const [attr, testName, value] = filter.args.map((x) => this.evaluate(x, environment));
            let testFunction;
            if (testName) {
              const test = environment.tests.get(testName.value);
              if (!test) {
                throw new Error(`Unknown test: ${testName.value}`);
              }
              testFunction = test;
            } else {
              testFunction = (...x) => x[0].__bool__().value;
            }
            const filtered = operand.value.filter((item) => {
              const a = item.value.get(attr.value);
              const result = a ? testFunction(a, value) : false;
              return select ? result : !result;
            });
            return new ArrayValue(filtered);
          }
          case "map": {
            const [, kwargs] = this.evaluateArguments(filter.args, environment);
            if (kwargs.has("attribute")) {
              const attr = kwargs.get("attribute");
              if (!(attr instanceof StringValue)) {
                throw new Error("attribute must be a string");
              }
              const defaultValue = kwargs.get("default");
              const mapped = operand.value.map((item) => {
                if (!isAttributeContainer(item)) {
                  throw new Error("items in map must be an object");
                }
                const value = getAttributeValue(item, attr.value);
                return value instanceof UndefinedValue ? defaultValue ?? new UndefinedValue() : value;
              });
              return new ArrayValue(mapped);
            } else {
              throw new Error("`map` expressions without `attribute` set are not currently supported.");
            }
          }
        }
        throw new Error(`Unknown ArrayValue filter: ${filterName}`);
      } else if (operand instanceof StringValue) {
        switch (filterName) {
          case "indent": {
            const [args, kwargs] = this.evaluateArguments(filter.args, environment);
            const width = args.at(0) ?? kwargs.get("width") ?? new IntegerValue(4);
            if (!(width instanceof IntegerValue)) {
              throw new Error("width must be a number");
            }
            const first = args.at(1) ?? kwargs.get("first") ?? new BooleanValue(false);
            const blank = args.at(2) ?? kwargs.get("blank") ?? new BooleanValue(false);
            const lines = operand.value.split("\n");
            const indent = " ".repeat(width.value);
            const indented = lines.map(
              (x, i) => !first.value && i === 0 || !blank.value && x.length === 0 ? x : indent + x
            );
            return new StringValue(indented.join("\n"));
          }
          case "replace": {
            const replaceFn = operand.builtins.get("replace");
            if (!(replaceFn instanceof FunctionValue)) {
              throw new Error("replace filter not available");
            }
            const [args, kwargs] = this.evaluateArguments(filter.args, environment);
            return replaceFn.value([...args, new KeywordArgumentsValue(kwargs)], environment);
          }
        }
        throw new Error(`Unknown StringValue filter: ${filterName}`);
      } else if (operand instanceof ObjectValue) {
        const builtin = operand.builtins.get(filterName);
        if (builtin && builtin instanceof FunctionValue) {
          const [args, kwargs] = this.evaluateArguments(filter.args, environment);
          if (kwargs.size > 0) {
            args.push(new KeywordArgumentsValue(kwargs));
          }
          return builtin.value(args, environment);
        }
        throw new Error(`Unknown ObjectValue filter: ${filterName}`);
      } else {
        throw new Error(`Cannot apply filter "${filterName}" to type: ${operand.type}`);
      }
    }
    throw new Error(`Unknown filter: ${filterNode.type}`);
  }
  /**
   * Evaluates expressions following the filter operation type.
   */
  evaluateFilterExpression(node, environment) {
    const operand = this.evaluate(node.operand, environment);
    return this.applyFilter(operand, node.filter, environment);
  }
  /**
   * Evaluates expressions following the test operation type.
   */
  evaluateTestExpression(node, environment) {
    const operand = this.evaluate(node.operand, environment);
    const test = environment.tests.get(node.test.value);
    if (!test) {
      throw new Error(`Unknown test: ${node.test.value}`);
    }
    const result = test(operand);
    return new BooleanValue(node.negate ? !result : result);
  }
  /**
   * Evaluates expressions following the select operation type.
   */
  evaluateSelectExpression(node, environment) {
    const predicate = this.evaluate(node.test, environment);
    if (!predicate.__bool__().value) {
      return new UndefinedValue();
    }
    return this.evaluate(node.lhs, environment);
  }
  /**
   * Evaluates expressions following the unary operation type.
   */
  evaluateUnaryExpression(node, environment) {
    const argument = this.evaluate(node.argument, environment);
    switch (node.operator.value) {
      case "not":
        return new BooleanValue(!argument.__bool__().value);
      case "+":
      case "-": {
        const sign = node.operator.value === "-" ? -1 : 1;
        if (argument instanceof IntegerValue || argument instanceof FloatValue || argument instanceof BooleanValue) {
          const value = argument instanceof BooleanValue ? argument.value ? 1 : 0 : argument.value;
          const result = sign * value;
          return argument instanceof FloatValue ? new FloatValue(result) : new IntegerValue(result);
        }
        throw new SyntaxError(`Unknown operator "${node.operator.value}" for ${argument.type}`);
      }
      default:
        throw new SyntaxError(`Unknown operator: ${node.operator.value}`);
    }
  }
  evaluateTernaryExpression(node, environment) {
    const cond = this.evaluate(node.condition, environment);
    return cond.__bool__().value ? this.evaluate(node.trueExpr, environment) : this.evaluate(node.falseExpr, environment);
  }
  evalProgram(program, environment) {
    return this.evaluateBlock(program.body, environment);
  }
  evaluateBlock(statements, environment) {
    let result = "";
    for (const statement of statements) {
      const lastEvaluated = this.evaluate(statement, environment);
      if (lastEvaluated.type !== "NullValue" && lastEvaluated.type !== "UndefinedValue") {
        result += lastEvaluated.toString();
      }
    }
    return new StringValue(result);
  }
  evaluateIdentifier(node, environment) {
    return environment.lookupVariable(node.value);
  }
  evaluateCallExpression(expr, environment) {
    const [args, kwargs] = this.evaluateArguments(expr.args, environment);
    if (kwargs.size > 0) {
      args.push(new KeywordArgumentsValue(kwargs));
    }
    const fn = this.evaluate(expr.callee, environment);
    if (fn.type !== "FunctionValue") {
      throw new Error(`Cannot call something that is not a function: got ${fn.type}`);
    }
    return fn.value(args, environment);
  }
  evaluateSliceExpression(object, expr, environment) {
    if (!(object instanceof ArrayValue || object instanceof StringValue)) {
      throw new Error("Slice object must be an array or string");
    }
    const start = this.evaluate(expr.start, environment);
    const stop = this.evaluate(expr.stop, environment);
    const step = this.evaluate(expr.step, environment);
    if (!(start instanceof IntegerValue || start instanceof UndefinedValue)) {
      throw new Error("Slice start must be numeric or undefined");
    }
    if (!(stop instanceof IntegerValue || stop instanceof UndefinedValue)) {
      throw new Error("Slice stop must be numeric or undefined");
    }
    if (!(step instanceof IntegerValue || step instanceof UndefinedValue)) {
      throw new Error("Slice step must be numeric or undefined");
    }
    if (object instanceof ArrayValue) {
      return new ArrayValue(slice(object.value, start.value, stop.value, step.value));
    } else {
      return new StringValue(slice(Array.from(object.value), start.value, stop.value, step.value).join(""));
    }
  }
  evaluateMemberExpression(expr, environment) {
    const object = this.evaluate(expr.object, environment);
    let property;
    if (expr.computed) {
      if (expr.property.type === "SliceExpression") {
        return this.evaluateSliceExpression(object, expr.property, environment);
      } else {
        property = this.evaluate(expr.property, environment);
      }
    } else if (expr.property.type === "IntegerLiteral") {
      property = new IntegerValue(expr.property.value);
    } else {
      property = new StringValue(expr.property.value);
    }
    let value;
    if (isAttributeContainer(object)) {
      if (!(property instanceof StringValue)) {
        throw new Error(`Cannot access property with non-string: got ${property.type}`);
      }
      value = object.value.get(property.value) ?? (object instanceof ObjectValue ? object.builtins.get(property.value) : void 0);
    } else if (object instanceof ArrayValue || object instanceof StringValue) {
      if (property instanceof IntegerValue) {
        if (object instanceof StringValue) {
          const character = object.value.at(property.value);
          value = character === void 0 ? void 0 : new StringValue(character);
        } else {
          value = object.value.at(property.value);
        }
      } else if (property instanceof StringValue) {
        value = object.builtins.get(property.value);
      } else {
        throw new Error(`Cannot access property with non-string/non-number: got ${property.type}`);
      }
    } else {
      if (!(property instanceof StringValue)) {
        throw new Error(`Cannot access property with non-string: got ${property.type}`);
      }
      value = object.builtins.get(property.value);
    }
    return value instanceof RuntimeValue ? value : new UndefinedValue();
  }
  evaluateSet(node, environment) {
    const rhs = node.value ? this.evaluate(node.value, environment) : this.evaluateBlock(node.body, environment);
    if (node.assignee.type === "Identifier") {
      const variableName = node.assignee.value;
      environment.setVariable(variableName, rhs);
    } else if (node.assignee.type === "TupleLiteral") {
      const tuple = node.assignee;
      if (!(rhs instanceof ArrayValue)) {
        throw new Error(`Cannot unpack non-iterable type in set: ${rhs.type}`);
      }
      const arr = rhs.value;
      if (arr.length !== tuple.value.length) {
        throw new Error(`Too ${tuple.value.length > arr.length ? "few" : "many"} items to unpack in set`);
      }
      for (let i = 0; i < tuple.value.length; ++i) {
        const elem = tuple.value[i];
        if (elem.type !== "Identifier") {
          throw new Error(`Cannot unpack to non-identifier in set: ${elem.type}`);
        }
        environment.setVariable(elem.value, arr[i]);
      }
    } else if (node.assignee.type === "MemberExpression") {
      const member = node.assignee;
      const object = this.evaluate(member.object, environment);
      if (!(object instanceof NamespaceValue)) {
        throw new Error("cannot assign attribute on non-namespace object");
      }
      if (member.property.type !== "Identifier") {
        throw new Error("Cannot assign to member with non-identifier property");
      }
      object.value.set(member.property.value, rhs);
    } else {
      throw new Error(`Invalid LHS inside assignment expression: ${JSON.stringify(node.assignee)}`);
    }
    return new NullValue();
  }
  evaluateIf(node, environment) {
    const test = this.evaluate(node.test, environment);
    return this.evaluateBlock(test.__bool__().value ? node.body : node.alternate, environment);
  }
  evaluateFor(node, environment) {
    const scope = new Environment$1(environment);
    let test, iterable;
    if (node.iterable.type === "SelectExpression") {
      const select = node.iterable;
      iterable = this.evaluate(select.lhs, scope);
      test = select.test;
    } else {
      iterable = this.evaluate(node.iterable, scope);
    }
    if (!(iterable instanceof ArrayValue || iterable instanceof ObjectValue)) {
      throw new Error(`Expected iterable or object type in for loop: got ${iterable.type}`);
    }
    if (iterable instanceof ObjectValue) {
      iterable = iterable.keys();
    }
    const items = [];
    const scopeUpdateFunctions = [];
    for (let i = 0; i < iterable.value.length; ++i) {
      const loopScope = new Environment$1(scope);
      const current = iterable.value[i];
      let scopeUpdateFunction;
      if (node.loopvar.type === "Identifier") {
        scopeUpdateFunction = (scope2) => scope2.setVariable(node.loopvar.value, current);
      } else if (node.loopvar.type === "TupleLiteral") {
        const loopvar = node.loopvar;
        if (current.type !== "ArrayValue") {
          throw new Error(`Cannot unpack non-iterable type: ${current.type}`);
        }
        const c = current;
        if (loopvar.value.length !== c.value.length) {
          throw new Error(`Too ${loopvar.value.length > c.value.length ? "few" : "many"} items to unpack`);
        }
        scopeUpdateFunction = (scope2) => {
          for (let j = 0; j < loopvar.value.length; ++j) {
            if (loopvar.value[j].type !== "Identifier") {
              throw new Error(`Cannot unpack non-identifier type: ${loopvar.value[j].type}`);
            }
            scope2.setVariable(loopvar.value[j].value, c.value[j]);
          }
        };
      } else {
        throw new Error(`Invalid loop variable(s): ${node.loopvar.type}`);
      }
      if (test) {
        scopeUpdateFunction(loopScope);
        const testValue = this.evaluate(test, loopScope);
        if (!testValue.__bool__().value) {
          continue;
        }
      }
      items.push(current);
      scopeUpdateFunctions.push(scopeUpdateFunction);
    }
    let result = "";
    let noIteration = true;
    for (let i = 0; i < items.length; ++i) {
      const loop = /* @__PURE__ */ new Map([
        ["index", new IntegerValue(i + 1)],
        ["index0", new IntegerValue(i)],
        ["revindex", new IntegerValue(items.length - i)],
        ["revindex0", new IntegerValue(items.length - i - 1)],
        ["first", new BooleanValue(i === 0)],
        ["last", new BooleanValue(i === items.length - 1)],
        ["length", new IntegerValue(items.length)],
        ["previtem", i > 0 ? items[i - 1] : new UndefinedValue()],
        ["nextitem", i < items.length - 1 ? items[i + 1] : new UndefinedValue()]
      ]);
      scope.setVariable("loop", new ObjectValue(loop));
      scopeUpdateFunctions[i](scope);
      try {
        const evaluated = this.evaluateBlock(node.body, scope);
        result += evaluated.value;
      } catch (err) {
        if (err instanceof ContinueControl) {
          continue;
        }
        if (err instanceof BreakControl) {
          break;
        }
        throw err;
      }
      noIteration = false;
    }
    if (noIteration) {
      const defaultEvaluated = this.evaluateBlock(node.defaultBlock, scope);
      result += defaultEvaluated.value;
    }
    return new StringValue(result);
  }
  /**
   * Bind every parameter name and special argument before evaluating defaults,
   * preventing unbound parameters from resolving in an outer scope.
   */
  bindMacroArguments(displayName, parameters, specialArguments, args, scope) {
    const positionalArguments = args.slice();
    let keywordArguments = /* @__PURE__ */ new Map();
    if (positionalArguments.at(-1) instanceof KeywordArgumentsValue) {
      keywordArguments = new Map(positionalArguments.pop().value);
    }
    const pendingDefaults = [];
    for (let i = 0; i < parameters.length; ++i) {
      const { name, defaultValue } = getParameterDescriptor(parameters[i]);
      let value = positionalArguments[i];
      if (value === void 0 && keywordArguments.has(name)) {
        value = keywordArguments.get(name);
        keywordArguments.delete(name);
      }
      if (value === void 0 && defaultValue !== void 0) {
        pendingDefaults.push([name, defaultValue]);
      }
      scope.setVariable(name, value ?? new UndefinedValue());
    }
    if (specialArguments.has("kwargs")) {
      scope.setVariable("kwargs", new ObjectValue(keywordArguments));
    } else if (keywordArguments.size > 0) {
      throw new Error(`macro ${displayName} takes no keyword argument '${keywordArguments.keys().next().value}'`);
    }
    if (specialArguments.has("varargs")) {
      scope.setVariable("varargs", new ArrayValue(positionalArguments.slice(parameters.length)));
    } else if (positionalArguments.length > parameters.length) {
      throw new Error(`macro ${displayName} takes not more than ${parameters.length} argument(s)`);
    }
    for (const [name, defaultValue] of pendingDefaults) {
      scope.setVariable(name, this.evaluate(defaultValue, scope));
    }
  }
  /**
   * See https://jinja.palletsprojects.com/en/3.1.x/templates/#macros for more information.
   */
  evaluateMacro(node, environment) {
    const specialArguments = findAccessedSpecialMacroArguments(node.args, node.body);
    environment.setVariable(
      node.name.value,
      new FunctionValue((args, scope) => {
        const macroScope = new Environment$1(scope);
        this.bindMacroArguments(`'${node.name.value}'`, node.args, specialArguments, args, macroScope);
        return this.evaluateBlock(node.body, macroScope);
      })
    );
    return new NullValue();
  }
  evaluateCallStatement(node, environment) {
    const parameters = node.callerArgs ?? [];
    const specialArguments = findAccessedSpecialMacroArguments(parameters, node.body);
    const callerFn = new FunctionValue((callerArguments) => {
      const callBlockEnv = new Environment$1(environment);
      this.bindMacroArguments("None", parameters, specialArguments, callerArguments, callBlockEnv);
      return this.evaluateBlock(node.body, callBlockEnv);
    });
    const [macroArgs, macroKwargs] = this.evaluateArguments(node.call.args, environment);
    macroArgs.push(new KeywordArgumentsValue(macroKwargs));
    const fn = this.evaluate(node.call.callee, environment);
    if (fn.type !== "FunctionValue") {
      throw new Error(`Cannot call something that is not a function: got ${fn.type}`);
    }
    const newEnv = new Environment$1(environment);
    newEnv.setVariable("caller", callerFn);
    return fn.value(macroArgs, newEnv);
  }
  evaluateFilterStatement(node, environment) {
    const rendered = this.evaluateBlock(node.body, environment);
    return this.applyFilter(rendered, node.filter, environment);
  }
  evaluate(statement, environment) {
    if (!statement) {
      return new UndefinedValue();
    }
    switch (statement.type) {
      case "Program":
        return this.evalProgram(statement, environment);
      case "Set":
        return this.evaluateSet(statement, environment);
      case "If":
        return this.evaluateIf(statement, environment);
      case "For":
        return this.evaluateFor(statement, environment);
      case "Macro":
        return this.evaluateMacro(statement, environment);
      case "CallStatement":
        return this.evaluateCallStatement(statement, environment);
      case "Break":
        throw new BreakControl();
      case "Continue":
        throw new ContinueControl();
      case "IntegerLiteral":
        return new IntegerValue(statement.value);
      case "FloatLiteral":
        return new FloatValue(statement.value);
      case "StringLiteral":
        return new StringValue(statement.value);
      case "ArrayLiteral":
        return new ArrayValue(statement.value.map((x) => this.evaluate(x, environment)));
      case "TupleLiteral":
        return new TupleValue(statement.value.map((x) => this.evaluate(x, environment)));
      case "ObjectLiteral": {
        const mapping = /* @__PURE__ */ new Map();
        for (const [key, value] of statement.value) {
          const evaluatedKey = this.evaluate(key, environment);
          if (!(evaluatedKey instanceof StringValue)) {
            throw new Error(`Object keys must be strings: got ${evaluatedKey.type}`);
          }
          mapping.set(evaluatedKey.value, this.evaluate(value, environment));
        }
        return new ObjectValue(mapping);
      }
      case "Identifier":
        return this.evaluateIdentifier(statement, environment);
      case "CallExpression":
        return this.evaluateCallExpression(statement, environment);
      case "MemberExpression":
        return this.evaluateMemberExpression(statement, environment);
      case "UnaryExpression":
        return this.evaluateUnaryExpression(statement, environment);
      case "BinaryExpression":
        return this.evaluateBinaryExpression(statement, environment);
      case "FilterExpression":
        return this.evaluateFilterExpression(statement, environment);
      case "FilterStatement":
        return this.evaluateFilterStatement(statement, environment);
      case "TestExpression":
        return this.evaluateTestExpression(statement, environment);
      case "SelectExpression":
        return this.evaluateSelectExpression(statement, environment);
      case "Ternary":
        return this.evaluateTernaryExpression(statement, environment);
      case "Comment":
        return new NullValue();
      default:
        throw new SyntaxError(`Unknown node type: ${statement.type}`);
    }
  }
};
function convertToRuntimeValues(input) {
  switch (typeof input) {
    case "number":
      return Number.isInteger(input) ? new IntegerValue(input) : new FloatValue(input);
    case "string":
      return new StringValue(input);
    case "boolean":
      return new BooleanValue(input);
    case "undefined":
      return new UndefinedValue();
    case "object":
      if (input === null) {
        return new NullValue();
      } else if (Array.isArray(input)) {
        return new ArrayValue(input.map(convertToRuntimeValues));
      } else {
        return new ObjectValue(
          new Map(Object.entries(input).map(([key, value]) => [key, convertToRuntimeValues(value)]))
        );
      }
    case "function":
      return new FunctionValue((args, _scope) => {
        const result = input(...args.map((x) => x.value)) ?? null;
        return convertToRuntimeValues(result);
      });
    default:
      throw new Error(`Cannot convert to runtime value: ${input}`);
  }
}

// src/format.ts
var NEWLINE = "\n";
var OPEN_STATEMENT = "{%- ";
var CLOSE_STATEMENT = " -%}";
var PRECEDENCE = Object.freeze({
  CONDITIONAL: 0,
  // a if b else c
  LOGICAL_OR: 1,
  // or
  LOGICAL_AND: 2,
  // and
  LOGICAL_NOT: 3,
  // not a
  COMPARISON: 4,
  // == != < <= > >= in, not in
  ADDITIVE: 5,
  // + -
  MULTIPLICATIVE: 6,
  // * / // %
  EXPONENTIATION: 7,
  // **
  TEST: 8,
  // is
  FILTER: 9,
  // |
  UNARY_SIGN: 10,
  // -a +a
  ATOM: 11
  // literals, identifiers, calls, member accesses
});
function getBinaryOperatorPrecedence(expr) {
  switch (expr.operator.type) {
    case "ExponentiationBinaryOperator":
      return PRECEDENCE.EXPONENTIATION;
    case "MultiplicativeBinaryOperator":
      return PRECEDENCE.MULTIPLICATIVE;
    case "AdditiveBinaryOperator":
      return PRECEDENCE.ADDITIVE;
    case "ComparisonBinaryOperator":
      return PRECEDENCE.COMPARISON;
    case "Identifier":
      if (expr.operator.value === "and") {
        return PRECEDENCE.LOGICAL_AND;
      }
      if (expr.operator.value === "in" || expr.operator.value === "not in") {
        return PRECEDENCE.COMPARISON;
      }
      return PRECEDENCE.LOGICAL_OR;
  }
  return PRECEDENCE.LOGICAL_OR;
}
function getPrecedence(node) {
  switch (node.type) {
    case "SelectExpression":
    case "Ternary":
      return PRECEDENCE.CONDITIONAL;
    case "BinaryExpression":
      return getBinaryOperatorPrecedence(node);
    case "UnaryExpression":
      return node.operator.value === "not" ? PRECEDENCE.LOGICAL_NOT : PRECEDENCE.UNARY_SIGN;
    case "TestExpression":
      return PRECEDENCE.TEST;
    case "FilterExpression":
      return PRECEDENCE.FILTER;
    default:
      return PRECEDENCE.ATOM;
  }
}
function formatOperand(node, minPrecedence) {
  const expr = formatExpression(node);
  return getPrecedence(node) < minPrecedence ? `(${expr})` : expr;
}
function format(program, indent = "	") {
  const indentStr = typeof indent === "number" ? " ".repeat(indent) : indent;
  const body = formatStatements(program.body, 0, indentStr);
  return body.replace(/\n$/, "");
}
function createStatement(...text) {
  return OPEN_STATEMENT + text.join(" ") + CLOSE_STATEMENT;
}
function formatStatements(stmts, depth, indentStr) {
  return stmts.map((stmt) => formatStatement(stmt, depth, indentStr)).join(NEWLINE);
}
function formatExpressionList(expressions) {
  return expressions.map((expression) => formatExpression(expression)).join(", ");
}
function formatStatement(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  switch (node.type) {
    case "Program":
      return formatStatements(node.body, depth, indentStr);
    case "If":
      return formatIf(node, depth, indentStr);
    case "For":
      return formatFor(node, depth, indentStr);
    case "Set":
      return formatSet(node, depth, indentStr);
    case "Macro":
      return formatMacro(node, depth, indentStr);
    case "Break":
      return pad + createStatement("break");
    case "Continue":
      return pad + createStatement("continue");
    case "CallStatement":
      return formatCallStatement(node, depth, indentStr);
    case "FilterStatement":
      return formatFilterStatement(node, depth, indentStr);
    case "Comment":
      return pad + "{# " + node.value + " #}";
    default:
      return pad + "{{- " + formatExpression(node) + " -}}";
  }
}
function formatIf(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  const clauses = [];
  let current = node;
  while (current) {
    clauses.push({ test: current.test, body: current.body });
    if (current.alternate.length === 1 && current.alternate[0].type === "If") {
      current = current.alternate[0];
    } else {
      break;
    }
  }
  let out = pad + createStatement("if", formatExpression(clauses[0].test)) + NEWLINE + formatStatements(clauses[0].body, depth + 1, indentStr);
  for (let i = 1; i < clauses.length; ++i) {
    out += NEWLINE + pad + createStatement("elif", formatExpression(clauses[i].test)) + NEWLINE + formatStatements(clauses[i].body, depth + 1, indentStr);
  }
  if (current && current.alternate.length > 0) {
    out += NEWLINE + pad + createStatement("else") + NEWLINE + formatStatements(current.alternate, depth + 1, indentStr);
  }
  out += NEWLINE + pad + createStatement("endif");
  return out;
}
function formatFor(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  let formattedIterable = "";
  if (node.iterable.type === "SelectExpression") {
    const n = node.iterable;
    formattedIterable = `${formatExpression(n.lhs)} if ${formatExpression(n.test)}`;
  } else {
    formattedIterable = formatExpression(node.iterable);
  }
  let out = pad + createStatement("for", formatExpression(node.loopvar), "in", formattedIterable) + NEWLINE + formatStatements(node.body, depth + 1, indentStr);
  if (node.defaultBlock.length > 0) {
    out += NEWLINE + pad + createStatement("else") + NEWLINE + formatStatements(node.defaultBlock, depth + 1, indentStr);
  }
  out += NEWLINE + pad + createStatement("endfor");
  return out;
}
function formatSet(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  const left = formatExpression(node.assignee);
  const right = node.value ? formatExpression(node.value) : "";
  const value = pad + createStatement("set", `${left}${node.value ? " = " + right : ""}`);
  if (node.body.length === 0) {
    return value;
  }
  return value + NEWLINE + formatStatements(node.body, depth + 1, indentStr) + NEWLINE + pad + createStatement("endset");
}
function formatMacro(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  const args = formatExpressionList(node.args);
  return pad + createStatement("macro", `${node.name.value}(${args})`) + NEWLINE + formatStatements(node.body, depth + 1, indentStr) + NEWLINE + pad + createStatement("endmacro");
}
function formatCallStatement(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  const params = node.callerArgs && node.callerArgs.length > 0 ? `(${formatExpressionList(node.callerArgs)})` : "";
  const callExpr = formatExpression(node.call);
  let out = pad + createStatement(`call${params}`, callExpr) + NEWLINE;
  out += formatStatements(node.body, depth + 1, indentStr) + NEWLINE;
  out += pad + createStatement("endcall");
  return out;
}
function formatFilterStatement(node, depth, indentStr) {
  const pad = indentStr.repeat(depth);
  const spec = node.filter.type === "Identifier" ? node.filter.value : formatExpression(node.filter);
  let out = pad + createStatement("filter", spec) + NEWLINE;
  out += formatStatements(node.body, depth + 1, indentStr) + NEWLINE;
  out += pad + createStatement("endfilter");
  return out;
}
function formatExpression(node) {
  switch (node.type) {
    case "SpreadExpression": {
      const n = node;
      return `*${formatExpression(n.argument)}`;
    }
    case "KeywordSpreadExpression": {
      const n = node;
      return `**${formatExpression(n.argument)}`;
    }
    case "Identifier":
      return node.value;
    case "IntegerLiteral":
      return `${node.value}`;
    case "FloatLiteral": {
      const value = node.value;
      if (Object.is(value, -0)) {
        return "-0.0";
      }
      return value % 1 === 0 ? value.toFixed(1) : value.toString();
    }
    case "StringLiteral":
      return JSON.stringify(node.value);
    case "BinaryExpression": {
      const n = node;
      const thisPrecedence = getBinaryOperatorPrecedence(n);
      const left = formatOperand(n.left, thisPrecedence);
      const right = formatOperand(n.right, thisPrecedence + 1);
      return `${left} ${n.operator.value} ${right}`;
    }
    case "UnaryExpression": {
      const n = node;
      const operandPrecedence = n.argument.type === "UnaryExpression" ? getPrecedence(n) : PRECEDENCE.ATOM;
      return n.operator.value + (n.operator.value === "not" ? " " : "") + formatOperand(n.argument, operandPrecedence);
    }
    case "CallExpression": {
      const n = node;
      const args = formatExpressionList(n.args);
      return `${formatExpression(n.callee)}(${args})`;
    }
    case "MemberExpression": {
      const n = node;
      const obj = formatOperand(n.object, PRECEDENCE.ATOM);
      let prop = formatExpression(n.property);
      if (!n.computed && n.property.type !== "Identifier" && n.property.type !== "IntegerLiteral") {
        prop = `(${prop})`;
      }
      return n.computed ? `${obj}[${prop}]` : `${obj}.${prop}`;
    }
    case "FilterExpression": {
      const n = node;
      const operand = formatOperand(n.operand, PRECEDENCE.FILTER);
      if (n.filter.type === "CallExpression") {
        return `${operand} | ${formatExpression(n.filter)}`;
      }
      return `${operand} | ${n.filter.value}`;
    }
    case "SelectExpression": {
      const n = node;
      return `${formatOperand(n.lhs, PRECEDENCE.LOGICAL_OR)} if ${formatOperand(n.test, PRECEDENCE.LOGICAL_OR)}`;
    }
    case "TestExpression": {
      const n = node;
      return `${formatOperand(n.operand, PRECEDENCE.TEST)} is${n.negate ? " not" : ""} ${n.test.value}`;
    }
    case "ArrayLiteral":
    case "TupleLiteral": {
      const elems = formatExpressionList(node.value);
      const brackets = node.type === "ArrayLiteral" ? "[]" : "()";
      return `${brackets[0]}${elems}${brackets[1]}`;
    }
    case "ObjectLiteral": {
      const entries = Array.from(node.value.entries()).map(
        ([k, v]) => `${formatExpression(k)}: ${formatExpression(v)}`
      );
      return `{${entries.join(", ")}}`;
    }
    case "SliceExpression": {
      const n = node;
      const s = n.start ? formatExpression(n.start) : "";
      const t = n.stop ? formatExpression(n.stop) : "";
      const st = n.step ? `:${formatExpression(n.step)}` : "";
      return `${s}:${t}${st}`;
    }
    case "KeywordArgumentExpression": {
      const n = node;
      return `${n.key.value}=${formatExpression(n.value)}`;
    }
    case "Ternary": {
      const n = node;
      return `${formatOperand(n.trueExpr, PRECEDENCE.LOGICAL_OR)} if ${formatOperand(
        n.condition,
        PRECEDENCE.LOGICAL_OR
      )} else ${formatOperand(n.falseExpr, PRECEDENCE.CONDITIONAL)}`;
    }
    default:
      throw new Error(`Unknown expression type: ${node.type}`);
  }
}

// src/index.ts
var Template = class {
  parsed;
  /**
   * @param {string} template The template string
   */
  constructor(template) {
    const tokens = tokenize(template, {
      lstrip_blocks: true,
      trim_blocks: true
    });
    this.parsed = parse(tokens);
  }
  render(items) {
    const env = new Environment$1();
    setupGlobals(env);
    if (items) {
      for (const [key, value] of Object.entries(items)) {
        env.set(key, value);
      }
    }
    const interpreter = new Interpreter$1(env);
    const result = interpreter.run(this.parsed);
    return result.value;
  }
  format(options) {
    return format(this.parsed, options?.indent || "	");
  }
};

const Environment = Environment$1;
const Interpreter = Interpreter$1;
/**
 * What one render may cost. Real chat templates (Llama 3, Qwen, Gemma,
 * DeepSeek, Mistral) render the canonical conversation in a few hundred
 * steps and a few KiB; these limits are orders of magnitude above that and
 * far below what hurts a CI runner. A template comes from the repository, a
 * pull request can change it, so every render is bounded, wherever the
 * template was found (chat_template.jinja or tokenizer_config.json).
 */
const TEMPLATE_LIMITS = {
    /** Template source, in characters. */
    sourceChars: 1024 * 1024,
    /** Interpreter steps (each node evaluated counts one; the real templates above take under 1,000). */
    steps: 100_000,
    /** Items of one range() or list. */
    items: 100_000,
    /** Characters of any one value the template builds (a string, or all the strings a list or object holds), the output included. */
    stringChars: 1024 * 1024,
    /**
     * Characters of every value the template builds or reads, counted each time
     * (a list counts all it holds): the work of a render, so a loop that sorts,
     * joins or serialises a large list again and again stops too.
     */
    totalChars: 64 * 1024 * 1024,
    /**
     * The sum of the squares of the source's whitespace runs. Before it parses,
     * @huggingface/jinja tries a regular expression at every position of a run,
     * so a run costs its square: 100,000 spaces took 12 s, 1 MiB of them more
     * than 15 minutes. 2^26 is a run of 8,192 (about 0.1 s); real templates'
     * runs are a few dozen characters.
     */
    whitespaceCost: 2 ** 26,
};
/** A render stopped by one of TEMPLATE_LIMITS: the template's fault, reported as such. */
class TemplateLimitError extends Error {
}
/**
 * @huggingface/jinja's interpreter, counting what a render costs and stopping
 * it at TEMPLATE_LIMITS. Every value a step returns is measured deeply (a
 * list of 65,536 references to one 1 MiB string is 64 GiB of characters to
 * `tojson` or `sort`), so no later step can be handed more than one value's
 * worth of work.
 */
class BoundedInterpreter extends Interpreter {
    steps = 0;
    chars = 0;
    /** Lists never change once built (only a namespace's members are set), so their sizes are kept. */
    listSizes = new WeakMap();
    evaluate(statement, environment) {
        if (++this.steps > TEMPLATE_LIMITS.steps)
            throw new TemplateLimitError(`takes more than ${TEMPLATE_LIMITS.steps} steps`);
        const value = super.evaluate(statement, environment);
        if (Array.isArray(value.value) && value.value.length > TEMPLATE_LIMITS.items)
            throw new TemplateLimitError(`builds a list of more than ${TEMPLATE_LIMITS.items} items`);
        const size = this.sizeOf(value);
        if (size > TEMPLATE_LIMITS.stringChars)
            throw new TemplateLimitError(value.type === 'StringValue'
                ? `builds a string of more than ${TEMPLATE_LIMITS.stringChars} characters`
                : `builds a value holding more than ${TEMPLATE_LIMITS.stringChars} characters`);
        this.chars += size;
        if (this.chars > TEMPLATE_LIMITS.totalChars)
            throw new TemplateLimitError(`handles more than ${TEMPLATE_LIMITS.totalChars} characters in all`);
        return value;
    }
    /** Characters a value holds, all the way down (1 for a number, a boolean or none); stops counting past the cap. */
    sizeOf(value) {
        const inner = value.value;
        if (typeof inner === 'string')
            return inner.length;
        if (Array.isArray(inner)) {
            const known = this.listSizes.get(inner);
            if (known !== undefined)
                return known;
            let size = inner.length;
            for (const item of inner) {
                if (size > TEMPLATE_LIMITS.stringChars)
                    break;
                size += this.sizeOf(item);
            }
            this.listSizes.set(inner, size);
            return size;
        }
        if (inner instanceof Map) {
            let size = inner.size;
            for (const [key, item] of inner) {
                if (size > TEMPLATE_LIMITS.stringChars)
                    break;
                size += key.length + this.sizeOf(item);
            }
            return size;
        }
        return 1;
    }
}
/** Python's range(), refusing before it allocates more than TEMPLATE_LIMITS.items. */
function boundedRange(start, stop, step = 1) {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    if (![from, to, step].every(Number.isSafeInteger))
        throw new Error('range() takes integers');
    if (step === 0)
        throw new Error('range() step must not be zero');
    const count = Math.max(0, Math.ceil((to - from) / step));
    if (count > TEMPLATE_LIMITS.items)
        throw new TemplateLimitError(`calls range() for ${count} items, more than ${TEMPLATE_LIMITS.items}`);
    return Array.from({ length: count }, (_, i) => from + i * step);
}
/**
 * The date every render sees: `strftime_now` is fixed, so a template renders
 * the same today and tomorrow and two versions compare on their content.
 */
const RENDER_DATE = new Date(Date.UTC(2024, 0, 1));
const MONTHS = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
];
function strftimeNow(format) {
    const pad = (n) => String(n).padStart(2, '0');
    const month = MONTHS[RENDER_DATE.getUTCMonth()];
    const fields = {
        '%Y': String(RENDER_DATE.getUTCFullYear()),
        '%m': pad(RENDER_DATE.getUTCMonth() + 1),
        '%d': pad(RENDER_DATE.getUTCDate()),
        '%b': month.slice(0, 3),
        '%B': month,
        '%H': pad(RENDER_DATE.getUTCHours()),
        '%M': pad(RENDER_DATE.getUTCMinutes()),
        '%%': '%',
    };
    return String(format).replace(/%[YmdbBHM%]/g, (token) => fields[token]);
}
/** Renders a parsed template with modelgate's globals and limits (what Template.render does, bounded). */
function renderBounded(template, items) {
    const env = new Environment();
    const globals = {
        false: false,
        true: true,
        none: null,
        False: false,
        True: true,
        None: null,
        raise_exception: (message) => {
            throw new Error(String(message));
        },
        range: boundedRange,
        strftime_now: strftimeNow,
    };
    for (const [name, value] of Object.entries({ ...globals, ...items }))
        env.set(name, value);
    const result = new BoundedInterpreter(env).run(template.parsed);
    return String(result.value);
}
/** The conversation every template is rendered with, so renders are comparable across versions. */
const CANONICAL_CONVERSATION = [
    { role: 'system', content: 'MODELGATE_SYSTEM' },
    { role: 'user', content: 'MODELGATE_USER_1' },
    { role: 'assistant', content: 'MODELGATE_ASSISTANT_1' },
    { role: 'user', content: 'MODELGATE_USER_2' },
];
/**
 * Renders a chat template on the canonical conversation with a real Jinja
 * implementation. Templates that refuse a system message are rendered again
 * without it. Nothing in a template can reach the host: @huggingface/jinja is
 * an interpreter with no access to Node, and every render is bounded by
 * TEMPLATE_LIMITS (steps, list and string sizes), so a template bomb is a
 * finding, not an out-of-memory abort.
 */
function renderCanonical(source, special) {
    if (source.length > TEMPLATE_LIMITS.sourceChars)
        return {
            ok: false,
            limit: true,
            error: `is ${source.length} characters long, more than the ${TEMPLATE_LIMITS.sourceChars} modelgate renders`,
        };
    const whitespace = whitespaceCost(source);
    if (whitespace > TEMPLATE_LIMITS.whitespaceCost)
        return {
            ok: false,
            limit: true,
            error: `has runs of whitespace too long to parse (the squares of their lengths add up to ${whitespace}, more than ${TEMPLATE_LIMITS.whitespaceCost}; a run of 8,192 is the most modelgate parses)`,
        };
    let template;
    try {
        template = new Template(source);
    }
    catch (error) {
        return { ok: false, error: `does not parse: ${error.message}` };
    }
    const attempt = (messages) => renderBounded(template, {
        messages: messages.map((m) => ({ ...m })),
        add_generation_prompt: false,
        ...special,
    });
    const limited = (error) => error instanceof TemplateLimitError
        ? { ok: false, limit: true, error: `exceeds a rendering limit: it ${error.message}` }
        : error instanceof RangeError // V8's own ceiling (string length, call stack): a limit too
            ? { ok: false, limit: true, error: `exceeds a rendering limit: ${error.message}` }
            : undefined;
    // The conversation cut after the assistant's reply, system message included or not as the full one was.
    const finalTurnEnd = (withSystem) => {
        try {
            const upToReply = CANONICAL_CONVERSATION.slice(withSystem ? 0 : 1, 3);
            const text = attempt(upToReply);
            const reply = text.lastIndexOf('MODELGATE_ASSISTANT_1');
            return reply < 0 ? undefined : text.slice(reply + 'MODELGATE_ASSISTANT_1'.length);
        }
        catch {
            return undefined; // a template may refuse to end on an assistant turn: the history form still counts
        }
    };
    try {
        const text = attempt(CANONICAL_CONVERSATION);
        return { ok: true, text, withSystem: true, finalTurnEnd: finalTurnEnd(true) };
    }
    catch (firstError) {
        const stopped = limited(firstError);
        if (stopped)
            return stopped;
        try {
            const text = attempt(CANONICAL_CONVERSATION.slice(1));
            return { ok: true, text, withSystem: false, finalTurnEnd: finalTurnEnd(false) };
        }
        catch (secondError) {
            return (limited(secondError) ?? {
                ok: false,
                error: `fails to render a plain conversation: ${firstError.message}`,
            });
        }
    }
}
/**
 * The text right after the assistant's reply where the model has to stop: after
 * the last reply of a training render when the template renders one, else after
 * the reply in the canonical conversation. The two differ on purpose in Harmony
 * (gpt-oss): the model ends its answer with <|return|>, which history turns
 * write as <|end|>, and only the first is a stop id.
 */
function endOfTurnText(rendered) {
    // A last reply followed by nothing says nothing about stopping: judge the history form then.
    const final = rendered.finalTurnEnd;
    return final?.trim() ? final : afterAssistantTurn(rendered.text);
}
/** The text a render puts right after the assistant's reply, up to the next user message. */
function afterAssistantTurn(rendered) {
    const reply = rendered.indexOf('MODELGATE_ASSISTANT_1');
    const next = rendered.indexOf('MODELGATE_USER_2');
    if (reply < 0 || next < reply)
        return undefined;
    return rendered.slice(reply + 'MODELGATE_ASSISTANT_1'.length, next);
}
// The sum of the squares of the whitespace runs (\s, as the parser's expression reads it). Linear.
function whitespaceCost(source) {
    let cost = 0;
    for (const run of source.matchAll(/\s+/g))
        cost += run[0].length ** 2;
    return cost;
}

/** Looks a token string up in the vocabulary, then in every added-token list (the first file that lists it wins). */
function tokenId(facts, content) {
    const id = facts.tokenizer?.vocab.idOf(content);
    if (id !== undefined)
        return id;
    return addedIndex(facts).get(content);
}
const addedIndexes = new WeakMap();
// Built once per model: a linear search per lookup is quadratic when a whole vocabulary is compared (SemVer checks).
function addedIndex(facts) {
    const count = (facts.tokenizer?.added.length ?? 0) + facts.settings.added.length;
    const cached = addedIndexes.get(facts.settings);
    if (cached && cached.tokenizer === facts.tokenizer && cached.count === count)
        return cached.ids;
    const ids = new Map();
    for (const token of allAddedTokens(facts))
        if (!ids.has(token.content))
            ids.set(token.content, token.id);
    addedIndexes.set(facts.settings, { tokenizer: facts.tokenizer, count, ids });
    return ids;
}
/** The special token for a role: tokenizer_config.json first, then special_tokens_map.json, then a SentencePiece model's own. */
function specialToken(facts, role) {
    const declared = facts.settings.special.find((s) => s.role === role);
    if (declared)
        return declared;
    const builtin = facts.tokenizer?.builtinSpecial?.[role];
    return builtin !== undefined && facts.tokenizer
        ? { role, content: builtin, source: facts.tokenizer.file }
        : undefined;
}
/** The id of a role's special token, when it is named and resolves. */
function specialId(facts, role) {
    const token = specialToken(facts, role);
    return token?.content ? tokenId(facts, token.content) : undefined;
}
/** Highest id the tokenizer can produce: base vocabulary and every added token (-1 when there is none). */
function highestTokenId(facts) {
    let max = facts.tokenizer?.vocab.maxId ?? -1;
    for (const t of allAddedTokens(facts))
        if (t.id > max)
            max = t.id;
    return max;
}
/** Ids generation stops on: generation_config.json's eos ids when it has any (that is what generate() uses), else config.json's. */
function stopIds(facts) {
    if (facts.generation?.eos.length)
        return { ids: facts.generation.eos, file: facts.generation.file };
    return { ids: facts.config?.ids.eos ?? [], file: facts.config?.file };
}

const INSTRUCT = /instruct|chat|(^|[-_/])it($|[-_/])|assistant|sft|dpo|rlhf/i;
/** The special strings a template sees as variables. */
function templateVariables(facts) {
    const content = (role) => specialToken(facts, role)?.content ?? undefined;
    return {
        bos_token: content('bos'),
        eos_token: content('eos'),
        unk_token: content('unk'),
        pad_token: content('pad'),
    };
}
/** The template that serving uses: chat_template.jinja wins over tokenizer_config.json (as in transformers). */
function effectiveTemplate(facts) {
    return facts.chatTemplates[0];
}
/** TEMPLATE-SRC, CHAT-STOP and DOUBLE-BOS: the chat template is unambiguous, stops, and does not double BOS. */
const chatTemplate = (facts) => {
    const findings = [];
    const [first, second] = facts.chatTemplates;
    if (first && second && first.text.trim() !== second.text.trim()) {
        findings.push(finding(facts, {
            rule: 'TEMPLATE-SRC',
            severity: 'error',
            at: 'chat_template',
            artifact: second.file,
            message: `the chat template is defined in ${first.file} and differently in ${second.file}: serving stacks disagree on which one wins`,
            fix: `Keep one: delete chat_template from ${second.file}, or make both identical.`,
        }));
    }
    if (!first) {
        const { name, lineage, description } = facts.manifest;
        if ([name, lineage?.base, description].some((text) => text && INSTRUCT.test(text))) {
            findings.push(finding(facts, {
                rule: 'TEMPLATE-SRC',
                severity: 'warning',
                at: ['artifacts'],
                message: `${name} looks like an instruct/chat model but has no chat template: clients will format conversations their own way`,
                fix: 'Add artifacts.chat_template (chat_template.jinja) or chat_template in tokenizer_config.json.',
            }));
        }
        return findings;
    }
    const rendered = renderCanonical(first.text, templateVariables(facts));
    if (!rendered.ok) {
        findings.push(finding(facts, {
            rule: 'TEMPLATE-SRC',
            severity: 'error',
            at: artifactKey(facts, first.file),
            artifact: first.file,
            message: `the chat template in ${first.file} ${rendered.error}`,
            fix: rendered.limit
                ? `A chat template formats one conversation: remove the loop or data that makes it this large (modelgate renders at most ${TEMPLATE_LIMITS.steps} steps, lists of ${TEMPLATE_LIMITS.items} items and strings of ${TEMPLATE_LIMITS.stringChars} characters).`
                : 'Fix the template; render it with transformers apply_chat_template to check.',
        }));
        return findings;
    }
    findings.push(...chatStop(facts, first.file, rendered), ...doubleBos(facts, first.file, rendered));
    return findings;
};
function chatStop(facts, file, rendered) {
    const after = endOfTurnText(rendered)?.trimStart();
    if (!after)
        return [];
    const candidates = allAddedTokens(facts)
        .map((t) => t.content)
        .concat(facts.settings.special.map((s) => s.content ?? '').filter(Boolean));
    const endOfTurn = candidates.filter((c) => after.startsWith(c)).sort((a, b) => b.length - a.length)[0];
    if (!endOfTurn)
        return [];
    const id = tokenId(facts, endOfTurn);
    const stop = stopIds(facts);
    if (id === undefined || !stop.file || stop.ids.includes(id))
        return [];
    return [
        finding(facts, {
            rule: 'CHAT-STOP',
            severity: 'error',
            at: facts.generation ? 'generation_config' : 'config',
            artifact: stop.file,
            message: `the chat template in ${file} ends assistant turns with ${JSON.stringify(endOfTurn)} (id ${id}), but eos_token_id in ${stop.file} is [${stop.ids.join(', ')}]: generation runs past the end of the turn`,
            fix: `Add ${id} to eos_token_id in ${stop.file}.`,
        }),
    ];
}
function doubleBos(facts, file, rendered) {
    const bos = specialToken(facts, 'bos')?.content;
    if (!bos || !rendered.text.trimStart().startsWith(bos))
        return [];
    const tokenizer = facts.tokenizer;
    const { addBosToken, addEosToken } = facts.settings;
    // transformers replaces tokenizer.json's post-processor when tokenizer_config.json sets either flag (add_bos_token defaulting to false).
    const flagged = addBosToken !== undefined || addEosToken !== undefined;
    const adds = tokenizer?.format === 'tokenizer.json' && !flagged ? tokenizer.prepends === bos : addBosToken === true;
    if (!adds)
        return [];
    const by = tokenizer?.format === 'tokenizer.json' && !flagged
        ? `the post-processor of ${tokenizer.file}`
        : `add_bos_token in ${facts.paths.tokenizer_config}`;
    return [
        finding(facts, {
            rule: 'DOUBLE-BOS',
            severity: 'warning',
            at: artifactKey(facts, file),
            artifact: file,
            message: `the chat template in ${file} starts with ${JSON.stringify(bos)} and ${by} adds it too: text rendered with the template and then tokenized with special tokens gets two BOS tokens`,
            fix: 'Tokenize rendered chats with add_special_tokens=False, or drop bos_token from the template.',
        }),
    ];
}

const EMBEDDING = /(^|\.)(embed_tokens|wte|word_embeddings|tok_embeddings|embed_in)\.weight$/;
const LM_HEAD = /(^|\.)(lm_head|embed_out)\.weight$/;
/** The input embedding and lm_head tensors of the weights headers that could be read. */
function embeddingTensors(facts) {
    return [...(facts.tensors ?? [])].filter(([name]) => EMBEDDING.test(name) || LM_HEAD.test(name));
}
/** EMBED-SHAPE: the input embedding and lm_head are [vocab_size, hidden_size]. TIED: untied models ship an lm_head. */
const embedShape = (facts) => {
    const { config, tensors } = facts;
    if (!config || !tensors)
        return [];
    const findings = [];
    const { vocabSize, hiddenSize } = config;
    const check = (name, tensor) => {
        const [rows, cols] = tensor.shape;
        const rowsOk = vocabSize === undefined || rows === vocabSize;
        const colsOk = hiddenSize === undefined || cols === hiddenSize;
        if (tensor.shape.length === 2 && rowsOk && colsOk)
            return;
        findings.push(finding(facts, {
            rule: 'EMBED-SHAPE',
            severity: 'error',
            at: 'config',
            artifact: tensor.file,
            message: `${name} in ${tensor.file} has shape [${tensor.shape.join(', ')}], but ${config.file} says [vocab_size ${vocabSize ?? '?'}, hidden_size ${hiddenSize ?? '?'}]`,
            fix: 'Make config.json describe these weights (or export the weights that match it).',
        }));
    };
    let lmHead = false;
    for (const [name, tensor] of tensors) {
        if (EMBEDDING.test(name))
            check(name, tensor);
        else if (LM_HEAD.test(name)) {
            lmHead = true;
            check(name, tensor);
        }
    }
    if (!config.tieWordEmbeddings && !lmHead) {
        findings.push(finding(facts, {
            rule: 'TIED',
            severity: 'error',
            at: 'config',
            artifact: config.file,
            message: `${config.file} sets tie_word_embeddings: false, but no lm_head tensor is in the weights: the output layer would be randomly initialised`,
            fix: 'Export lm_head.weight with the weights, or set tie_word_embeddings: true if the model really shares them.',
        }));
    }
    return findings;
};

/** The rules that compute with each value: when it is unusable, none of them can check. */
const NEEDED_BY = {
    vocab_size: ['VOCAB-FITS', 'VOCAB-PAD', 'IDS-IN-RANGE', 'EMBED-SHAPE'],
    hidden_size: ['EMBED-SHAPE'],
    max_position_embeddings: ['MAX-LEN'],
    bos_token_id: ['IDS-IN-RANGE', 'IDS-AGREE'],
    eos_token_id: ['IDS-IN-RANGE', 'IDS-AGREE', 'CHAT-STOP'],
    pad_token_id: ['IDS-IN-RANGE', 'PAD'],
    model_max_length: ['MAX-LEN'],
    'rope_scaling.factor': ['MAX-LEN'],
    tie_word_embeddings: ['TIED'],
    model_type: ['CLASS'],
};
/**
 * ARTIFACT-INVALID for the values rules compute with: a value that is there
 * but unusable (a string, null, a list, a fraction, 1e308, a negative size) is
 * an error naming the rules it stops; a value that is missing where a rule
 * needs it is reported with that rule's severity (an error for VOCAB-FITS,
 * IDS-IN-RANGE and EMBED-SHAPE, a warning for MAX-LEN), so no check vanishes
 * without a word.
 */
const configValues = (facts) => [...unusableValues(facts), ...missingValues(facts)];
function unusableValues(facts) {
    const problems = [
        ...(facts.config?.problems ?? []),
        ...(facts.generation?.problems ?? []),
        ...facts.settings.problems,
    ];
    return problems.map((problem) => finding(facts, {
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        at: artifactKey(facts, problem.file),
        artifact: problem.file,
        message: `${problem.file}: ${problem.key} is ${problem.shown} (${problem.why}): ${ruleList(NEEDED_BY[problem.field])} cannot check without it`,
        fix: `Write ${problem.key} as ${EXPECTED[problem.field]}.`,
    }));
}
function missingValues(facts) {
    const config = facts.config;
    if (!config)
        return [];
    const findings = [];
    const reported = new Set(config.problems.map((p) => p.field));
    const nested = config.text !== config.raw;
    const missing = (field, keys, needs, severity, fix) => {
        const rules = needs.filter(([, needed]) => needed).map(([rule]) => rule);
        if (!rules.length || reported.has(field))
            return;
        findings.push(finding(facts, {
            rule: 'ARTIFACT-INVALID',
            severity,
            at: 'config',
            artifact: config.file,
            message: `${config.file} has no ${keys}: ${ruleList(rules)} cannot check without it`,
            fix,
        }));
    };
    if (config.vocabSize === undefined) {
        const declaresIds = [config.ids, facts.generation].some((ids) => ids !== undefined && (ids.bos.length > 0 || ids.eos.length > 0 || ids.pad.length > 0));
        missing('vocab_size', nested ? 'vocab_size (in text_config or at the top level)' : 'vocab_size', [
            ['VOCAB-FITS', facts.tokenizer !== undefined],
            ['IDS-IN-RANGE', declaresIds],
            ['EMBED-SHAPE', embeddingTensors(facts).length > 0],
        ], 'error', `Add vocab_size, the number of rows of the embedding, to ${config.file}: without it transformers falls back to a default of the model class that may not match the weights.`);
    }
    if (config.hiddenSize === undefined) {
        missing('hidden_size', 'hidden_size (nor n_embd or d_model)', [['EMBED-SHAPE', embeddingTensors(facts).length > 0]], 'error', `Add hidden_size, the width of the embedding, to ${config.file}.`);
    }
    if (config.maxPositions === undefined && facts.settings.modelMaxLength !== undefined) {
        missing('max_position_embeddings', 'max_position_embeddings (nor n_positions, n_ctx, max_sequence_length, max_seq_len or seq_length)', [['MAX-LEN', true]], 
        // MAX-LEN itself only warns; not being able to run it weighs the same.
        'warning', `Add max_position_embeddings to ${config.file} if the model has a trained context length (model_max_length is ${facts.settings.modelMaxLength}).`);
    }
    return findings;
}
/** "VOCAB-FITS", "VOCAB-FITS and IDS-IN-RANGE", "A, B and C". */
function ruleList(rules) {
    return rules.length > 1 ? `${rules.slice(0, -1).join(', ')} and ${rules.at(-1)}` : (rules[0] ?? '');
}

/** MAX-LEN: the tokenizer does not promise a longer context than the position embeddings (after RoPE scaling) give. */
const maxLen = (facts) => {
    const limit = facts.settings.modelMaxLength;
    const positions = facts.config?.maxPositions;
    if (limit === undefined || positions === undefined)
        return [];
    const effective = positions * facts.config.ropeFactor;
    if (limit <= effective)
        return [];
    const scaled = effective !== positions ? ` (${positions} x rope_scaling factor ${facts.config.ropeFactor})` : '';
    return [
        finding(facts, {
            rule: 'MAX-LEN',
            severity: 'warning',
            at: 'tokenizer_config',
            artifact: facts.paths.tokenizer_config,
            message: `model_max_length ${limit} in ${facts.paths.tokenizer_config} exceeds the ${effective} positions of ${facts.config.file}${scaled}: longer inputs degrade or fail`,
            fix: `Lower model_max_length to ${effective}, or configure rope_scaling for the longer context.`,
        }),
    ];
};

// Tokenizer classes transformers pairs with each model_type (slow and Fast variants).
const TOKENIZERS = {
    llama: ['LlamaTokenizer', 'CodeLlamaTokenizer'],
    mistral: ['LlamaTokenizer'],
    mixtral: ['LlamaTokenizer'],
    qwen2: ['Qwen2Tokenizer'],
    qwen3: ['Qwen2Tokenizer'],
    qwen2_moe: ['Qwen2Tokenizer'],
    gemma: ['GemmaTokenizer'],
    gemma2: ['GemmaTokenizer'],
    gemma3: ['GemmaTokenizer'],
    gemma3_text: ['GemmaTokenizer'],
    gpt2: ['GPT2Tokenizer'],
    gpt_neox: ['GPTNeoXTokenizer'],
    bert: ['BertTokenizer'],
    phi3: ['LlamaTokenizer'],
    deepseek_v3: ['LlamaTokenizer'],
    t5: ['T5Tokenizer'],
};
// Generic classes that serve any model.
const GENERIC = new Set(['PreTrainedTokenizerFast', 'PreTrainedTokenizer', 'TokenizersBackend']);
/** CLASS: config.json names a model_type, and the tokenizer class is one that model uses. */
const modelClass = (facts) => {
    const { config } = facts;
    if (!config)
        return [];
    if (!config.modelType) {
        return [
            finding(facts, {
                rule: 'CLASS',
                severity: 'error',
                at: 'config',
                artifact: config.file,
                message: `${config.file} has no model_type: transformers and vLLM cannot pick an architecture`,
                fix: 'Add model_type (for example "llama") to config.json.',
            }),
        ];
    }
    const tokenizerClass = facts.settings.tokenizerClass;
    const expected = TOKENIZERS[config.modelType];
    if (!tokenizerClass || !expected || GENERIC.has(tokenizerClass))
        return [];
    const base = tokenizerClass.replace(/Fast$/, '');
    if (expected.includes(base))
        return [];
    return [
        finding(facts, {
            rule: 'CLASS',
            severity: 'warning',
            at: 'tokenizer_config',
            artifact: facts.paths.tokenizer_config,
            message: `tokenizer_class ${tokenizerClass} is unusual for model_type ${config.modelType} (expected ${expected.map((c) => `${c}(Fast)`).join(' or ')})`,
            fix: 'Check that the tokenizer files belong to this model.',
        }),
    ];
};

/** SPECIAL-RESOLVES: every named special token is a token. PAD: a pad token exists and is not eos. */
const specialTokens = (facts) => {
    if (!facts.tokenizer)
        return [];
    const findings = [];
    for (const declared of facts.settings.special) {
        if (declared.content === null || tokenId(facts, declared.content) !== undefined)
            continue;
        findings.push(finding(facts, {
            rule: 'SPECIAL-RESOLVES',
            severity: 'error',
            at: artifactKey(facts, declared.source),
            artifact: declared.source,
            message: `${declared.role}_token ${JSON.stringify(declared.content)} in ${declared.source} is neither in the vocabulary of ${facts.tokenizer.file} nor an added token`,
            fix: `Add ${JSON.stringify(declared.content)} as an added token, or name a token that exists.`,
        }));
    }
    const pad = specialToken(facts, 'pad');
    const padId = specialId(facts, 'pad') ?? facts.generation?.pad[0] ?? facts.config?.ids.pad[0];
    const eosId = specialId(facts, 'eos');
    const where = facts.paths.tokenizer_config ? 'tokenizer_config' : 'tokenizer';
    if (padId === undefined && !pad?.content) {
        findings.push(finding(facts, {
            rule: 'PAD',
            severity: 'warning',
            at: where,
            message: 'no pad token is defined (tokenizer, config or generation_config): batched inference and fine-tuning must pick one',
            fix: 'Set pad_token in tokenizer_config.json (a dedicated token, not eos).',
        }));
    }
    else if (padId !== undefined && padId === eosId) {
        findings.push(finding(facts, {
            rule: 'PAD',
            severity: 'warning',
            at: where,
            message: `the pad token is the eos token (id ${padId}): if padding is masked from the loss, the model never learns to stop`,
            fix: 'Use a dedicated pad token.',
        }));
    }
    return findings;
};
/** Roles whose ids config.json and generation_config.json carry. */
const ID_ROLES = ['bos', 'eos', 'pad'];
/**
 * IDS-IN-RANGE: bos/eos/pad ids index the embedding. IDS-AGREE: they are the
 * tokenizer's. Negative ids are out of range whatever vocab_size says; without
 * a usable vocab_size, config-values reports that the upper bound could not be
 * checked.
 */
const tokenIds = (facts) => {
    const findings = [];
    const vocabSize = facts.config?.vocabSize;
    const sources = [
        facts.config && { key: 'config', file: facts.config.file, ids: facts.config.ids },
        facts.generation && { key: 'generation_config', file: facts.generation.file, ids: facts.generation },
    ].filter((s) => s !== undefined);
    for (const source of sources) {
        for (const role of ID_ROLES) {
            const bad = source.ids[role].filter((id) => id < 0 || (vocabSize !== undefined && id >= vocabSize));
            if (!bad.length)
                continue;
            const range = vocabSize === undefined
                ? 'negative: ids index the embedding from 0'
                : `outside [0, ${vocabSize}) (vocab_size of ${facts.config.file})`;
            findings.push(finding(facts, {
                rule: 'IDS-IN-RANGE',
                severity: 'error',
                at: source.key,
                artifact: source.file,
                message: `${role}_token_id ${bad.join(', ')} in ${source.file} is ${range}`,
                fix: `Use the tokenizer's ${role} id.`,
            }));
        }
    }
    if (!facts.tokenizer)
        return findings;
    const bos = specialId(facts, 'bos');
    for (const source of sources) {
        const declared = source.ids.bos;
        if (bos !== undefined && declared.length && !declared.includes(bos)) {
            findings.push(finding(facts, {
                rule: 'IDS-AGREE',
                severity: 'error',
                at: source.key,
                artifact: source.file,
                message: `bos_token_id ${declared.join(', ')} in ${source.file} is not the tokenizer's bos token ${JSON.stringify(specialToken(facts, 'bos')?.content)} (id ${bos})`,
                fix: `Set bos_token_id to ${bos}, or fix bos_token in the tokenizer files.`,
            }));
        }
    }
    const eos = specialId(facts, 'eos');
    const stopSource = facts.generation?.eos.length
        ? sources.find((s) => s.key === 'generation_config')
        : sources.find((s) => s.key === 'config');
    if (eos !== undefined && stopSource && stopSource.ids.eos.length && !stopSource.ids.eos.includes(eos)) {
        findings.push(finding(facts, {
            rule: 'IDS-AGREE',
            severity: 'error',
            at: stopSource.key,
            artifact: stopSource.file,
            message: `eos_token_id ${stopSource.ids.eos.join(', ')} in ${stopSource.file} does not include the tokenizer's eos token ${JSON.stringify(specialToken(facts, 'eos')?.content)} (id ${eos}): generation would not stop on it`,
            fix: `Add ${eos} to eos_token_id (it may be a list).`,
        }));
    }
    return findings;
};

/**
 * VOCAB-FITS: every id the tokenizer can emit indexes the embedding. VOCAB-PAD:
 * a larger embedding is noted. Without a usable vocab_size, config-values
 * reports why this could not check.
 */
const vocabFits = (facts) => {
    const { tokenizer, config } = facts;
    const vocabSize = config?.vocabSize;
    if (!tokenizer || !config || vocabSize === undefined)
        return [];
    // A loop, not Math.max(...ids): hundreds of thousands of added tokens overflow the call stack.
    const used = highestTokenId(facts) + 1;
    const over = allAddedTokens(facts).filter((t) => t.id >= vocabSize);
    const baseOver = tokenizer.vocab.maxId >= vocabSize;
    if (baseOver || over.length) {
        const parts = [
            baseOver ? `the ${tokenizer.file} vocabulary reaches id ${tokenizer.vocab.maxId}` : '',
            over.length
                ? `added tokens ${preview(over.map((t) => `${t.content}=${t.id}`))} (from ${[...new Set(over.map((t) => t.source))].join(', ')})`
                : '',
        ].filter(Boolean);
        return [
            finding(facts, {
                rule: 'VOCAB-FITS',
                severity: 'error',
                at: 'config',
                artifact: config.file,
                message: `${parts.join(' and ')}, but ${config.file} has vocab_size ${vocabSize}: those ids have no embedding row`,
                fix: `Resize the embeddings (resize_token_embeddings) so that vocab_size is at least ${used}.`,
            }),
        ];
    }
    if (vocabSize > used) {
        return [
            finding(facts, {
                rule: 'VOCAB-PAD',
                severity: 'info',
                at: 'config',
                artifact: config.file,
                message: `${config.file} vocab_size ${vocabSize} is larger than the tokenizer's ${used} ids (${vocabSize - used} padding rows)`,
            }),
        ];
    }
    return [];
};

/** Every compatibility rule, in report order. Add a rule by adding a file and listing it here. */
const COMPATIBILITY_RULES = [
    configValues,
    vocabFits,
    embedShape,
    addedId,
    specialTokens,
    tokenIds,
    chatTemplate,
    maxLen,
    modelClass,
];
/** Runs every compatibility rule on one model. */
function checkCompatibility(facts) {
    return COMPATIBILITY_RULES.flatMap((rule) => rule(facts));
}

/**
 * sha256 of every file that makes up a model version. The manifest counts
 * without its `version`, so a bump alone is not a change; weights count by
 * the digest already computed (or their LFS pointer's oid), never hashed twice.
 */
async function contentDigests(source, facts) {
    const digests = new Map();
    const { version: _version, ...rest } = facts.manifest;
    digests.set(facts.manifestFile, createHash('sha256').update(stableJson(rest)).digest('hex'));
    for (const path of [...facts.files].sort()) {
        const digest = await source.sha256(path);
        if (digest.ok)
            digests.set(path, digest.value.sha256);
    }
    for (const file of facts.weightFiles.values()) {
        digests.set(file.path, file.kind === 'file' ? file.sha256 : file.pointer.oid);
    }
    return digests;
}
/** The paths whose digests differ between two versions (added and removed included). */
function changedPaths(a, b) {
    const paths = new Set([...a.keys(), ...b.keys()]);
    return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
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
    source;
    manifests;
    names = new Map();
    scan;
    listing;
    constructor(source, manifests) {
        this.source = source;
        this.manifests = manifests;
    }
    /**
     * Every manifest of the tree that declares `name`, and those that may
     * (they mention it) but cannot be parsed to say.
     */
    async declaring(name) {
        const { mentions, settled } = await this.scanTree();
        const files = [];
        const unreadable = [];
        for (const file of [...new Set([...(mentions.get(name) ?? []), ...settled])].sort()) {
            const declared = await this.nameOf(file);
            if ('problem' in declared)
                unreadable.push(file);
            else if (declared.name === name)
                files.push(file);
        }
        return { files, unreadable };
    }
    /** Records that `file` declares `name` (its caller parsed it already): it is not read again to say. */
    remember(file, name) {
        if (!this.names.has(file))
            this.names.set(file, Promise.resolve({ name }));
    }
    /** Which of `files` (manifests of this tree) declare `name`: each read and parsed once per run. */
    async declaringAmong(name, files) {
        const declaring = [];
        for (const file of files) {
            const declared = await this.nameOf(file);
            if ('name' in declared && declared.name === name)
                declaring.push(file);
        }
        return declaring;
    }
    /**
     * The manifest that declares `name`: the first of `likely` that does (read
     * alone), else the tree's one manifest that does.
     */
    async find(name, likely, recorded) {
        const listed = new Set(await this.list());
        for (const file of new Set([...(recorded ? [recorded] : []), ...likely])) {
            // A likely path counts only when it is one of the tree's manifests (its globs): a copy elsewhere
            // (an example under docs/ that declares the name) is not the model. The release's own
            // Manifest: line is trusted wherever it points: the globs may have changed since.
            if (file !== recorded && !listed.has(file))
                continue;
            const declared = await this.nameOf(file);
            if ('name' in declared && declared.name === name)
                return this.load(name, file);
        }
        const { files, unreadable } = await this.declaring(name);
        if (files.length > 1)
            return {
                kind: 'unknown',
                reason: `${files.join(', ')} at ${this.source.label} all declare name "${name}"`,
            };
        if (files[0] !== undefined)
            return this.load(name, files[0]);
        if (unreadable.length)
            return {
                kind: 'unknown',
                reason: `${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', …' : ''} at ${this.source.label} cannot be read, so whether it declares "${name}" cannot be told`,
            };
        return { kind: 'absent' };
    }
    async load(name, file) {
        const loaded = await loadModel(this.source, file);
        if (loaded.facts?.name === name)
            return { kind: 'found', file, facts: loaded.facts, source: this.source };
        const why = loaded.findings.find((f) => f.severity === 'error')?.message ?? 'it does not load';
        return { kind: 'unknown', reason: `${file} at ${this.source.label} declares "${name}" but ${why}` };
    }
    /** The tree's manifests (its globs), listed once. */
    list() {
        this.listing ??= this.manifests();
        return this.listing;
    }
    scanTree() {
        this.scan ??= (async () => {
            const mentions = new Map();
            const settled = [];
            const mention = (word, file) => {
                const holders = mentions.get(word);
                if (holders)
                    holders.push(file);
                else
                    mentions.set(word, [file]);
            };
            // A manifest whose name is known (read already, or parsed here: an escape, a large text) is
            // listed under that name; one that cannot say is settled: it may declare any name. Listing
            // every read manifest as settled made each lookup walk the whole tree: quadratic in models.
            const byName = async (file, declared) => {
                const known = await declared;
                if ('name' in known)
                    mention(known.name, file);
                else
                    settled.push(file);
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
                }
                else if (text.includes('\\') || text.length > WORDS_MAX_CHARS)
                    await byName(file, this.nameOf(file, text));
                else
                    for (const word of new Set(text.split(NOT_A_NAME_CHARACTER)))
                        mention(word, file);
            }
            return { mentions, settled };
        })();
        return this.scan;
    }
    nameOf(file, known) {
        let declared = this.names.get(file);
        if (!declared) {
            declared = (async () => {
                const text = known ?? (await this.text(file));
                if (typeof text !== 'string')
                    return text;
                // rawName is read before the schema: a manifest of a schema it fails still says whose it is.
                const name = parseManifest(text, file).rawName;
                return name === undefined ? { problem: 'no readable name' } : { name };
            })();
            this.names.set(file, declared);
        }
        return declared;
    }
    async text(file) {
        const read = await this.source.read(file, MANIFEST_MAX_BYTES);
        return read.ok ? decodeUtf8(read.value) : { problem: read.problem.detail };
    }
}
/**
 * The one place validate and release look a model up by name: in the
 * working tree, at a base commit, and at each of its release tags. Trees are
 * read lazily and once per run.
 */
class ModelManifests {
    repo;
    options;
    trees = new Map();
    messages;
    registrationsRead;
    constructor(repo, options) {
        this.repo = repo;
        this.options = options;
        this.messages = new Map((options.tags ?? []).map((t) => [t.name, t.message]));
    }
    /** Records that the working tree's `file` declares `name`, as validate loaded it: not parsed twice. */
    remember(file, name) {
        this.at().remember(file, name);
    }
    /** The manifests of the working tree (`ref` undefined) or of the repository at `ref`. */
    at(ref) {
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
    async sameName(input) {
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
    get registrations() {
        this.registrationsRead ??= registrationTags(this.options.tags ?? [], this.options.registry);
        return this.registrationsRead;
    }
    /** The tag release `version` of `name` is read at: `name@v1.2.3`, or the numbered tag GTO registered it with. */
    tagOf(name, version) {
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
    async release(name, version, likely, registeredBy) {
        const { tag, problem } = registeredBy
            ? { tag: registeredBy }
            : (this.registrations.get(releaseTag(name, version)) ?? { tag: releaseTag(name, version) });
        if (problem !== undefined)
            return { kind: 'unknown', reason: problem };
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

/**
 * One manifest per model name in a tree. Releases, tags, bases and
 * deployments all know a model by its name: with two manifests declaring it,
 * which one is "the model" would depend on the order files are read, and a
 * copy left behind could carry the version check while the other is changed.
 * `declaring`: the manifests of the tree found to declare the same name
 * (see ModelManifests.sameName).
 */
function checkUniqueName(head, declaring) {
    const others = [...new Set(declaring)].filter((f) => f !== head.manifestFile);
    if (!others.length)
        return [];
    return [
        {
            rule: 'MANIFEST-SCHEMA',
            severity: 'error',
            model: head.name,
            file: head.manifestFile,
            line: head.lineOf(['name']),
            message: `name "${head.name}" is declared by ${others.length + 1} manifests: ${[head.manifestFile, ...others].sort().join(', ')}; a model has one manifest`,
            fix: 'Give each model its own name; to move a model to another folder, move its manifest (git mv) instead of copying it.',
        },
    ];
}

/**
 * What the version check compares `head` with, found by the model's name
 * (never by its path, so moving a manifest to another folder changes
 * nothing about how it is judged):
 * - the manifest at the base commit that declares the name;
 * - when none does but the model has releases (a model brought back), its
 *   newest release, at its tag;
 * - nothing (a new model) only when neither exists.
 * When the base cannot say (a manifest there cannot be read, or several
 * declare the name) or the release cannot be read, the finding says so: the
 * change is not passed as new.
 */
async function findBaseline(manifests, input) {
    const { head, base, released } = input;
    const problem = (message, fix) => ({
        findings: [
            {
                rule: 'SEMVER-BUMP',
                severity: 'error',
                model: head.name,
                file: head.manifestFile,
                line: head.lineOf(['name']),
                message,
                fix,
            },
        ],
    });
    const atBase = await manifests.at(base).find(head.name, [head.manifestFile]);
    if (atBase.kind === 'found')
        return { baseline: await baselineOf(atBase), findings: [], baseFile: atBase.file };
    if (atBase.kind === 'unknown')
        return problem(`cannot compare ${head.name} with the base: ${atBase.reason}`, `Make the base hold exactly one readable manifest declaring name ${head.name}, or compare with another --base.`);
    const newest = [...released].sort(semverCompare).at(-1);
    if (newest === undefined)
        return { findings: [] };
    const atRelease = await manifests.release(head.name, newest, [head.manifestFile]);
    if (atRelease.kind === 'found')
        return { baseline: await baselineOf(atRelease), findings: [] };
    return problem(`${head.name} has releases (newest ${newest}, tag ${manifests.tagOf(head.name, newest)}) but no manifest at the base declares name ${head.name}, and that release cannot be compared with: ${atRelease.kind === 'unknown' ? atRelease.reason : `no manifest at ${manifests.tagOf(head.name, newest)} declares name ${head.name}`}`, `Keep ${head.name}'s manifest in the base until this change is merged (move it with git mv in the same change), or give the model another name.`);
}
/**
 * The content of release `version` of `head`'s model, found by name at its
 * tag, or why it cannot be read (then nothing says the change left it as
 * it was).
 */
async function releasedContent(manifests, head, version, likely) {
    const found = await manifests.release(head.name, version, [head.manifestFile, ...likely]);
    const tag = manifests.tagOf(head.name, version);
    if (found.kind === 'found')
        return { tag, digests: (await baselineOf(found)).digests };
    return {
        tag,
        problem: found.kind === 'unknown' ? found.reason : `no manifest at ${tag} declares name ${head.name}`,
    };
}
async function baselineOf(found) {
    return {
        facts: found.facts,
        source: found.source,
        digests: await contentDigests(found.source, found.facts),
    };
}

/** Kinds of version change, smallest first. */
const BUMPS = ['none', 'patch', 'minor', 'major'];
const bumpRank = (bump) => BUMPS.indexOf(bump);
const largerBump = (a, b) => (bumpRank(a) >= bumpRank(b) ? a : b);
/** How `to` moved from `from`: 'backwards' when it went down. */
function declaredBump(from, to) {
    const order = semver.compare(to, from);
    if (order === 0)
        return 'none';
    if (order < 0)
        return 'backwards';
    const diff = semver.diff(from, to);
    if (diff === 'major' || diff === 'premajor')
        return 'major';
    if (diff === 'minor' || diff === 'preminor')
        return 'minor';
    return 'patch';
}
/**
 * Whether a declared bump covers a required one. Below 1.0.0 the minor number
 * is the breaking one (as Cargo and npm's caret read it), so 0.3.0 -> 0.4.0
 * may carry a breaking change.
 */
function bumpCovers(declared, required, from) {
    if (required === 'major' && declared === 'minor' && semver.major(from) === 0)
        return true;
    return bumpRank(declared) >= bumpRank(required);
}

/** Deep equality of JSON values; object key order does not matter. */
function jsonEqual(a, b) {
    if (a === b)
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
        return false;
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
            return false;
        for (let i = 0; i < a.length; i++)
            if (!jsonEqual(a[i], b[i]))
                return false;
        return true;
    }
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length)
        return false;
    return keysA.every((key) => Object.hasOwn(b, key) &&
        jsonEqual(a[key], b[key]));
}

const EXAMPLES$1 = 3;
/** Ids shown on each side of the first difference. */
const WINDOW = 4;
/**
 * The evidence of a tokenizer change: every corpus line encoded with both
 * versions, as `tokenizer(text)` encodes it (special tokens included, so a
 * flipped add_bos_token shows). Lines whose ids differ are ids that moved:
 * a major change (DESIGN.md, SemVer policy), reported with the first
 * examples side by side. A changed file that encodes every line the same is
 * said to do so (a re-serialisation). The canonical conversation is compared
 * as apply_chat_template encodes it.
 */
function behaviourReasons(comparison) {
    if ('unmeasured' in comparison)
        return [
            {
                bump: 'major',
                file: comparison.file,
                reason: `the tokenizer or chat template changed and the change could not be measured: ${comparison.unmeasured}`,
            },
        ];
    const { base, head, file } = comparison;
    const framed = (side, i) => [
        ...side.behaviour.frame.prefix,
        ...(side.behaviour.ids[i] ?? []),
        ...side.behaviour.frame.suffix,
    ];
    const count = Math.min(base.plan.corpus.length, head.plan.corpus.length);
    const changed = [];
    let changedLines = 0;
    for (let i = 0; i < count; i++) {
        const before = framed(base, i);
        const after = framed(head, i);
        if (sameIds(before, after))
            continue;
        changedLines += 1;
        if (changed.length < EXAMPLES$1) {
            const entry = head.plan.corpus[i];
            changed.push(`${entry.label} ${JSON.stringify(entry.text)}: ${sideBySide(before, after, base.behaviour, head.behaviour)}`);
        }
    }
    const reasons = [];
    if (changedLines)
        reasons.push({
            bump: 'major',
            file,
            reason: `${changedLines} of ${count} corpus lines encode to different ids (ids moved), e.g. ${changed.join('; ')}`,
        });
    else if (comparison.fileChanged)
        reasons.push({
            bump: 'patch',
            file,
            reason: `changed, but all ${count} corpus lines encode to the same ids (a re-serialisation)`,
        });
    if (base.plan.chat && head.plan.chat) {
        const before = base.behaviour.ids[base.plan.chatAt] ?? [];
        const after = head.behaviour.ids[head.plan.chatAt] ?? [];
        if (!sameIds(before, after))
            reasons.push({
                bump: 'patch',
                file: head.plan.chat.file,
                reason: `the canonical conversation encodes to ${after.length} ids (was ${before.length}): ${sideBySide(before, after, base.behaviour, head.behaviour)}`,
            });
    }
    return reasons;
}
function sameIds(a, b) {
    return a.length === b.length && a.every((id, i) => id === b[i]);
}
/** `[… 40, 41] -> [… 40, 99]` around the first difference, with the pieces. */
function sideBySide(before, after, beforeBehaviour, afterBehaviour) {
    let first = 0;
    while (first < before.length && first < after.length && before[first] === after[first])
        first += 1;
    const from = Math.max(0, first - WINDOW);
    const show = (ids, behaviour) => {
        const slice = ids.slice(from, first + WINDOW);
        const head = from > 0 ? '… ' : '';
        const tail = first + WINDOW < ids.length ? ' …' : '';
        const pieces = slice.map((id) => JSON.stringify(behaviour.pieces[String(id)] ?? `#${id}`)).join(' ');
        return `[${head}${slice.join(', ')}${tail}] (${pieces})`;
    };
    return `${show(before, beforeBehaviour)} -> ${show(after, afterBehaviour)}`;
}

/**
 * The smallest version bump that honestly describes the change from `base` to
 * `head` (DESIGN.md "SemVer policy"). Every reason names its file. With
 * `behaviour` (both tokenizers measured on the same corpus), the reasons
 * carry the evidence: how many lines encode to other ids, or that none does.
 */
function requiredBump(base, head, digests, behaviour) {
    const reasons = [
        ...tokenizerChanges(base, head, digests),
        ...specialTokenChanges(base, head),
        ...configChanges(base, head),
        ...templateChanges(base, head),
        ...stopChanges(base, head),
        ...weightChanges(base, head),
        ...(behaviour ? behaviourReasons(behaviour) : []),
    ];
    const explained = new Set(reasons.map((r) => r.file));
    for (const [path, digest] of digests.head) {
        if (digests.base.get(path) !== digest && !explained.has(path)) {
            reasons.push({
                bump: 'patch',
                file: path,
                reason: digests.base.has(path) ? 'changed (metadata, eval or documentation)' : 'added',
            });
        }
    }
    for (const path of digests.base.keys()) {
        if (!digests.head.has(path) && !explained.has(path))
            reasons.push({ bump: 'patch', file: path, reason: 'no longer part of the model' });
    }
    const bump = reasons.reduce((max, r) => largerBump(max, r.bump), 'none');
    return { bump, reasons };
}
function tokenizerChanges(base, head, digests) {
    const before = base.tokenizer;
    const after = head.tokenizer;
    if (!before || !after)
        return [];
    const file = after.file;
    const reasons = [];
    // The same bytes parse to the same model type, pipeline and vocabulary: only added tokens, which
    // other files (tokenizer_config.json) declare too, are left to compare. Most changes leave the
    // tokenizer alone, and walking a 128k vocabulary and its merges twice cost most of a --base run.
    const sameFile = digests.base.get(before.file) !== undefined && digests.base.get(before.file) === digests.head.get(file);
    if (!sameFile && (before.format !== after.format || before.modelType !== after.modelType)) {
        reasons.push({
            bump: 'major',
            file,
            reason: `tokenizer changed from ${before.modelType} (${before.format}) to ${after.modelType} (${after.format})`,
        });
    }
    const parts = sameFile ? [] : new Set([...Object.keys(before.pipeline), ...Object.keys(after.pipeline)]);
    for (const part of parts) {
        if (!jsonEqual(before.pipeline[part], after.pipeline[part]))
            reasons.push({ bump: 'major', file, reason: `tokenizer ${part} changed` });
    }
    const moved = [];
    const removed = [];
    const check = (token, id) => {
        const now = tokenId(head, token);
        if (now === undefined)
            removed.push(token);
        else if (now !== id)
            moved.push(`${JSON.stringify(token)} ${id} -> ${now}`);
    };
    if (!sameFile)
        for (const [token, id] of before.vocab.entries())
            check(token, id);
    for (const token of allAddedTokens(base))
        check(token.content, token.id);
    if (removed.length)
        reasons.push({
            bump: 'major',
            file,
            reason: `${removed.length} token(s) removed: ${sample(removed.map((t) => JSON.stringify(t)))}`,
        });
    if (moved.length)
        reasons.push({
            bump: 'major',
            file,
            reason: `${moved.length} token(s) moved to another id: ${sample(moved)}`,
        });
    // A loop, not Math.max(...ids): hundreds of thousands of added tokens overflow the call stack.
    const oldMax = highestTokenId(base);
    const appended = [];
    const filled = [];
    const seen = (token) => tokenId(base, token) !== undefined;
    if (!sameFile)
        for (const [token, id] of after.vocab.entries())
            if (!seen(token))
                (id > oldMax ? appended : filled).push(token);
    for (const token of allAddedTokens(head))
        if (!seen(token.content))
            (token.id > oldMax ? appended : filled).push(token.content);
    if (appended.length)
        reasons.push({
            bump: 'minor',
            file,
            reason: `${unique(appended).length} token(s) appended above id ${oldMax}: ${sample(unique(appended).map((t) => JSON.stringify(t)))}`,
        });
    if (filled.length)
        reasons.push({
            bump: 'minor',
            file,
            reason: `${unique(filled).length} token(s) added at unused ids: ${sample(unique(filled).map((t) => JSON.stringify(t)))}`,
        });
    return reasons;
}
function specialTokenChanges(base, head) {
    const reasons = [];
    for (const role of SPECIAL_ROLES) {
        const before = specialToken(base, role)?.content ?? null;
        const after = specialToken(head, role);
        const afterContent = after?.content ?? null;
        const file = after?.source ?? head.paths.tokenizer_config ?? head.tokenizer?.file ?? head.manifestFile;
        if (before !== afterContent) {
            reasons.push({
                bump: 'major',
                file,
                reason: `${role}_token changed from ${JSON.stringify(before)} to ${JSON.stringify(afterContent)}`,
            });
            continue;
        }
        const idBefore = before === null ? undefined : tokenId(base, before);
        const idAfter = afterContent === null ? undefined : tokenId(head, afterContent);
        if (idBefore !== idAfter)
            reasons.push({
                bump: 'major',
                file,
                reason: `${role}_token ${JSON.stringify(before)} changed id from ${idBefore} to ${idAfter}`,
            });
    }
    return reasons;
}
function configChanges(base, head) {
    const before = base.config;
    const after = head.config;
    const reasons = [];
    if (before && after) {
        const file = after.file;
        for (const field of ARCHITECTURE_FIELDS) {
            const a = architectureField(before, field);
            const b = architectureField(after, field);
            if (a !== b)
                reasons.push({
                    bump: 'major',
                    file,
                    reason: `${field} changed from ${a ?? 'unset'} to ${b ?? 'unset'}`,
                });
        }
        reasons.push(...sizeChange(file, 'vocab_size', before.vocabSize, after.vocabSize));
        reasons.push(...sizeChange(file, 'max_position_embeddings', before.maxPositions, after.maxPositions));
    }
    const tokenizerConfig = head.paths.tokenizer_config ?? head.tokenizer?.file ?? head.manifestFile;
    reasons.push(...sizeChange(tokenizerConfig, 'model_max_length', base.settings.modelMaxLength, head.settings.modelMaxLength));
    return reasons;
}
function architectureField(config, field) {
    const value = config.text[field] ?? config.raw[field];
    return value === undefined ? undefined : stableJson(value);
}
function sizeChange(file, field, before, after) {
    if (before === undefined || after === undefined || before === after)
        return [];
    return after < before
        ? [{ bump: 'major', file, reason: `${field} decreased from ${before} to ${after}` }]
        : [{ bump: 'minor', file, reason: `${field} increased from ${before} to ${after}` }];
}
function templateChanges(base, head) {
    const before = effectiveTemplate(base);
    const after = effectiveTemplate(head);
    if (!before && !after)
        return [];
    if (!after)
        return [{ bump: 'major', file: before.file, reason: 'the chat template was removed' }];
    if (!before)
        return [{ bump: 'minor', file: after.file, reason: 'a chat template was added' }];
    if (before.text === after.text)
        return [];
    const renderedBefore = renderCanonical(before.text, templateVariables(base));
    const renderedAfter = renderCanonical(after.text, templateVariables(head));
    if (!renderedBefore.ok || !renderedAfter.ok) {
        return [
            {
                bump: 'major',
                file: after.file,
                reason: 'the chat template changed and could not be rendered to compare',
            },
        ];
    }
    const squash = (text) => text.replace(/\s+/g, '');
    if (squash(renderedBefore.text) !== squash(renderedAfter.text)) {
        return [
            {
                bump: 'major',
                file: after.file,
                reason: 'the chat template renders a conversation differently (role markers or special tokens)',
            },
        ];
    }
    return [{ bump: 'patch', file: after.file, reason: 'the chat template changed in whitespace only' }];
}
function stopChanges(base, head) {
    const before = new Set(stopIds(base).ids);
    const after = stopIds(head);
    const added = after.ids.filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.ids.includes(id));
    const file = after.file ?? head.manifestFile;
    const reasons = [];
    if (removed.length)
        reasons.push({
            bump: 'major',
            file,
            reason: `stop id(s) ${removed.join(', ')} removed from eos_token_id`,
        });
    if (added.length)
        reasons.push({ bump: 'minor', file, reason: `stop id(s) ${added.join(', ')} added to eos_token_id` });
    return reasons;
}
function weightChanges(base, head) {
    const before = new Set(base.manifest.artifacts.weights.map((w) => w.sha256));
    const after = head.manifest.artifacts.weights.map((w) => w.sha256);
    if (after.length === before.size && after.every((d) => before.has(d)))
        return [];
    return [{ bump: 'minor', file: head.manifestFile, reason: 'new weights (sha256 changed)' }];
}
const unique = (items) => [...new Set(items)];
function sample(items, max = 3) {
    return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ');
}

/** SEMVER-BUMP and VERSION-EXISTS for one model, with the change summary the reports show. */
async function checkVersion(inputs) {
    const { head, headDigests, base, released } = inputs;
    const to = head.manifest.version;
    const at = (message, fix, rule = 'SEMVER-BUMP') => ({
        rule,
        severity: 'error',
        model: head.name,
        file: head.manifestFile,
        line: head.lineOf(['version']),
        message,
        fix,
    });
    const findings = [];
    let restoresRelease = false;
    if (released.has(to)) {
        const tagged = await inputs.releasedContent(to);
        const { tag } = tagged;
        if ('problem' in tagged) {
            // Nothing to compare with is not "no difference": the version is taken, and may be taken by other content.
            findings.push(at(`${head.name} ${to} is already released (tag ${tag}), and this change cannot be compared with that release: ${tagged.problem}`, `Bump the version (released versions are immutable), or make the manifest at ${tag} readable under the manifest globs.`, 'VERSION-EXISTS'));
        }
        else {
            const differs = changedPaths(tagged.digests, headDigests);
            if (differs.length)
                findings.push(at(`${head.name} ${to} is already released (tag ${tag}) with different content: ${differs.slice(0, 5).join(', ')}${differs.length > 5 ? ', …' : ''}`, 'Bump the version; released versions are immutable.', 'VERSION-EXISTS'));
            else
                restoresRelease = true;
        }
    }
    // Moving to a withdrawn version's content is no rollback: the release would assign, and deploy, what GTO
    // holds deregistered (rollback, promote and deploy refuse it). A model left at it changes nothing.
    const restoresWithdrawn = restoresRelease && base !== undefined && base.facts.manifest.version !== to && inputs.withdrawn?.has(to);
    if (restoresWithdrawn)
        restoresRelease = false;
    if (!base) {
        return {
            change: {
                model: head.name,
                path: head.manifestFile,
                status: 'new',
                to,
                declared: 'major',
                required: 'none',
                reasons: [],
            },
            findings,
        };
    }
    const from = base.facts.manifest.version;
    const required = requiredBump(base.facts, head, { base: base.digests, head: headDigests }, inputs.behaviour);
    const declared = declaredBump(from, to);
    const change = {
        model: head.name,
        path: head.manifestFile,
        status: 'changed',
        from,
        to,
        declared,
        required: required.bump,
        reasons: required.reasons,
    };
    if (restoresWithdrawn)
        findings.push(at(`${head.name} ${from} -> ${to}: ${to} is a release GTO holds deregistered, so its content is no rollback and nothing may assign or deploy it`, `Release this content as a new version (${suggest(from, required.bump === 'none' ? 'patch' : required.bump)} or later, above every release), or register ${to} again first (gto register) if deregistering it was a mistake.`));
    if (declared === 'backwards') {
        if (restoresRelease)
            return { change: { ...change, status: 'restored' }, findings };
        if (restoresWithdrawn)
            return { change, findings };
        findings.push(at(`${head.name} went back from ${from} to ${to}${released.has(to) ? ', and the content differs from that release' : `, which was never released (no tag ${releaseTag(head.name, to)})`}`, 'Versions only go up; to roll back, restore the released version exactly (modelgate rollback --plan shows how).'));
        return { change, findings };
    }
    if (declared === 'none' && required.bump === 'none')
        return { change: { ...change, status: 'unchanged' }, findings };
    if (!bumpCovers(declared, required.bump, from)) {
        const list = required.reasons
            .filter((r) => r.bump === required.bump)
            .map((r) => `${r.file}: ${r.reason}`)
            .slice(0, 5)
            .join('; ');
        findings.push(at(declared === 'none'
            ? `${head.name} changed but its version is still ${to}; the change needs a ${required.bump} bump: ${list}`
            : `${head.name} ${from} -> ${to} is a ${declared} bump, but the change needs ${required.bump}: ${list}`, `Set version to ${suggest(from, required.bump)} or later.`));
    }
    return { change, findings };
}
function suggest(from, bump) {
    const [major = 0, minor = 0, patch = 0] = from.split(/[.+-]/).map(Number);
    if (bump === 'major')
        return `${major + 1}.0.0`;
    if (bump === 'minor')
        return `${major}.${minor + 1}.0`;
    return `${major}.${minor}.${patch + 1}`;
}

/**
 * The rule catalogue (docs/rules.md). Every finding names exactly one
 * rule; the ids are a contract: tools filter on them.
 */
const ORDER = { error: 0, warning: 1, info: 2 };
/** Stable order for reports: severity, then file, line and rule. */
function sortFindings(findings) {
    return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] ||
        a.file.localeCompare(b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        a.rule.localeCompare(b.rule) ||
        a.message.localeCompare(b.message));
}
/** Counts per severity. */
function countBySeverity(findings) {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings)
        counts[f.severity] += 1;
    return counts;
}

const is = (value) => (value === undefined ? 'is not set' : `is "${value}"`);
/**
 * Rule DEPLOY-ROUTE: with more than one manifest in the registry, every
 * `deploy:` setting that must name one thing per model (a file, a Kubernetes
 * object, a host name, a server, the weights) has `{model}` in it. Without it
 * the models' deployments write over one another, or one model's route takes
 * another's requests, and nothing fails: nginx ignores all but the first
 * server on a listen and host name, a gateway gives two routes that match the
 * same requests to one of them, and a file or object written twice holds the
 * last model's routing. Judged with the settings the merge deploys with;
 * `file` (the settings file) is where the findings go. With more than one
 * target configured a workflow may send each model to another, so the
 * findings are warnings.
 */
function sharedRouteFindings(deploy, manifests, file) {
    if (!deploy || manifests.length < 2)
        return [];
    const settings = [];
    const { gatewayApi: gateway, kserve, nginx } = deploy;
    if (gateway) {
        // Every host name needs {model}: one without it is matched by every model's route.
        const shared = gateway.hostnames.filter((h) => !h.includes('{model}'));
        if (shared.length || !gateway.hostnames.length)
            settings.push({
                setting: 'deploy.gateway_api.hostnames',
                template: undefined,
                holds: shared.length ? `has ${shared.map((h) => `"${h}"`).join(', ')}` : 'names no host',
                shared: `gets a route that matches the same requests (${shared.length > 1 ? 'those hosts' : shared.length ? 'that host' : 'any host'}, path ${gateway.pathPrefix}), and the gateway gives them all to one model`,
                example: '[{model}.llm.example.com]',
            });
        settings.push({
            setting: 'deploy.gateway_api.name',
            template: gateway.name,
            holds: is(gateway.name),
            shared: 'writes one HTTPRoute, each deployment replacing the last model’s routing',
            example: '{model}',
        }, {
            setting: 'deploy.gateway_api.gitops.path',
            template: gateway.gitops.path,
            holds: is(gateway.gitops.path),
            shared: 'commits one file, each deployment replacing the last model’s routing',
            example: 'apps/{model}/httproute.yaml',
        }, {
            setting: 'deploy.gateway_api.service',
            template: gateway.service,
            holds: is(gateway.service),
            shared: 'sends a version’s requests to one Service, whichever model’s version it is',
            example: '{model}-{version}',
        });
    }
    if (kserve)
        settings.push({
            setting: 'deploy.kserve.name',
            template: kserve.name,
            holds: is(kserve.name),
            shared: 'writes one InferenceService, each deployment replacing the last model',
            example: '{model}',
        }, {
            setting: 'deploy.kserve.gitops.path',
            template: kserve.gitops.path,
            holds: is(kserve.gitops.path),
            shared: 'commits one file, each deployment replacing the last model',
            example: 'apps/{model}/inferenceservice.yaml',
        }, {
            setting: 'deploy.kserve.storage_uri',
            template: kserve.storageUri,
            holds: is(kserve.storageUri),
            shared: 'serves the same weights for a version, whichever model’s version it is',
            example: 's3://models/{model}/{version}',
        });
    if (nginx) {
        const upstream = typeof nginx.upstream === 'string' ? nginx.upstream : undefined;
        settings.push({
            setting: 'deploy.nginx.path',
            template: nginx.path,
            holds: is(nginx.path),
            shared: 'writes one file, each deployment replacing the last model’s servers',
            example: 'deploy/nginx/{model}.conf',
        }, {
            setting: 'deploy.nginx.server_name',
            template: nginx.serverName,
            holds: is(nginx.serverName),
            shared: `gets a server on ${nginx.listen} with the same host name, and nginx answers every request with the first one it reads`,
            example: '{model}.llm.internal',
        }, {
            setting: 'deploy.nginx.upstream',
            template: upstream,
            holds: upstream === undefined ? 'lists one address per version' : is(upstream),
            shared: 'sends a version’s requests to one address, whichever model’s version it is',
            example: '{model}-{version}.internal:8000',
            ...(upstream === undefined
                ? {
                    fix: 'Make deploy.nginx.upstream a template with {model} and {version} instead of a list of versions, such as {model}-{version}.internal:8000 or unix:/run/llm/{model}-{version}.sock',
                }
                : {}),
        });
    }
    const holding = `${manifests.length} manifests (${listed(manifests)})`;
    // With several targets, a workflow may send each model to another (the Action's `target`): that
    // every model shares each one is then not known, only possible.
    const targets = [gateway, kserve, nginx].filter(Boolean).length;
    const when = (target) => targets > 1 ? ` (if more than one model deploys to ${target}: ${targets} targets are configured)` : '';
    return settings
        .filter(({ template }) => !template?.includes('{model}'))
        .map(({ setting, holds, shared, example, fix }) => ({
        rule: 'DEPLOY-ROUTE',
        severity: targets > 1 ? 'warning' : 'error',
        model: file,
        file,
        message: `${setting} ${holds}, without {model}, and this registry holds ${holding}: every model ${shared}${when(setting.split('.')[1])}.`,
        fix: `${fix ?? `Put {model} in ${setting} (for example ${example})`} in ${file}, in this change or in one merged before it.`,
    }));
}
/** At most three paths, then how many more. */
function listed(paths) {
    const shown = paths.slice(0, 3).join(', ');
    return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}
/**
 * Rule DEPLOY-ROUTE, for names a template gives each model: a Kubernetes
 * name is lower case with every other character run made `-`, so two models
 * (`team/bot`, `team-bot`) can get one object (an InferenceService, an
 * HTTPRoute, a Service) from a template that has `{model}`, and each
 * deployment of one replaces the other's. `models` are the names known
 * (validated, and released ones when the tags were read).
 */
function kubernetesNameFindings(deploy, models, file) {
    if (!deploy)
        return [];
    const { gatewayApi: gateway, kserve } = deploy;
    const named = [
        ...(gateway
            ? [
                { setting: 'deploy.gateway_api.name', template: gateway.name, object: 'HTTPRoute' },
                { setting: 'deploy.gateway_api.service', template: gateway.service, object: 'Service' },
            ]
            : []),
        ...(kserve ? [{ setting: 'deploy.kserve.name', template: kserve.name, object: 'InferenceService' }] : []),
    ];
    const findings = [];
    for (const { setting, template, object } of named) {
        if (!template.includes('{model}'))
            continue; // sharedRouteFindings says it
        const byName = new Map();
        for (const model of new Set(models)) {
            const name = kubernetesName(expandTemplate(template, { model, version: '1.0.0' }));
            if (name)
                byName.set(name, [...(byName.get(name) ?? []), model]);
        }
        for (const [name, same] of byName)
            if (same.length > 1)
                findings.push({
                    rule: 'DEPLOY-ROUTE',
                    severity: 'error',
                    model: file,
                    file,
                    message: `${setting} "${template}" gives the models ${same.join(', ')} one ${object} (${name}, for version 1.0.0): Kubernetes names are lower case with every other character made "-", so each deployment of one replaces the other's.`,
                    fix: `Rename one of the models, or make ${setting} tell them apart, in ${file}.`,
                });
    }
    return findings;
}

/** Repository paths of every file a manifest references (unresolvable references left out). */
function referencedPaths(manifest, manifestFile) {
    const { weights, ...files } = manifest.artifacts;
    const refs = [
        ...Object.values(files),
        ...weights.map((w) => w.path),
        ...(manifest.eval?.results ?? []).flatMap((r) => [r.path, ...Object.values(r.samples ?? {})]),
        ...(manifest.eval?.suites ?? []).map((s) => (typeof s.scorer === 'object' ? s.scorer.schema : undefined)),
        ...(manifest.eval?.suites ?? []).map((s) => s.dataset),
        ...rolloutFileReferences(manifest.rollout).map(([, ref]) => ref),
    ].filter((ref) => typeof ref === 'string');
    return refs.flatMap((ref) => {
        const resolved = resolveArtifactPath(manifestFile, ref);
        return resolved.ok ? [resolved.path] : [];
    });
}

/** Above this share of unknown ids on the corpus, a tokenizer with an unk token is reported. */
const UNK_RATE_LIMIT = 0.01;
/** Examples a finding quotes. */
const EXAMPLES = 3;
/**
 * The behavioural rules, on a tokenizer's measured behaviour (encoded corpus,
 * rendered chat): special strings of the chat template are one id each and
 * the end of turn is a stop id (SPECIAL-RESOLVES, CHAT-STOP), the
 * conversation starts with exactly one BOS (DOUBLE-BOS), byte-level
 * tokenizers decode what they encode (ROUND-TRIP), and unknown tokens stay
 * rare (UNK-RATE). Pure: the measurement is made before.
 */
function tokenizerBehaviourFindings(facts, plan, behaviour) {
    return [
        ...markerFindings(facts, plan, behaviour),
        ...bosFindings(facts, plan, behaviour),
        ...roundTripFindings(facts, plan, behaviour),
        ...unknownFindings(facts, plan, behaviour),
    ];
}
/** `[27, 91, 68]` ("<", "|", "e"): ids and their pieces, capped. */
function showIds(ids, behaviour, max = 12) {
    const shown = ids.slice(0, max);
    const more = ids.length > max ? `, … ${ids.length - max} more` : '';
    const pieces = shown.map((id) => JSON.stringify(behaviour.pieces[String(id)] ?? `#${id}`));
    return `[${shown.join(', ')}${more}] (${pieces.join(', ')}${more ? ', …' : ''})`;
}
function markerFindings(facts, plan, behaviour) {
    const chat = plan.chat;
    const tokenizer = facts.tokenizer;
    if (!chat || !tokenizer)
        return [];
    const findings = [];
    chat.markers.forEach((marker, i) => {
        const ids = behaviour.ids[plan.chatAt + 1 + i] ?? [];
        if (ids.length === 1) {
            findings.push(...unknownEndOfTurn(facts, chat.file, marker, ids[0]));
            return;
        }
        const listedElsewhere = marker.known && !marker.inAddedTokens;
        const why = listedElsewhere
            ? `; it is listed in ${facts.paths.tokenizer_config ?? 'the tokenizer files'} but not in added_tokens of ${tokenizer.file}, and runtimes that read tokenizer.json alone (the tokenizers library, TGI, tokenizers.js) match only those as one token`
            : marker.known
                ? ''
                : `; no file of the model names it as a token`;
        const encodes = `${tokenizer.file} encodes it to ${ids.length} ids ${showIds(ids, behaviour)}`;
        findings.push(finding(facts, {
            rule: marker.endOfTurn ? 'CHAT-STOP' : 'SPECIAL-RESOLVES',
            severity: 'error',
            at: artifactKey(facts, chat.file),
            artifact: chat.file,
            message: marker.endOfTurn
                ? `the chat template in ${chat.file} ends assistant turns with ${JSON.stringify(marker.text)}, but ${encodes}${why}: the model never produces it as one token, so generation does not stop at the end of its turn`
                : `the chat template in ${chat.file} writes ${JSON.stringify(marker.text)}, but ${encodes}${why}: the model sees ordinary text where it was trained on one special token`,
            fix: marker.known
                ? `List ${JSON.stringify(marker.text)} in added_tokens of ${tokenizer.file} (with "special": true and the id the model was trained with); regenerate the files with save_pretrained.`
                : `Write the model's own ${marker.endOfTurn ? 'end-of-turn' : 'special'} token in the template, or add ${JSON.stringify(marker.text)} as an added token the model was trained with.`,
        }));
    });
    return findings;
}
/** An end-of-turn string no file names as a token but that happens to be one id must still be a stop id (CHAT-STOP on ids). */
function unknownEndOfTurn(facts, file, marker, id) {
    if (!marker.endOfTurn || marker.known)
        return [];
    const stop = stopIds(facts);
    if (!stop.file || stop.ids.includes(id))
        return [];
    return [
        finding(facts, {
            rule: 'CHAT-STOP',
            severity: 'error',
            at: facts.generation ? 'generation_config' : 'config',
            artifact: stop.file,
            message: `the chat template in ${file} ends assistant turns with ${JSON.stringify(marker.text)} (id ${id}), but eos_token_id in ${stop.file} is [${stop.ids.join(', ')}]: generation runs past the end of the turn`,
            fix: `Add ${id} to eos_token_id in ${stop.file}.`,
        }),
    ];
}
function bosFindings(facts, plan, behaviour) {
    const chat = plan.chat;
    const bosId = specialId(facts, 'bos');
    const ids = behaviour.ids[plan.chatAt];
    if (!chat || bosId === undefined || !ids)
        return [];
    let leading = 0;
    while (ids[leading] === bosId)
        leading += 1;
    const bos = JSON.stringify(behaviour.pieces[String(bosId)] ?? `#${bosId}`);
    const start = showIds(ids.slice(0, 6), behaviour);
    const at = artifactKey(facts, chat.file);
    if (leading >= 2)
        return [
            finding(facts, {
                rule: 'DOUBLE-BOS',
                severity: 'error',
                at,
                artifact: chat.file,
                message: `the canonical conversation rendered by ${chat.file} starts with ${leading} BOS tokens (${bos}, id ${bosId}) before any special token is added: ${start}`,
                fix: 'Write bos_token once, at the very start of the template.',
            }),
        ];
    if (leading === 0 && behaviour.frame.prefix.includes(bosId))
        return [
            finding(facts, {
                rule: 'DOUBLE-BOS',
                severity: 'warning',
                at,
                artifact: chat.file,
                message: `the canonical conversation rendered by ${chat.file} starts without BOS (${start}), but ${facts.tokenizer?.file} puts ${bos} (id ${bosId}) before every text: apply_chat_template and vLLM encode rendered chats without special tokens, so the model sees chats without the BOS it was trained with`,
                fix: 'Start the template with {{ bos_token }}.',
            }),
        ];
    return [];
}
// Canonically equivalent texts are the same text: an NFC normaliser (Qwen 2.5) is no round-trip failure.
const sameText = (a, b) => a === b || a.normalize('NFC') === b.normalize('NFC');
function roundTripFindings(facts, plan, behaviour) {
    if (!behaviour.byteLevel || !facts.tokenizer)
        return [];
    // Text around a special token is the pre-tokenizer's business (Llama 2's legacy mode adds a space after one), not the decoder's.
    const special = facts.tokenizer.added.filter((t) => t.special && t.content !== '').map((t) => t.content);
    const broken = plan.corpus.flatMap((entry, i) => {
        const back = behaviour.decoded[i];
        if (back === null || back === undefined || sameText(back, entry.text))
            return [];
        return special.some((token) => entry.text.includes(token)) ? [] : [{ entry, back }];
    });
    if (!broken.length)
        return [];
    const examples = broken
        .slice(0, EXAMPLES)
        .map(({ entry, back }) => `${entry.label} ${JSON.stringify(entry.text)} comes back as ${JSON.stringify(back)}`);
    return [
        finding(facts, {
            rule: 'ROUND-TRIP',
            severity: 'error',
            at: 'tokenizer',
            artifact: facts.tokenizer.file,
            message: `${facts.tokenizer.file} is byte-level but does not decode what it encodes: ${broken.length} of ${plan.corpus.length} corpus lines change, e.g. ${preview(examples, EXAMPLES)}`,
            fix: 'Check the normalizer and decoder of the tokenizer: a byte-level tokenizer gives back every text it encodes (a lowercasing or folding normalizer, or a decoder that drops bytes, breaks this). Regenerate tokenizer.json with the library that trained it.',
        }),
    ];
}
function unknownFindings(facts, plan, behaviour) {
    const unk = behaviour.unkId;
    if (unk === undefined || !facts.tokenizer || !plan.corpus.length)
        return [];
    const unkPiece = behaviour.pieces[String(unk)];
    let total = 0;
    let unknown = 0;
    const lines = [];
    plan.corpus.forEach((entry, i) => {
        const ids = behaviour.ids[i] ?? [];
        total += ids.length;
        // The unknown token written literally ("<unk>") is that token, not unknown text.
        const literal = unkPiece ? entry.text.split(unkPiece).length - 1 : 0;
        const count = Math.max(0, ids.filter((id) => id === unk).length - literal);
        unknown += count;
        if (count && lines.length < EXAMPLES)
            lines.push(`${entry.label} ${JSON.stringify(entry.text)}`);
    });
    const rate = total ? unknown / total : 0;
    const byteLevel = behaviour.byteLevel;
    if (unknown === 0 || (!byteLevel && rate <= UNK_RATE_LIMIT))
        return [];
    const share = `${unknown} of ${total} ids (${(rate * 100).toFixed(1)}%)`;
    return [
        finding(facts, {
            rule: 'UNK-RATE',
            severity: byteLevel ? 'error' : 'warning',
            at: 'tokenizer',
            artifact: facts.tokenizer.file,
            message: byteLevel
                ? `${facts.tokenizer.file} is byte-level, so no text should be unknown, yet ${share} of the corpus are the unknown token ${JSON.stringify(behaviour.pieces[String(unk)] ?? unk)}: ${preview(lines, EXAMPLES)}`
                : `${share} of the corpus encode to the unknown token ${JSON.stringify(behaviour.pieces[String(unk)] ?? unk)}, more than ${UNK_RATE_LIMIT * 100}%: ${preview(lines, EXAMPLES)}`,
            fix: byteLevel
                ? 'Check model.byte_fallback and the byte tokens (<0x00> … <0xFF>) of the tokenizer: with byte fallback, unknown characters become bytes, never the unknown token.'
                : 'Train the tokenizer on text like the corpus, enable byte fallback, or add the missing characters to the vocabulary.',
        }),
    ];
}

/**
 * The reference corpus modelgate encodes with a tokenizer to judge its
 * behaviour: a few hundred short lines, written for modelgate, that cover what
 * real prompts hold and where tokenizers differ: prose in many scripts
 * (CJK and right-to-left included), code, numbers, emoji, whitespace and
 * control characters, Unicode that normalisers change, and strings that look
 * like markup or special tokens. It is embedded as a module (not a data file)
 * so the CLI, the bundled Action and the app carry the same corpus with no
 * file to find at run time. Changing a line changes what `--base` compares:
 * both versions are always encoded with the same corpus, so the comparison
 * stays fair, but the counts in reports move.
 *
 * No line holds U+2581 (the SentencePiece space marker), which Metaspace
 * tokenizers decode as a space by design, nor a lone surrogate, which has no
 * UTF-8 encoding.
 */
const SECTIONS = {
    prose: [
        'Hello world',
        'The quick brown fox jumps over the lazy dog.',
        "It's a truth universally acknowledged, isn't it?",
        'Please summarise the following support ticket in two sentences.',
        'You are a helpful assistant. Answer concisely.',
        'What is the capital of Australia? Canberra, not Sydney.',
        'Dr. Smith arrived at 9 a.m. on Jan. 3rd, e.g. before the meeting.',
        'The U.S.A., the U.K. and the E.U. signed the agreement.',
        '"Quoted text," she said, \'and single quotes too.\'',
        'Re: [URGENT] Fwd: invoice #4471 (overdue)',
        'I love New York!!! :) ;-) <3',
        'Mr. O’Neil’s résumé—revised—was accepted…',
        'ALL CAPS SENTENCE WITH SHOUTING.',
        'mIxEd CaSe tExT iS hArD fOr SoMe ToKeNiZeRs',
        'antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
        'Supercalifragilisticexpialidocious',
        'hyphen-ated words, well-known, state-of-the-art',
        'e-mail: first.last+tag@example.com',
        'Visit https://example.com/path?query=1&lang=en#section for details.',
        'C:\\Users\\Public\\Documents\\report.docx',
        '/usr/local/bin/python3 --version',
        'A sentence ending without punctuation',
        'one',
        'a',
        'I',
        '.',
        '?!',
        'Tokenization',
        ' tokenization',
        'TOKENIZATION',
    ],
    latin: [
        'Größenwahn ist keine Straßenbahn.',
        'Die Brötchen kosten 3,50 €.',
        'Ça va très bien, merci ! L’été dernier, à Noël…',
        'Où est la bibliothèque ? À côté de l’hôpital.',
        '¿Dónde está el baño? ¡Aquí!',
        'El niño comió piña y jalapeños.',
        'Não há nada como o pão de queijo.',
        'Zażółć gęślą jaźń.',
        'Příliš žluťoučký kůň úpěl ďábelské ódy.',
        'Árvíztűrő tükörfúrógép',
        'Pijamalı hasta yağız şoföre çabucak güvendi.',
        'İstanbul ve ırmak: dotted and dotless i.',
        'Tiếng Việt có nhiều dấu: Hà Nội, Thành phố Hồ Chí Minh.',
        'Kæmi ný öxi hér ykist þjófum nú bæði víl og ádrepa.',
        'Høj ærø å.',
        'Lietuvių kalba: ąčęėįšųūž.',
        'Latviešu valoda: āčēģīķļņšūž.',
        'Hawaiʻi and Māori: ʻōlelo, whānau.',
        'naïve coöperate façade jalapeño',
        'Ångström, Ærøskøbing, Œuvre',
    ],
    'cyrillic-greek': [
        'Съешь же ещё этих мягких французских булок, да выпей чаю.',
        'Привет, как дела?',
        'Україна, Київ, ґанок, їжак, є.',
        'Български език: щъркел.',
        'Српски: Ђорђе, Љубица, Њива, Џеп.',
        'Қазақ тілі: әңгіме, ұлт.',
        'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.',
        'Καλημέρα κόσμε! Τι κάνεις;',
        'ΑΒΓΔ αβγδ ς σ Σ',
    ],
    rtl: [
        'שלום עולם',
        'עברית נכתבת מימין לשמאל.',
        'גַּם כִּי אֵלֵךְ בְּגֵיא צַלְמָוֶת',
        'مرحبا بالعالم',
        'اللغة العربية جميلة.',
        'بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ',
        'العدد ١٢٣٤٥٦٧٨٩٠',
        'سلام دنیا، حال شما چطور است؟',
        'اردو ایک خوبصورت زبان ہے۔',
        'ܫܠܡܐ ܥܠܡܐ',
        'ދިވެހި',
        'Mixed: the word שלום means peace, and مرحبا means hello.',
        'Price: 100 ₪ (מאה שקלים)',
        'Bidi override \u202eevil.txt\u202c and isolate \u2067עברית\u2069 marks',
        'RLM\u200f and LRM\u200e marks',
    ],
    indic: [
        'नमस्ते दुनिया',
        'हिन्दी भारत की राजभाषा है।',
        'संस्कृतम् भाषा',
        'ওহে বিশ্ব, কেমন আছেন?',
        'வணக்கம் உலகம்',
        'తెలుగు భాష',
        'ಕನ್ನಡ ಭಾಷೆ',
        'മലയാളം ഭാഷ',
        'ਪੰਜਾਬੀ ਭਾਸ਼ਾ',
        'ગુજરાતી ભાષા',
        'ଓଡ଼ିଆ ଭାଷା',
        'සිංහල භාෂාව',
        'नेपाली भाषा: १२३४५',
    ],
    cjk: [
        '你好，世界！',
        '我们今天去公园散步吧。',
        '机器学习模型需要大量的数据。',
        '繁體中文：臺灣的夜市很熱鬧。',
        '「引号」和『书名号』以及《书名》',
        'こんにちは世界',
        '今日はいい天気ですね。',
        'カタカナとひらがなと漢字を混ぜた文章です。',
        'ﾊﾝｶｸｶﾀｶﾅ',
        '東京都渋谷区 1-2-3',
        '안녕하세요 세계',
        '한국어는 한글로 씁니다.',
        '서울특별시 강남구',
        '中文English混合text',
        '𠀀𠀁𪚥 CJK Extension B characters',
        '〇一二三四五六七八九十百千万亿',
        '１２３　全角数字と全角スペース',
        '㍻ ㌔ ㍉ ㈱',
        '　Ideographic space at the start',
    ],
    'southeast-asian': [
        'สวัสดีชาวโลก',
        'ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ',
        'ສະບາຍດີ',
        'မင်္ဂလာပါ',
        'សួស្តី​ពិភពលោក',
        'Xin chào thế giới',
        'Kumusta ka?',
        'Selamat pagi, apa kabar?',
    ],
    'other-scripts': [
        'Բարեւ աշխարհ',
        'გამარჯობა მსოფლიო',
        'ሰላም ለዓለም',
        'ᐊᐃᓐᓇᐃᑦ',
        'ᚠᚢᚦᚨᚱᚲ',
        'ꦲꦤꦕꦫꦏ',
        'ⴰⵣⵓⵍ',
        'Ꭳ Ꮟ Ꮿ',
        'ᠮᠣᠩᠭᠣᠯ',
        'བོད་ཡིག',
    ],
    code: [
        'def add(a: int, b: int) -> int:',
        '    return a + b',
        'for i in range(10):\n    print(i ** 2)',
        'if __name__ == "__main__":\n    main()',
        'import numpy as np; x = np.zeros((3, 4), dtype=np.float32)',
        'const sum = (a, b) => a + b;',
        'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
        'let obj = { "key": [1, 2, 3], nested: { ok: true } };',
        'console.log(`template ${literal} string`);',
        'fn main() { println!("Hello, {}!", name); }',
        'impl<T: Clone + Send> Trait for Vec<T> where T: Debug {}',
        '#include <stdio.h>\nint main(void) { return 0; }',
        'std::vector<std::pair<int, std::string>> v;',
        'public static void main(String[] args) throws IOException {',
        'SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;',
        "INSERT INTO t (a, b) VALUES (1, 'x''y');",
        '{"model": "gpt", "messages": [{"role": "user", "content": "hi"}]}',
        '<html><body><p class="x">Hi &amp; bye</p></body></html>',
        '<?xml version="1.0" encoding="UTF-8"?>',
        'key: value\nlist:\n  - item1\n  - item2',
        '[section]\nname = "modelgate"\nversion = 1',
        '$ git commit -m "fix: off-by-one" && git push origin main',
        'grep -E "^[a-z]+\\s*=\\s*\\d+$" config.ini | sort -u',
        "regex: ^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$",
        'x+=1;y-=2;z*=3;w/=4;v%=5;u**=6;t//=7',
        'a == b != c <= d >= e && f || !g',
        '->  =>  ::  ...  ?.  ??  |>  <-',
        '// comment\n/* block comment */\n# hash comment',
        '\tindented with a tab',
        'mixed\t \ttabs and spaces',
        'camelCaseIdentifier snake_case_identifier SCREAMING_CASE kebab-case',
        'getHTTPResponseCode XMLHttpRequest parseJSON2YAML',
        '0xDEADBEEF 0b1010 0o777 1e-9 3.14159f 42u64',
        '\\n \\t \\\\ \\" \\u00e9 escaped sequences as text',
        'print("emoji in code: 🚀")',
        '```python\nprint("fenced")\n```',
        '| col1 | col2 |\n|------|------|\n| a    | b    |',
        '\\begin{equation} E = mc^2 \\end{equation}',
        '$\\frac{a}{b} + \\sqrt{x^2 + y^2}$',
    ],
    numbers: [
        '0',
        '7',
        '42',
        '123',
        '1234',
        '12345',
        '123456789',
        '1234567890123456789012345678901234567890',
        '3.14159265358979323846',
        '-0.000001',
        '1,234,567.89',
        '1.234.567,89',
        '1 234 567',
        '6.022e23',
        '2024-01-01T12:34:56Z',
        '12:00 AM, 23:59:59.999',
        '+1 (555) 123-4567',
        '192.168.0.1 and ::1 and fe80::1%eth0',
        'v1.2.3-rc.1+build.5',
        '$1,000.00 €2.500 £3 ¥4 ₹5 ₿0.001',
        '50% off, 3/4 cup, 1½ tsp',
        '½ ¼ ¾ ⅓ ⅔ ⅛',
        '² ³ ¹ ⁰ ⁴ ₀ ₁ ₂',
        'Ⅰ Ⅱ Ⅲ Ⅳ Ⅻ ⅰ ⅱ',
        '٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹',
        '०१२३४५६७८९',
        '000000000000',
        '9999999999999999',
        '1+1=2, 2*3=6, 10/4=2.5',
        '#1 #22 #333',
    ],
    emoji: [
        '🙂',
        '😀😃😄😁😆😅😂🤣',
        'I ❤️ tokenizers',
        '👍🏻👍🏼👍🏽👍🏾👍🏿',
        '👨‍👩‍👧‍👦 family',
        '🏳️‍🌈 🏴‍☠️',
        '🇩🇪 🇯🇵 🇺🇸 🇧🇷 🇮🇳',
        '#️⃣ 1️⃣ *️⃣',
        '🧑‍💻 🧑🏽‍🚀 👩🏿‍🔬',
        '✅ ❌ ⚠️ ℹ️',
        '🚀🔥💯✨',
        '(╯°□°)╯︵ ┻━┻',
        '¯\\_(ツ)_/¯',
        'ʕ•ᴥ•ʔ',
        '♠ ♥ ♦ ♣ ★ ☆ ☀ ☁ ☂',
        '🀄 🃏 🎴',
        '🫠🫡🫶 newer emoji',
    ],
    unicode: [
        'e\u0301 (e + combining acute) vs \u00e9 (precomposed)',
        'n\u0303 and \u00f1',
        'A\u030a and \u00c5 and \u212b (angstrom sign)',
        'Z\u0351\u0352\u0353a\u0357\u0358l\u035c\u035dg\u035e\u035fo zalgo text',
        'ﬁ ﬂ ﬀ ﬃ ligatures',
        'Ｆｕｌｌｗｉｄｔｈ Ｌａｔｉｎ',
        '𝐁𝐨𝐥𝐝 𝑰𝒕𝒂𝒍𝒊𝒄 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 𝕯𝖔𝖚𝖇𝖑𝖊',
        'ℌℑℜℭ ℕℤℚℝℂ',
        '™ © ® ℠ ℗',
        'zero\u200bwidth\u200bspace',
        'zero\u200cwidth\u200dnon-joiner and joiner',
        'word\u2060joiner',
        'soft\u00adhyphen',
        '\ufeffbyte order mark at the start',
        'non\u00a0breaking\u00a0spaces',
        'narrow\u202fno-break and figure\u2007space',
        'em\u2003space en\u2002space thin\u2009space hair\u200aspace',
        'line\u2028separator and paragraph\u2029separator',
        '“curly” ‘quotes’ «guillemets» „low“ ‹single›',
        '— – ‐ ‑ ‒ ― dashes',
        '… ‥ · • ‣ ⁃',
        '← → ↑ ↓ ↔ ⇒ ⇔',
        '∀x ∈ ℝ: ∃y ≥ x ∧ y ≠ ∞',
        '∑ ∏ ∫ ∂ ∇ √ ∛ ≈ ≡ ≤',
        'µ (micro) vs μ (mu), Ω (ohm) vs Ω (omega)',
        'K (kelvin) vs K',
        'ǅ ǆ Ǆ titlecase digraphs',
        'ß ẞ ss',
        'ı İ i I',
        'Ⓐⓑⓒ ⑴⑵⑶ ①②③',
        '\ud83d\ude00 surrogate pair written with escapes',
        '\u{1F600}\u{1F680}\u{10FFFD} astral and private use',
        '\ue000\uf8ff private use area',
        '\ufffd replacement character',
        'Ꙭ ꙮ rare Cyrillic',
    ],
    whitespace: [
        ' ',
        '  ',
        '   ',
        '\t',
        '\n',
        '\n\n',
        '\n\n\n',
        '\r\n',
        ' leading space',
        '  two leading spaces',
        'trailing space ',
        'trailing spaces   ',
        'double  space',
        'many          spaces',
        'tab\tseparated\tvalues',
        'line one\nline two',
        'windows\r\nline endings\r\n',
        'old mac\rline endings',
        'paragraph one\n\nparagraph two',
        '\n leading newline and space',
        'trailing newline\n',
        '\t\t  \t mixed indentation',
        ' \n \n ',
        'vertical\u000btab and form\u000cfeed',
        'next\u0085line',
        '\u3000\u3000full-width spaces',
    ],
    control: [
        'nul\u0000byte',
        'bell\u0007 and backspace\u0008',
        'escape \u001b[31mred\u001b[0m sequences',
        'delete\u007fcharacter',
        'C1 control \u0080\u009f characters',
        '\u0001\u0002\u0003\u0004\u0005\u0006',
        'unit\u001fseparator record\u001eseparator',
        'form feed\fpage break',
        'carriage\rreturn alone',
        '\u0000',
    ],
    markup: [
        '<s>',
        '</s>',
        '<unk>',
        '<pad>',
        '<|endoftext|>',
        '<|im_start|>user\nHello<|im_end|>',
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>',
        '<start_of_turn>user\nHi<end_of_turn>',
        '[INST] Hello [/INST]',
        '<<SYS>>\nsystem\n<</SYS>>',
        '<think>reasoning</think>',
        '<tool_call>{"name": "f"}</tool_call>',
        '<|eot_id|>',
        '<｜User｜>',
        '<bos><eos>',
        '[CLS] [SEP] [MASK]',
        '<|fim_prefix|>def f():<|fim_suffix|><|fim_middle|>',
        '< s > < / s >',
        '<<s>>',
        '<|not_a_real_token|>',
        '###Instruction:\n### Response:',
        'Human: hi\n\nAssistant: hello',
        '{{ bos_token }}{% for m in messages %}',
        '&lt;s&gt; &#60;/s&#62;',
        '**bold** _italic_ `code` ~~strike~~',
        '# Heading\n## Subheading\n- bullet\n1. numbered',
        '> quoted line\n>> nested quote',
        '![image](https://example.com/a.png) [link](#anchor)',
    ],
};
/** The reference corpus, in a fixed order: line numbers in reports are stable. */
const REFERENCE_CORPUS = Object.entries(SECTIONS).flatMap(([kind, lines]) => lines.map((text) => ({ kind: kind, text })));

// Markers that look like a chat template's own tokens: <|eot_id|>, <end_of_turn>, [/INST], <｜end▁of▁sentence｜>.
const MARKER_SHAPE = /^(<[^<>\s]{1,64}>|\[[^[\]\s]{1,64}\])/;
/**
 * The special strings the effective chat template writes in the canonical
 * conversation: every declared special token and special added token that
 * occurs in the render, and the marker right after the assistant's reply
 * (the end of turn), known to the tokenizer or not. Cheap: a render and a
 * scan, no tokenizer.
 */
function chatSample(facts) {
    const template = effectiveTemplate(facts);
    if (!template)
        return undefined;
    const rendered = renderCanonical(template.text, templateVariables(facts));
    if (!rendered.ok)
        return undefined;
    const table = new Set(facts.tokenizer?.format === 'tokenizer.json' ? facts.tokenizer.added.map((t) => t.content) : []);
    const special = new Set();
    for (const token of allAddedTokens(facts))
        if (token.special)
            special.add(token.content);
    for (const declared of facts.settings.special)
        if (declared.content)
            special.add(declared.content);
    const written = [...special].filter((s) => s !== '' && rendered.text.includes(s));
    const after = endOfTurnText(rendered)?.trimStart() ?? '';
    const knownEnd = written.filter((s) => after.startsWith(s)).sort((a, b) => b.length - a.length)[0];
    const endOfTurn = knownEnd ?? MARKER_SHAPE.exec(after)?.[0];
    const markers = written.map((text) => ({
        text,
        endOfTurn: text === endOfTurn,
        inAddedTokens: table.has(text),
        known: true,
    }));
    if (endOfTurn !== undefined && !written.includes(endOfTurn)) {
        const known = allAddedTokens(facts).some((t) => t.content === endOfTurn);
        markers.push({ text: endOfTurn, endOfTurn: true, inAddedTokens: table.has(endOfTurn), known });
    }
    return { file: template.file, rendered: rendered.text, markers };
}
/** Markers a table lookup cannot vouch for: only encoding them tells how many ids they become. */
function doubtfulMarkers(sample) {
    return sample?.markers.filter((m) => !m.inAddedTokens) ?? [];
}
/**
 * The corpus one model version is judged on: the reference corpus, the
 * special-token strings of the model (and of `other`, so two versions encode
 * the same texts), the markers their templates write, and the repository's
 * own corpus.
 */
function corpusFor(facts, other) {
    const entries = REFERENCE_CORPUS.map((line, i) => ({
        text: line.text,
        label: `reference line ${i + 1} (${line.kind})`,
    }));
    const seen = new Set();
    const add = (text, label) => {
        if (text === '' || seen.has(text))
            return;
        seen.add(text);
        entries.push({ text, label });
    };
    for (const model of other ? [facts, other] : [facts]) {
        for (const declared of model.settings.special)
            if (declared.content)
                add(declared.content, `${declared.role}_token`);
        for (const marker of chatSample(model)?.markers ?? [])
            add(marker.text, 'a special string the chat template writes');
    }
    for (const { line, text } of facts.tokenizerCorpus?.lines ?? [])
        entries.push({ text, label: `${facts.tokenizerCorpus.file}:${line}` });
    return entries;
}
/** The texts to encode: the corpus (may be empty), then the chat render and its markers. */
function behaviourPlan(facts, corpus) {
    const chat = chatSample(facts);
    const texts = corpus.map((e) => e.text);
    const chatAt = texts.length;
    if (chat)
        texts.push(chat.rendered, ...chat.markers.map((m) => m.text));
    return { texts, corpus, ...(chat ? { chat } : {}), chatAt };
}

/**
 * Bumped whenever what a measurement means changes (this module, the corpus
 * handling, or the tokenizers library version), so old cache entries are
 * never read as new ones. /2: tokenizers modelgate now refuses to run (a
 * WordPiece word limit above 1000) must not be answered from an older entry.
 */
const MEASUREMENT_VERSION = 'modelgate-tokenizer-behaviour/2 @huggingface/tokenizers@0.2.0';
/** The encoding settings of a model: what tokenizer_config.json says about BOS and EOS. */
function encodingSettingsOf(facts) {
    return {
        addBosToken: facts.settings.addBosToken,
        addEosToken: facts.settings.addEosToken,
        bosToken: specialToken(facts, 'bos')?.content ?? undefined,
        eosToken: specialToken(facts, 'eos')?.content ?? undefined,
    };
}
/**
 * Encodes `texts` with the model's tokenizer.json through `runner`, or takes
 * the result from the cache when the same file, settings and texts were
 * measured before. The file is read through `source` (the containment rule
 * and size caps of every artifact read). Only a measurement that finished is
 * cached: one the runner stopped is tried again next run, never passed.
 */
async function measureBehaviour(source, facts, texts, runner, cache) {
    const tokenizer = facts.tokenizer;
    if (tokenizer?.format !== 'tokenizer.json')
        return { ok: false, problem: 'only tokenizer.json files are encoded' };
    const digest = await source.sha256(tokenizer.file);
    if (!digest.ok)
        return { ok: false, problem: `${tokenizer.file} cannot be read: ${digest.problem.detail}` };
    const settings = encodingSettingsOf(facts);
    const key = behaviourKey(digest.value.sha256, settings, texts);
    if (cache) {
        const cached = readBehaviour(await cache.read(key).catch(() => undefined), texts.length);
        if (cached)
            return { ok: true, behaviour: cached };
    }
    const request = {
        file: tokenizer.file,
        runtimeKey: JSON.stringify([digest.value.sha256, settings]),
        settings,
        texts,
    };
    const measured = await runner.measure(request, () => readTokenizerText(source, tokenizer.file));
    if (measured.ok && cache)
        await cache.write(key, measured.behaviour).catch(() => undefined);
    return measured;
}
/** The file's text, read under the size caps of every artifact read, and its tables checked before anything builds it. */
async function readTokenizerText(source, file) {
    const read = await source.read(file, READ_LIMITS.tokenizer_json.bytes);
    if (!read.ok)
        return { ok: false, problem: `${file} cannot be read: ${read.problem.detail}` };
    const shape = findJsonShapeProblem(read.value, [['model', 'vocab'], ['added_tokens']]);
    if (shape)
        return { ok: false, problem: `${file} is too large to encode with: ${describeJsonShapeProblem(shape)}` };
    return { ok: true, text: decodeUtf8(read.value) };
}
/** The cache key: sha256 over the measurement version, the tokenizer file's digest, the settings and the texts. */
function behaviourKey(fileSha256, settings, texts) {
    return createHash('sha256')
        .update(JSON.stringify([MEASUREMENT_VERSION, fileSha256, settings, texts]))
        .digest('hex');
}
const isIdList = (value) => Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && id >= 0);
/**
 * A cached value, checked field by field: anything that is not exactly a
 * TokenizerBehaviour for `count` texts is a miss, never a result.
 */
function readBehaviour(value, count) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const v = value;
    const frame = v.frame;
    if (typeof frame !== 'object' || frame === null || !isIdList(frame.prefix) || !isIdList(frame.suffix))
        return undefined;
    if (!Array.isArray(v.ids) || v.ids.length !== count || !v.ids.every(isIdList))
        return undefined;
    if (!Array.isArray(v.decoded) ||
        v.decoded.length !== count ||
        !v.decoded.every((d) => d === null || typeof d === 'string'))
        return undefined;
    if (typeof v.pieces !== 'object' || v.pieces === null || Array.isArray(v.pieces))
        return undefined;
    if (!Object.values(v.pieces).every((p) => typeof p === 'string'))
        return undefined;
    if (typeof v.byteLevel !== 'boolean')
        return undefined;
    if (v.unkId !== undefined && !(Number.isSafeInteger(v.unkId) && v.unkId >= 0))
        return undefined;
    const pieces = v.pieces;
    const ids = v.ids;
    const complete = [...frame.prefix, ...frame.suffix, ...ids.flat()].every((id) => Object.hasOwn(pieces, String(id)));
    if (!complete)
        return undefined;
    return {
        frame: { prefix: frame.prefix, suffix: frame.suffix },
        ids,
        decoded: v.decoded,
        pieces,
        byteLevel: v.byteLevel,
        ...(v.unkId === undefined ? {} : { unkId: v.unkId }),
    };
}
/** A cache that also remembers this run's measurements in memory, so each tokenizer is built at most once per run. */
function rememberBehaviour(persistent) {
    const memory = new Map();
    return {
        read: async (key) => memory.get(key) ?? persistent?.read(key),
        write: async (key, value) => {
            memory.set(key, value);
            await persistent?.write(key, value);
        },
    };
}

/** Manifest keys of the files that decide how text becomes ids, and how a conversation is written. */
const TOKENIZER_KEYS = ['tokenizer', 'tokenizer_config', 'special_tokens_map', 'added_tokens'];
const BEHAVIOUR_KEYS = [...TOKENIZER_KEYS, 'chat_template', 'tokenizer_corpus'];
/**
 * Decides whether a model's tokenizer must be encoded, encodes it (and the
 * base version's, to compare), and returns the behavioural findings and the
 * evidence for the SemVer check. Cost is paid only where it buys something:
 * - a chat template special string that tokenizer.json's added tokens do not
 *   list is encoded to see how many ids it becomes (the table answers the
 *   usual case for free);
 * - the corpus rules run for a tokenizer or template the base comparison
 *   finds changed (or a new model), for a model that declares its own
 *   corpus, and for every model in 'always' mode.
 * Only tokenizer.json files are encoded; other formats keep the structural rules.
 */
async function checkTokenizerBehaviour(inputs) {
    const { head, base, cache, runner } = inputs;
    const facts = head.facts;
    if (facts.tokenizer?.format !== 'tokenizer.json')
        return { findings: [] };
    const changed = base === 'new' || (base !== undefined && behaviourChanged(head, base));
    const wantCorpus = inputs.mode === 'always' || facts.tokenizerCorpus !== undefined || changed;
    const doubtful = doubtfulMarkers(chatSample(facts)).length > 0;
    if (!wantCorpus && !doubtful)
        return { findings: [] };
    const baseVersion = base !== undefined && base !== 'new' ? base : undefined;
    const corpus = wantCorpus ? corpusFor(facts, baseVersion?.facts) : [];
    const plan = behaviourPlan(facts, corpus);
    inputs.progress?.(`encoding ${plan.texts.length} texts with the tokenizer of ${facts.name}`);
    const measured = await measureBehaviour(head.source, facts, plan.texts, runner, cache);
    if (!measured.ok)
        return {
            findings: [unmeasured(facts, measured)],
            ...comparisonFailure(facts, baseVersion, changed, measured.problem),
        };
    const findings = tokenizerBehaviourFindings(facts, plan, measured.behaviour);
    if (!baseVersion || !changed || baseVersion.facts.tokenizer?.format !== 'tokenizer.json')
        return { findings };
    const basePlan = behaviourPlan(baseVersion.facts, corpus);
    inputs.progress?.(`encoding ${basePlan.texts.length} texts with the base tokenizer of ${facts.name}`);
    const baseMeasured = await measureBehaviour(baseVersion.source, baseVersion.facts, basePlan.texts, runner, cache);
    if (!baseMeasured.ok)
        return { findings, ...comparisonFailure(facts, baseVersion, changed, baseMeasured.problem) };
    const file = changedTokenizerFile(head, baseVersion);
    return {
        findings,
        comparison: {
            base: { plan: basePlan, behaviour: baseMeasured.behaviour },
            head: { plan, behaviour: measured.behaviour },
            file: file ?? facts.tokenizer.file,
            fileChanged: file !== undefined,
        },
    };
}
/** Whether any file that decides encoding or the conversation differs from the base (by content digest). */
function behaviourChanged(head, base) {
    return BEHAVIOUR_KEYS.some((key) => {
        const now = head.facts.paths[key];
        const before = base.facts.paths[key];
        if (now === undefined || before === undefined)
            return now !== before;
        return now !== before || head.digests?.get(now) !== base.digests?.get(before);
    });
}
/** The first tokenizer file whose content changed (tokenizer.json before tokenizer_config.json …). */
function changedTokenizerFile(head, base) {
    for (const key of TOKENIZER_KEYS) {
        const now = head.facts.paths[key];
        const before = base.facts.paths[key];
        if (now === undefined && before === undefined)
            continue;
        if (now === undefined ||
            before === undefined ||
            now !== before ||
            head.digests?.get(now) !== base.digests?.get(before))
            return now ?? before;
    }
    return undefined;
}
function comparisonFailure(facts, base, changed, problem) {
    if (!base || !changed)
        return {};
    return { comparison: { file: facts.tokenizer?.file ?? facts.manifestFile, unmeasured: problem } };
}
/**
 * Behaviour that was wanted and could not be measured is an error: the rules
 * it carries (CHAT-STOP, SPECIAL-RESOLVES, DOUBLE-BOS, ROUND-TRIP, UNK-RATE)
 * did not run, so a tokenizer that cannot be run on its corpus and template
 * (one that backtracks on a line the same change adds, or that the library
 * refuses) would otherwise pass with its errors unseen.
 */
function unmeasured(facts, failure) {
    const file = facts.tokenizer.file;
    return finding(facts, {
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        at: artifactKey(facts, file),
        artifact: file,
        message: `the behaviour of ${file} was not checked (corpus and chat template encoding): ${failure.problem}`,
        fix: failure.fix ??
            'Check that the tokenizer loads with the tokenizers library (Tokenizer.from_file); modelgate runs tokenizer.json with @huggingface/tokenizers.',
    });
}

/** Validates the registry: every model, or with a base only those the change touches. */
async function validate(repo, options) {
    return (await validateModels(repo, options)).report;
}
/** validate(), with the parsed facts of every model it validated (for the gates that follow). */
async function validateModels(repo, options) {
    const found = await repo.findManifests(options.manifests);
    const manifests = options.baseManifests
        ? [...new Set([...found, ...(await repo.findManifests(options.baseManifests))])].sort()
        : found;
    const base = options.base === undefined ? undefined : await repo.mergeBase(options.base);
    if (!manifests.length && !options.allowEmpty)
        throw noManifests(options);
    const baseManifests = base
        ? new Set(await repo.findManifestsAt(base, options.baseManifests ?? options.manifests))
        : new Set();
    const changedFiles = base ? new Set(await repo.changedSince(base)) : undefined;
    const changed = changedFiles
        ? new Set(await selectChanged(repo.worktree, manifests, [...changedFiles]))
        : undefined;
    // With a base: what the change touches, and what it brings into the registry (a glob of its own may find
    // a manifest that was there, unchecked, all along).
    const selected = changed ? manifests.filter((m) => changed.has(m) || !baseManifests.has(m)) : manifests;
    const tags = base ? await repo.readTags() : undefined;
    const released = tags ? releasedVersions(tags.map((t) => t.name)) : new Map();
    const registry = tags ? readRegistry(tags) : undefined;
    // Models are looked up by name, at the base and at their tags: a moved manifest keeps its history.
    const byName = new ModelManifests(repo, {
        globs: options.baseManifests ?? options.manifests,
        tags,
        worktree: manifests,
    });
    const findings = [
        ...(options.settingsFindings ?? []),
        ...(options.deploy ? sharedRouteFindings(options.deploy.settings, manifests, options.deploy.file) : []),
    ];
    const models = [];
    const changes = [];
    const validated = [];
    const behaviourCache = rememberBehaviour(options.behaviourCache);
    for (const [index, file] of selected.entries()) {
        options.progress?.(`[${index + 1}/${selected.length}] ${file}`);
        const loaded = await loadModel(repo.worktree, file, { progress: options.progress });
        findings.push(...loaded.findings);
        const facts = loaded.facts;
        if (!facts)
            continue;
        byName.remember(file, facts.name);
        models.push({ name: facts.name, version: facts.manifest.version, path: file });
        validated.push(facts);
        findings.push(...checkCompatibility(facts));
        const tokenizerCheck = {
            mode: options.tokenizerBehaviour ?? 'changed',
            cache: behaviourCache,
            runner: options.tokenizerRunner,
            progress: options.progress,
        };
        if (!base) {
            findings.push(...(await checkTokenizerBehaviour({ ...tokenizerCheck, head: { facts, source: repo.worktree } }))
                .findings);
            continue;
        }
        const found = await findBaseline(byName, {
            head: facts,
            base,
            released: released.get(facts.name) ?? new Set(),
        });
        findings.push(...found.findings);
        const sameName = await byName.sameName({
            facts,
            checked: selected,
            base: { ref: base, file: found.baseFile, changed: changedFiles },
        });
        findings.push(...checkUniqueName(facts, sameName));
        const baseVersion = found.baseline;
        const headDigests = await contentDigests(repo.worktree, facts);
        const behaviour = await checkTokenizerBehaviour({
            ...tokenizerCheck,
            head: { facts, source: repo.worktree, digests: headDigests },
            base: baseVersion ?? 'new',
        });
        findings.push(...behaviour.findings);
        const version = await checkVersion({
            head: facts,
            headDigests,
            base: baseVersion,
            behaviour: behaviour.comparison,
            released: released.get(facts.name) ?? new Set(),
            withdrawn: withdrawnVersions(registry?.get(facts.name)),
            releasedContent: (v) => releasedContent(byName, facts, v, baseVersion ? [baseVersion.facts.manifestFile] : []),
        });
        findings.push(...version.findings);
        if (version.change.status === 'restored')
            findings.push(...refusedRestore(facts, registry?.get(facts.name)));
        if (version.change.status !== 'unchanged')
            changes.push(version.change);
    }
    // Without a base every manifest is checked: one name must not be declared twice. After the loop, when
    // every manifest validate loaded is known by name, the tree is read only for those it could not load.
    if (!base)
        for (const facts of validated)
            findings.push(...checkUniqueName(facts, await byName.sameName({ facts, checked: selected })));
    // Models whose names deploy as one Kubernetes object: those validated, and the released ones.
    if (options.deploy) {
        const names = [...models.map((m) => m.name), ...(registry?.keys() ?? [])];
        findings.push(...kubernetesNameFindings(options.deploy.settings, names, options.deploy.file));
    }
    const counts = countBySeverity(findings);
    const report = {
        models,
        findings: sortFindings(findings),
        changes,
        summary: {
            errors: counts.error,
            warnings: counts.warning,
            info: counts.info,
            manifests: manifests.length,
            validated: selected.length,
            requiredBump: changes.reduce((max, c) => (bumpRank(c.required) > bumpRank(max) ? c.required : max), 'none'),
            ...(base ? { base } : {}),
        },
    };
    return { report, facts: validated, ...(base ? { base } : {}), ...(tags ? { tags } : {}), byName };
}
/** No evidence, no pass: the message names where modelgate looked and how to look elsewhere. */
function noManifests(options) {
    const globs = [...new Set([...options.manifests, ...(options.baseManifests ?? [])])]
        .map((g) => `"${g}"`)
        .join(', ');
    return new CommandError(`no manifest matched ${globs} under ${options.root ?? 'the registry root'}: nothing was checked`, 'Point --root (Action input root) at the registry, set manifests in .github/modelgate.yml, or pass --allow-empty (Action input allow-empty: true) while the registry has no model yet.');
}
/**
 * The manifests a change touches: the manifest itself, a file in its folder,
 * or (read only when some changed file lies outside every manifest folder) a
 * file it references from elsewhere.
 */
async function selectChanged(source, manifests, changed) {
    if (!changed.length)
        return [];
    const dirs = new Map(manifests.map((m) => [m, posix.dirname(m)]));
    const inside = (file, dir) => dir === '.' || file.startsWith(`${dir}/`);
    const selected = new Set(manifests.filter((m) => changed.some((f) => f === m || inside(f, dirs.get(m)))));
    const unclaimed = changed.filter((f) => ![...selected].some((m) => inside(f, dirs.get(m))));
    if (unclaimed.length) {
        const wanted = new Set(unclaimed);
        for (const manifest of manifests) {
            if (selected.has(manifest))
                continue;
            const read = await source.read(manifest, MANIFEST_MAX_BYTES);
            const parsed = read.ok ? parseManifest(decodeUtf8(read.value), manifest) : undefined;
            if (parsed?.manifest && referencedPaths(parsed.manifest, manifest).some((f) => wanted.has(f)))
                selected.add(manifest);
        }
    }
    return manifests.filter((m) => selected.has(m));
}
/**
 * A rollback the release of its merge would refuse: the restored version's
 * registration has no simple tag a deployment could name (see
 * undeployableRegistration). Failed here, before the merge, with the fix.
 */
function refusedRestore(facts, model) {
    const version = facts.manifest.version;
    const registration = model && currentRegistration(model, version);
    const refusal = registration && deployRefusal(model, registration);
    if (!refusal)
        return [];
    return [
        {
            rule: 'SEMVER-BUMP',
            severity: 'error',
            model: facts.name,
            file: facts.manifestFile,
            line: facts.lineOf(['version']),
            message: `${facts.name} restores ${version}, which no deployment could name: ${refusal.reason}`,
            fix: refusal.fix,
        },
    ];
}

/** Folders never walked besides `.git/`: installed packages. */
const SKIPPED = new Set(['node_modules']);
/** Deeper than this, or more entries than that, and the walk stops with an error rather than a partial answer. */
const MAX_DEPTH = 32;
const MAX_ENTRIES = 1_000_000;
/** Manifest globs compiled, or the CommandError (exit 2) that names the unusable one. */
function manifestGlobs(patterns) {
    const compiled = compileGlobs(patterns);
    if (!compiled.ok)
        throw new CommandError(`the manifest glob "${compiled.pattern}" ${compiled.reason}`, 'Write globs relative to the registry root, e.g. models/**/model.yaml (in .github/modelgate.yml: manifests).');
    return compiled;
}
/**
 * The paths under `root` that match `patterns`, sorted, relative with POSIX
 * separators. Unlike a general glob library this walk keeps modelgate's
 * containment rule: it starts only below the root, never enters `.git/`,
 * never follows a symlinked folder (a committed `models/evil -> /` would
 * otherwise walk the host), and it returns every matching entry, not only
 * regular files: a manifest that is a FIFO, a folder or a link out is then
 * reported by the reader instead of silently missing.
 */
async function findFiles(root, patterns) {
    const globs = manifestGlobs(patterns);
    const found = new Set();
    let seen = 0;
    const walk = async (folder, depth) => {
        if (depth > MAX_DEPTH)
            throw new CommandError(`${folder} is more than ${MAX_DEPTH} folders deep`, 'Narrow the manifest globs in .github/modelgate.yml.');
        let entries;
        try {
            entries = await readdir(folder ? join(root, folder) : root, { withFileTypes: true });
        }
        catch {
            return; // a start folder that does not exist matches nothing
        }
        for (const entry of entries) {
            if (++seen > MAX_ENTRIES)
                throw new CommandError(`the manifest globs walk more than ${MAX_ENTRIES} files under ${root}`, 'Narrow the manifest globs in .github/modelgate.yml.');
            if (isGitDir(entry.name) || SKIPPED.has(entry.name))
                continue;
            const path = folder ? `${folder}/${entry.name}` : entry.name;
            if (globs.match(path))
                found.add(path);
            if (entry.isDirectory())
                await walk(path, depth + 1); // a symlink is never a directory entry here
        }
    };
    for (const start of globs.startFolders) {
        if (start && !(await isRealFolder(root, start)))
            continue;
        await walk(start, start ? start.split('/').length : 0);
    }
    return [...found].sort();
}
/** Whether every folder of `path` is a real folder (no symlink on the way). */
async function isRealFolder(root, path) {
    let at = root;
    for (const segment of path.split('/')) {
        if (isGitDir(segment))
            return false;
        at = join(at, segment);
        const info = await lstat(at).catch(() => undefined);
        if (!info?.isDirectory())
            return false;
    }
    return true;
}

/** A git command that failed; `stderr` holds git's own words. */
class GitError extends Error {
    args;
    stderr;
    constructor(args, stderr) {
        super(`git ${args.join(' ')} failed: ${stderr.trim() || 'no message'}`);
        this.args = args;
        this.stderr = stderr;
        this.name = 'GitError';
    }
}
const MAX_OUTPUT = 1024 * 1024 * 1024;
/** Runs git in `cwd` (never through a shell), with `input` on its stdin, and returns stdout as bytes. */
function git(cwd, args, input) {
    return new Promise((resolve, reject) => {
        const child = execFile('git', args, {
            cwd,
            encoding: 'buffer',
            maxBuffer: MAX_OUTPUT,
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        }, (error, stdout, stderr) => error ? reject(new GitError(args, stderr.toString() || error.message)) : resolve(stdout));
        if (input === undefined)
            return;
        child.stdin?.on('error', () => { }); // git exiting early is reported by its exit status, above
        child.stdin?.end(input);
    });
}
/** Runs git (with `input` on its stdin) and returns stdout as text. */
async function gitText(cwd, args, input) {
    return (await git(cwd, args, input)).toString('utf8');
}
/**
 * The folder `root` relative to the top of its git repository ("" at the top,
 * "examples/registry/" below it), or a CommandError that says `root` is not
 * in one. Only git's line end is cut: a folder name may start or end with a space.
 */
function repositoryPrefix(root) {
    return gitText(root, ['rev-parse', '--show-prefix']).then((prefix) => prefix.replace(/\n$/, ''), (error) => {
        const detail = error instanceof GitError ? error.stderr.trim() : String(error);
        throw new CommandError(`${root} is not inside a git repository (${detail})`, 'Run it in a git clone of the registry (git clone, or git init and a first commit).');
    });
}
/** Streams a blob's bytes to `onChunk`; `onChunk` returns false to stop early. */
function streamBlob(cwd, oid, onChunk) {
    return new Promise((resolve, reject) => {
        const child = spawn('git', ['cat-file', 'blob', oid], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        let stopped = false;
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.stdout.on('data', (chunk) => {
            if (stopped)
                return;
            if (onChunk(chunk) === false) {
                stopped = true;
                child.kill();
            }
        });
        child.on('error', reject);
        child.on('close', (code) => code === 0 || stopped ? resolve() : reject(new GitError(['cat-file', 'blob', oid], stderr)));
    });
}
/** How long an idle `git cat-file --batch` process is kept for the next read. */
const BATCH_IDLE_MS = 50;
const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/**
 * Reads blobs through one `git cat-file --batch` process instead of a process
 * per blob: a model's files at a ref (config, tokenizer, template, …) cost one
 * process start, not one each. Answers come in the order the requests were
 * written; the process ends after a moment idle and is started again on the
 * next read. Callers cap sizes before they read (the tree lists every blob's
 * size).
 */
class GitBlobReader {
    cwd;
    session;
    idle;
    constructor(cwd) {
        this.cwd = cwd;
    }
    read(oid) {
        if (!OBJECT_ID.test(oid))
            return Promise.reject(new GitError(['cat-file', '--batch'], `not an object id: ${oid}`));
        clearTimeout(this.idle);
        const session = this.session ?? this.start();
        // While a read is owed the process keeps Node alive; idle, it never does.
        if (!session.pending.length)
            hold(session, true);
        return new Promise((resolve, reject) => {
            session.pending.push({ oid, resolve, reject });
            session.child.stdin.write(`${oid}\n`);
        });
    }
    /** Ends the process; a later read starts a new one. */
    close() {
        const session = this.session;
        this.session = undefined;
        session?.child.stdin.end();
    }
    start() {
        const child = spawn('git', ['cat-file', '--batch'], {
            cwd: this.cwd,
            env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        });
        const session = { child, pending: [], buffer: Buffer.alloc(0) };
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.stdout.on('data', (chunk) => this.take(session, chunk));
        // A process that fails or ends fails only the reads it owes; the next read starts another.
        const fail = (message) => {
            if (this.session === session)
                this.session = undefined;
            const error = new GitError(['cat-file', '--batch'], stderr.trim() || message);
            for (const waiting of session.pending.splice(0))
                waiting.reject(error);
        };
        child.on('error', (error) => fail(error.message));
        child.on('close', (code) => fail(`git cat-file --batch exited with ${code}`));
        child.stdin.on('error', () => undefined); // a write after the process died: the close above reports it
        this.session = session;
        return session;
    }
    /**
     * Parses answers: `<oid> <type> <size>\n<bytes>\n`, or `<oid> missing\n`. A
     * blob's bytes are copied once into a buffer of its size as they arrive
     * (never re-joined chunk by chunk: a 30 MB tokenizer comes in hundreds).
     */
    take(session, chunk) {
        let at = 0;
        while (at < chunk.length) {
            const head = session.pending[0];
            if (!head)
                break;
            if (session.body) {
                const body = session.body;
                const wanted = body.bytes.length - body.filled;
                if (wanted > 0) {
                    const copied = chunk.copy(body.bytes, body.filled, at, at + wanted);
                    body.filled += copied;
                    at += copied;
                    if (body.filled < body.bytes.length)
                        break;
                }
                if (at >= chunk.length)
                    break; // the blob's closing newline comes with the next chunk
                at += 1; // its closing newline
                session.body = undefined;
                session.pending.shift();
                if (body.type === 'blob')
                    head.resolve(body.bytes);
                else
                    head.reject(new GitError(['cat-file', 'blob', head.oid], `${head.oid} is a ${body.type}, not a blob`));
                continue;
            }
            const newline = chunk.indexOf(10, at);
            if (newline < 0) {
                session.buffer = Buffer.concat([session.buffer, chunk.subarray(at)]);
                break;
            }
            const header = Buffer.concat([session.buffer, chunk.subarray(at, newline)]).toString('utf8');
            session.buffer = Buffer.alloc(0);
            at = newline + 1;
            const [, type, size] = header.split(' ');
            if (type === undefined || type === 'missing' || size === undefined) {
                session.pending.shift();
                head.reject(new GitError(['cat-file', 'blob', head.oid], `${head.oid} is missing`));
                continue;
            }
            session.body = { bytes: Buffer.allocUnsafe(Number(size)), filled: 0, type };
        }
        if (!session.pending.length)
            hold(session, false);
        if (!session.pending.length && this.session === session) {
            this.idle = setTimeout(() => this.close(), BATCH_IDLE_MS);
            this.idle.unref();
        }
    }
}
/** Whether a batch process (and its pipes) keeps Node's event loop alive: only while it owes a read. */
function hold(session, alive) {
    const { child } = session;
    for (const handle of [child, child.stdin, child.stdout, child.stderr])
        if (alive)
            handle.ref?.();
        else
            handle.unref?.();
}

/** How many symlinks a path may pass through before it is refused (as the kernel's ELOOP would). */
const MAX_LINK_HOPS = 8;
/** A symlink's blob is its target path; longer than this it is not one. */
const MAX_LINK_BYTES = 4096;
/**
 * Blobs up to this size are read whole through the one `git cat-file --batch`
 * process; larger ones (weights, a tokenizer's shards) stream from a process
 * of their own, so they are never held whole.
 */
const WHOLE_READ_MAX = 8 * 1024 * 1024;
/**
 * The repository at a git ref as an ArtifactSource, read with git itself
 * (ls-tree once, then one `cat-file --batch` for the blobs): nothing is checked out. The same
 * containment rule as the working tree: an in-repository symlinked file is
 * followed to its target (so `--base` compares what each artifact resolves
 * to), a symlinked folder on the way, a link out of the root or into `.git/`
 * is refused.
 */
class GitRefSource {
    cwd;
    ref;
    prefix;
    tree;
    links = new Map();
    blobs;
    /**
     * Weights hashed and headers parsed once per blob: at a ref a file's
     * content is its blob id, so every path, link or model that leads to one
     * blob shares one pass over it (across refs too, given the memo of another ref's source).
     */
    weightMemo;
    constructor(cwd, ref, 
    /** The --root folder relative to the top of the repository ("" at the top), looked up on first use. */
    prefix, 
    /** Another ref's memo of the same repository: a blob hashed for the base is not hashed again for a tag. */
    sharing) {
        this.cwd = cwd;
        this.ref = ref;
        this.prefix = prefix;
        this.weightMemo = new WeightMemo(async (path) => {
            const resolved = await this.follow(path);
            return resolved.kind === 'file' ? `blob:${resolved.entry.oid}` : undefined;
        }, sharing);
    }
    get label() {
        return this.ref;
    }
    /** Every file path at the ref, relative to the root folder. */
    async paths() {
        return [...(await this.entries()).keys()];
    }
    /** The git object behind a file at the ref: blob id and mode, as GitHub has them too. */
    async blob(path) {
        const entry = (await this.entries()).get(path);
        return entry && { sha: entry.oid, mode: entry.mode };
    }
    async stat(path) {
        const resolved = await this.follow(path);
        return resolved.kind === 'file' ? { kind: 'file', size: resolved.entry.size } : resolved;
    }
    async resolve(path) {
        const resolved = await this.follow(path);
        return resolved.kind === 'file' ? resolved.path : undefined;
    }
    async read(path, maxBytes) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
        if (entry.value.size > maxBytes) {
            return {
                ok: false,
                problem: {
                    kind: 'too-large',
                    detail: `it is ${entry.value.size} bytes at ${this.ref}, more than the ${maxBytes} read for this kind of file`,
                },
            };
        }
        return { ok: true, value: await this.reader().read(entry.value.oid) };
    }
    async readRange(path, offset, length) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
        const end = Math.min(entry.value.size, offset + length);
        if (entry.value.size <= WHOLE_READ_MAX) {
            const bytes = await this.reader().read(entry.value.oid);
            return { ok: true, value: bytes.subarray(offset, end) };
        }
        const chunks = [];
        let seen = 0;
        await streamBlob(this.cwd, entry.value.oid, (chunk) => {
            chunks.push(chunk);
            seen += chunk.length;
            return seen < end;
        });
        return { ok: true, value: Buffer.concat(chunks).subarray(offset, end) };
    }
    async sha256(path) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
        const hash = createHash('sha256');
        if (entry.value.size <= WHOLE_READ_MAX)
            hash.update(await this.reader().read(entry.value.oid));
        else
            await streamBlob(this.cwd, entry.value.oid, (chunk) => void hash.update(chunk));
        return { ok: true, value: { sha256: hash.digest('hex'), size: entry.value.size } };
    }
    async file(path) {
        const resolved = await this.follow(path);
        if (resolved.kind !== 'file') {
            return {
                ok: false,
                problem: {
                    kind: resolved.kind,
                    detail: resolved.kind === 'missing' ? `it does not exist at ${this.ref}` : resolved.detail,
                },
            };
        }
        return { ok: true, value: resolved.entry };
    }
    /** Where `path` leads at the ref, under the containment rule. */
    async follow(path) {
        const checked = checkRepoPath(path);
        if (!checked.ok)
            return { kind: 'outside', detail: checked.reason };
        const entries = await this.entries();
        let current = checked.path;
        for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            const folderLink = this.linkedFolder(entries, current);
            if (folderLink)
                return {
                    kind: 'outside',
                    detail: `goes through ${folderLink}, a symlinked folder at ${this.ref}; modelgate does not follow symlinked folders`,
                };
            const entry = entries.get(current);
            if (!entry)
                return this.isDirectory(entries, current)
                    ? { kind: 'not-a-file', detail: `is a directory at ${this.ref}` }
                    : { kind: 'missing' };
            if (entry.mode === '160000')
                return { kind: 'not-a-file', detail: `is a git submodule at ${this.ref}` };
            if (entry.mode !== '120000')
                return { kind: 'file', path: current, entry };
            if (entry.size > MAX_LINK_BYTES)
                return { kind: 'not-a-file', detail: 'is a symlink with no usable target' };
            const target = resolveLinkTarget(current, await this.linkTarget(entry.oid));
            if (!target.ok)
                return { kind: 'outside', detail: `${target.reason} (at ${this.ref})` };
            current = target.path;
        }
        return { kind: 'outside', detail: `passes through more than ${MAX_LINK_HOPS} symlinks at ${this.ref}` };
    }
    /** The first folder of `path` that is a symlink in the tree, if any. */
    linkedFolder(entries, path) {
        const segments = path.split('/');
        for (let i = 1; i < segments.length; i++) {
            const folder = segments.slice(0, i).join('/');
            if (entries.get(folder)?.mode === '120000')
                return folder;
        }
        return undefined;
    }
    linkTarget(oid) {
        let target = this.links.get(oid);
        if (!target) {
            target = this.reader()
                .read(oid)
                .then((b) => b.toString('utf8'));
            this.links.set(oid, target);
        }
        return target;
    }
    reader() {
        this.blobs ??= new GitBlobReader(this.cwd);
        return this.blobs;
    }
    isDirectory(entries, path) {
        const prefix = `${path}/`;
        for (const key of entries.keys())
            if (key.startsWith(prefix))
                return true;
        return false;
    }
    entries() {
        this.tree ??= this.listTree();
        return this.tree;
    }
    async listTree() {
        const prefix = await this.prefix();
        const out = await git(this.cwd, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.ref]);
        const entries = new Map();
        for (const record of out.toString('utf8').split('\0')) {
            // "<mode> <type> <oid> <size>\t<path>"
            const tab = record.indexOf('\t');
            if (tab < 0)
                continue;
            const [mode = '', , oid = '', size = '0'] = record.slice(0, tab).split(/ +/);
            const full = record.slice(tab + 1);
            if (!full.startsWith(prefix))
                continue;
            entries.set(full.slice(prefix.length), { mode, oid, size: size === '-' ? 0 : Number(size) });
        }
        return entries;
    }
}

// One for-each-ref call reads every tag with its target and tagger: thousands of tags in milliseconds.
// A tag object's target is its `object` header, never `%(*objectname)`: git 2.44 made the `*` fields
// peel every level, so a tag of a tag would read as a tag of the commit below it, and a missing
// target makes for-each-ref die. The target's real type comes from cat-file (objectTypes).
const FIELDS = [
    '%(refname:strip=2)',
    '%(objecttype)',
    '%(objectname)',
    '%(tag)',
    '%(object)',
    '%(type)',
    '%(taggername)',
    '%(taggeremail:trim)',
    '%(taggerdate:raw)',
    '%(contents)',
];
/**
 * Every tag of the repository at `cwd`. Annotated tags carry their tagger,
 * date and message; lightweight tags come without a tagger (GTO ignores them,
 * but counts their counters). An annotated tag GTO would read differently
 * from its ref name (a renamed tag object, a tag of a tag or of a tree, no
 * tagger) carries the `problem`, so the registry reports it instead of guessing.
 */
async function readTags(cwd) {
    let out;
    try {
        out = await listTags(cwd, ['refs/tags']);
    }
    catch (error) {
        if (!(error instanceof GitError))
            throw error;
        await repositoryPrefix(cwd); // outside a repository, that is the error
        out = await listTagsApart(cwd);
    }
    const { tags, annotated } = parseTagRecords(out);
    // What each annotated tag really points at: GTO reads a release only from a tag of a commit.
    // Both must say commit: the real type (from cat-file) and the tag object's own header, which is
    // what GTO's git library believes.
    const types = await objectTypes(cwd, new Set(annotated.map(({ index }) => tags[index].commit)));
    for (const { index, claimedType } of annotated) {
        const tag = tags[index];
        const type = types.get(tag.commit) ?? 'missing';
        const problem = type !== 'commit'
            ? `it tags a ${type === 'missing' ? 'missing object' : type}, not a commit`
            : claimedType !== 'commit'
                ? `its tag object says it tags a ${claimedType || 'nothing'}, but it tags a commit (GTO cannot read it)`
                : undefined;
        if (problem)
            tags[index] = { ...tag, problem };
    }
    return tags;
}
/** for-each-ref's records (FIELDS) of the refs `patterns` name. */
function listTags(cwd, patterns) {
    return gitText(cwd, ['for-each-ref', '--format', `${FIELDS.join('%00')}%00`, ...patterns]);
}
// Refs named on one for-each-ref command line, so that none grows past the system's limit.
const REFS_PER_CALL = 500;
/**
 * The tags, read in parts because git could not list them at once: a tag
 * object that lies about its target's type makes for-each-ref fail when
 * another ref showed git the real type first. Each part that fails is split
 * in two, down to single tags, so such a tag is read alone (and refused by
 * readTags' checks) and every other tag is read: one bad tag costs about
 * 2 log2(n) calls. A tag git cannot read even alone is a CommandError.
 */
async function listTagsApart(cwd) {
    let names;
    try {
        names = (await gitText(cwd, ['for-each-ref', '--format', '%(refname)', 'refs/tags'])).split('\n');
    }
    catch (error) {
        if (!(error instanceof GitError))
            throw error;
        throw new CommandError(`git cannot list the tags of ${cwd}: ${error.stderr.trim()}`, 'The repository is damaged: check it with `git fsck`, or clone it again.');
    }
    const outs = [];
    // Ref names are never a pattern's prefix of another (git refuses a/b beside a): each names one ref.
    const read = async (refs) => {
        try {
            outs.push(await listTags(cwd, refs));
        }
        catch (error) {
            if (!(error instanceof GitError))
                throw error;
            if (refs.length > 1) {
                const half = Math.ceil(refs.length / 2);
                await read(refs.slice(0, half));
                await read(refs.slice(half));
                return;
            }
            // A tag git cannot read even alone is damaged, not merely odd: what it holds is unknown (a
            // released version, maybe), so nothing is judged without it.
            const [first = ''] = error.stderr.trim().split('\n');
            const reason = first.replace(/^(error|fatal): /, '') || 'no message';
            const name = refs[0].replace(/^refs\/tags\//, '');
            throw new CommandError(`git cannot read the tag ${name} in ${cwd}: ${reason}`, `Check the repository with \`git fsck\`, then fetch a good copy of the tag (\`git fetch origin --force tag ${name}\`) or delete it (\`git tag -d ${name}\`).`);
        }
    };
    const refs = names.filter(Boolean);
    for (let start = 0; start < refs.length; start += REFS_PER_CALL)
        await read(refs.slice(start, start + REFS_PER_CALL));
    return outs.join('');
}
/** The type of each object ("commit", "tree", "blob", "tag", or "missing"), in one cat-file call. */
async function objectTypes(cwd, objects) {
    const types = new Map();
    if (!objects.size)
        return types;
    const out = await gitText(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${[...objects].join('\n')}\n`);
    for (const line of out.split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0)
            types.set(line.slice(0, space), line.slice(space + 1));
    }
    return types;
}
/**
 * The records `for-each-ref` printed with FIELDS: a record ends with NUL and
 * a newline, its fields are separated by NUL (a field that is missing reads
 * as undefined). Read with indexOf, so 10,000 tags cost no array per record.
 * `annotated` lists the tags whose target readTags must still check.
 */
function parseTagRecords(out) {
    const tags = [];
    const annotated = [];
    // Taggers and offsets repeat from tag to tag: one object or string each, not one per tag,
    // so the records that live until the registry is built hold less for the collector to copy.
    const taggers = new Map();
    const offsets = new Map();
    let end = -2;
    let at = 0;
    // The next field of the record that ends at `end`, or undefined past its last one.
    const field = () => {
        if (at > end)
            return undefined;
        const nul = out.indexOf('\0', at);
        const stop = nul < 0 || nul > end ? end : nul;
        const value = out.slice(at, stop);
        at = stop + 1;
        return value;
    };
    for (let start = 0; start < out.length; start = end + 2) {
        end = out.indexOf('\0\n', start);
        if (end < 0)
            end = out.length;
        if (end === start)
            continue;
        at = start;
        const name = field() ?? '';
        const type = field();
        const object = field() ?? '';
        const innerName = field();
        const target = field() ?? '';
        const claimedType = field();
        const taggerName = field();
        const taggerEmail = field();
        const taggerDate = field() ?? '';
        const message = field();
        if (type === 'commit') {
            tags.push({ name, commit: object, date: 0 });
            continue;
        }
        if (type !== 'tag')
            continue;
        // "<seconds> <offset>"
        const space = taggerDate.indexOf(' ');
        const seconds = space < 0 ? taggerDate : taggerDate.slice(0, space);
        const afterOffset = space < 0 ? -1 : taggerDate.indexOf(' ', space + 1);
        const offset = space < 0 ? undefined : taggerDate.slice(space + 1, afterOffset < 0 ? undefined : afterOffset);
        // git prints "0" for a date it cannot read and 2^64 - 5 for "-5"; nothing real is tagged in 1970.
        const date = /^\d{1,15}$/.test(seconds) ? Number(seconds) : 0;
        const problem = innerName !== name
            ? `the tag object is named ${JSON.stringify(innerName)}, not ${JSON.stringify(name)} (GTO would read it as the other name)`
            : !taggerName
                ? 'an annotated tag without a tagger (GTO cannot read it)'
                : date <= 0
                    ? `its tagger line has no date GTO can read (git reads ${JSON.stringify(taggerDate)})`
                    : undefined;
        let tagger;
        if (taggerName) {
            const email = taggerEmail ?? '';
            const key = `${taggerName}\0${email}`;
            tagger = taggers.get(key);
            if (!tagger)
                taggers.set(key, (tagger = { name: taggerName, email }));
        }
        let sharedOffset;
        if (offset) {
            sharedOffset = offsets.get(offset);
            if (sharedOffset === undefined)
                offsets.set(offset, (sharedOffset = offset));
        }
        // One shape for every annotated tag (absent parts undefined), so reading them stays monomorphic.
        annotated.push({ index: tags.length, claimedType: claimedType ?? '' });
        tags.push({
            name,
            commit: target,
            tagger,
            date,
            offset: sharedOffset,
            message: message?.trimEnd(),
            problem,
        });
    }
    return { tags, annotated };
}
/** Creates an annotated tag on `commit`. Tag names come from the registry's formats, which never start with "-". */
async function createTag(cwd, name, commit, message) {
    await git(cwd, ['tag', '-a', '-m', message, name, commit]);
}
/** The commit a ref resolves to, or undefined. */
async function resolveCommit(cwd, ref) {
    try {
        return ((await gitText(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || undefined);
    }
    catch {
        return undefined;
    }
}

/** A model registry in a folder of a local git clone (or a plain folder, for validation without a base). */
class GitRepository {
    root;
    worktree;
    refs = new Map();
    prefix;
    constructor(root) {
        this.root = root;
        this.worktree = new FileSystemSource(root);
    }
    at(ref) {
        let source = this.refs.get(ref);
        if (!source) {
            // Blob ids mean the same at every ref: the refs of one repository share what hashing a blob found.
            const sharing = this.refs.values().next().value?.weightMemo;
            source = new GitRefSource(this.root, ref, () => this.showPrefix(), sharing);
            this.refs.set(ref, source);
        }
        return source;
    }
    findManifests(patterns) {
        return findFiles(this.root, patterns);
    }
    async findManifestsAt(ref, patterns) {
        const globs = manifestGlobs(patterns);
        return (await this.at(ref).paths()).filter((p) => globs.match(p)).sort();
    }
    async changedSince(ref) {
        const [diff, untracked] = await Promise.all([
            this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', ref, '--']),
            this.git(['ls-files', '--others', '--exclude-standard', '-z']),
        ]);
        const paths = new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean));
        for (const link of await this.linksTo(paths))
            paths.add(link);
        return [...paths].sort();
    }
    /**
     * The symlinks of the working tree (tracked, mode 120000) whose target is
     * one of `changed`: a change to the target changes every artifact that
     * leads to it, so `--base` validates those models too.
     */
    async linksTo(changed) {
        if (!changed.size)
            return [];
        const staged = await this.git(['ls-files', '-s', '-z']);
        const links = [];
        for (const record of staged.split('\0')) {
            // "<mode> <oid> <stage>\t<path>"
            if (!record.startsWith('120000 '))
                continue;
            const path = record.slice(record.indexOf('\t') + 1);
            const target = await this.worktree.resolve(path);
            if (target !== undefined && target !== path && changed.has(target))
                links.push(path);
        }
        return links;
    }
    async mergeBase(ref) {
        // One process answers both the folder's prefix and the ref's commit (a --base run's first questions).
        let commit;
        try {
            // "<prefix>\n<commit>\n": the commit is the last line (a folder name may hold a newline).
            const out = (await this.git([
                'rev-parse',
                '--show-prefix',
                '--verify',
                '--quiet',
                '--end-of-options',
                `${ref}^{commit}`,
            ])).replace(/\n$/, '');
            const cut = out.lastIndexOf('\n');
            if (cut < 0)
                throw new GitError(['rev-parse', '--show-prefix'], `unexpected output: ${out}`);
            this.prefix ??= Promise.resolve(out.slice(0, cut));
            commit = out.slice(cut + 1);
        }
        catch {
            await this.showPrefix(); // outside a git repository, that is the error to report
            throw new CommandError(`the base ref "${ref}" does not exist in ${this.root}`, 'Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pass a ref that exists.');
        }
        try {
            return (await this.git(['merge-base', commit, 'HEAD'])).trim();
        }
        catch {
            return commit; // no common history (a shallow clone): compare with the ref itself
        }
    }
    async changedBetween(from, to) {
        const out = await this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', from, to, '--']);
        return out.split('\0').filter(Boolean).sort();
    }
    async resolveCommit(ref) {
        return resolveCommit(this.root, ref);
    }
    readTags() {
        return readTags(this.root);
    }
    /** Creates an annotated tag in the local clone. */
    async createTag(name, commit, message) {
        await createTag(this.root, name, commit, message);
    }
    /** The registry folder relative to the top of the repository ("" at the top, "examples/registry/" below it). */
    topPrefix() {
        return this.showPrefix();
    }
    showPrefix() {
        this.prefix ??= repositoryPrefix(this.root);
        return this.prefix;
    }
    git(args) {
        return gitText(this.root, args);
    }
}

/**
 * One workflow annotation per finding, on the manifest line, with the fix.
 * @actions/core escapes what would end the command (newlines, `%`, and `:`
 * and `,` in properties), not what the log and the annotation show: the
 * title, message and file are made inert here, so no escape sequence or bidi
 * override from a manifest reaches the log or the checks page.
 */
function annotate(findings, root) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    for (const finding of findings) {
        const file = inertText(relative(workspace, join(root, finding.file)));
        const properties = {
            title: `${finding.rule} (${inertText(finding.model)})`,
            file,
            ...(finding.line ? { startLine: finding.line } : {}),
        };
        const message = finding.fix
            ? `${inertText(finding.message)}\nFix: ${inertText(finding.fix)}`
            : inertText(finding.message);
        if (finding.severity === 'error')
            error(message, properties);
        else if (finding.severity === 'warning')
            warning(message, properties);
        else
            notice(message, properties);
    }
}

export { GitRepository as G, MAX_HASHED_CHARACTERS as M, READ_LIMITS as R, sortFindings as a, longIdProblem as b, countBySeverity as c, longKeyProblem as d, annotate as e, describeJsonShapeProblem as f, parseSafetensorsIndex as g, loadModel as h, ModelManifests as i, jsonEqual as j, selectChanged as k, longJsonKey as l, checkCompatibility as m, findBaseline as n, checkUniqueName as o, parseJson as p, contentDigests as q, referencedPaths as r, specialToken as s, tokenId as t, checkVersion as u, validateModels as v, releasedContent as w, validate as x };
