import { f as decodeUtf8, h as formatBytes } from './yaml-document-D8lQUcRd.js';
import { M as MANIFEST_MAX_BYTES, c as parseManifest, d as rolloutFileReferences } from './parse-B69nEYJT.js';
import { posix } from 'node:path';
import { M as MAX_HASHED_CHARACTERS, l as longJsonKey, b as longKeyProblem } from './hashed-string-BvNvQAaH.js';
import { isUtf8 } from 'node:buffer';
import { a as resolveArtifactPath, A as weightMemoOf, c as checkRepoPath, B as compileGlobs, d as releaseTag } from './state-AWNhEueb.js';
import { e as registrationTags } from './registration-tags-C5oXtNLZ.js';

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
            reader.add('SHARDS', 'weights_index', `${resolved.path} does not hold ${absent.length} tensor(s) that ${json.file} assigns to it: ${preview(absent)}`, 'Regenerate the index from the shards (save_pretrained writes both).', resolved.path);
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
function preview(items, max = 3) {
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
/**
 * Why `path`, the manifest a deployment's payload names, is not its release's
 * manifest, or undefined when it is. The payload is written by whoever has
 * deployments: write, and the file it names decides what KServe is tied to and
 * how a rollout is judged; a file at the same commit that merely declares the
 * same model and version (an example, a fixture, a decoy added with the
 * release) must not stand in for the manifest. The release tag's `Manifest:`
 * line says which file was released; a tag without one (made before modelgate
 * wrote it, or by hand) leaves only the files the registry's manifest globs
 * (`globs`, from the default branch's settings) find.
 */
function releasedManifestPathProblem(path, release) {
    const { tag, recorded, globs } = release;
    const checked = checkRepoPath(path);
    if (!checked.ok)
        return `the manifest ${JSON.stringify(path)} the deployment names ${checked.reason}`;
    if (checked.path !== path)
        return `the manifest ${JSON.stringify(path)} the deployment names is not in its normal form ${JSON.stringify(checked.path)}`;
    if (recorded !== undefined)
        return recorded === path
            ? undefined
            : `the deployment names the manifest ${JSON.stringify(path)}, but ${tag} records ${JSON.stringify(recorded)} as the release's manifest`;
    const matcher = compileGlobs(globs);
    if (matcher.ok && matcher.match(path))
        return undefined;
    return `${tag} records no manifest (no Manifest: line), and ${JSON.stringify(path)}, the manifest the deployment names, is not one the registry's manifest globs [${globs.join(', ')}] find`;
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

export { ARCHITECTURE_FIELDS as A, EXPECTED as E, ModelManifests as M, READ_LIMITS as R, SPECIAL_ROLES as S, parseSafetensorsIndex as a, describeJsonShapeProblem as d, findJsonShapeProblem as f, loadModel as l, manifestLineOf as m, parseJson as p, releasedManifestPathProblem as r, stableJson as s };
