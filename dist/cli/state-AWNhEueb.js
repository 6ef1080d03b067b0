import { C as CommandError } from './command-BFTcRIcy.js';
import { spawn, execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { realpath, lstat, readlink, open, rename, rm, mkdir, stat } from 'node:fs/promises';
import { constants as constants$2 } from 'node:fs';
import { posix, join, relative, sep } from 'node:path';

function getDefaultExportFromCjs (x) {
	return x && x.__esModule && Object.prototype.hasOwnProperty.call(x, 'default') ? x['default'] : x;
}

var utils = {};

var constants$1;
var hasRequiredConstants$1;

function requireConstants$1 () {
	if (hasRequiredConstants$1) return constants$1;
	hasRequiredConstants$1 = 1;

	const WIN_SLASH = '\\\\/';
	const WIN_NO_SLASH = `[^${WIN_SLASH}]`;

	const DEFAULT_MAX_EXTGLOB_RECURSION = 0;

	/**
	 * Posix glob regex
	 */

	const DOT_LITERAL = '\\.';
	const PLUS_LITERAL = '\\+';
	const QMARK_LITERAL = '\\?';
	const SLASH_LITERAL = '\\/';
	const ONE_CHAR = '(?=.)';
	const QMARK = '[^/]';
	const END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
	const START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
	const DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
	const NO_DOT = `(?!${DOT_LITERAL})`;
	const NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
	const NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
	const NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
	const QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
	const STAR = `${QMARK}*?`;
	const SEP = '/';

	const POSIX_CHARS = {
	  DOT_LITERAL,
	  PLUS_LITERAL,
	  QMARK_LITERAL,
	  SLASH_LITERAL,
	  ONE_CHAR,
	  QMARK,
	  END_ANCHOR,
	  DOTS_SLASH,
	  NO_DOT,
	  NO_DOTS,
	  NO_DOT_SLASH,
	  NO_DOTS_SLASH,
	  QMARK_NO_DOT,
	  STAR,
	  START_ANCHOR,
	  SEP
	};

	/**
	 * Windows glob regex
	 */

	const WINDOWS_CHARS = {
	  ...POSIX_CHARS,

	  SLASH_LITERAL: `[${WIN_SLASH}]`,
	  QMARK: WIN_NO_SLASH,
	  STAR: `${WIN_NO_SLASH}*?`,
	  DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
	  NO_DOT: `(?!${DOT_LITERAL})`,
	  NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
	  NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
	  NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
	  QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
	  START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
	  END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
	  SEP: '\\'
	};

	/**
	 * POSIX Bracket Regex
	 */

	const POSIX_REGEX_SOURCE = {
	  __proto__: null,
	  alnum: 'a-zA-Z0-9',
	  alpha: 'a-zA-Z',
	  ascii: '\\x00-\\x7F',
	  blank: ' \\t',
	  cntrl: '\\x00-\\x1F\\x7F',
	  digit: '0-9',
	  graph: '\\x21-\\x7E',
	  lower: 'a-z',
	  print: '\\x20-\\x7E ',
	  punct: '\\-!"#$%&\'()\\*+,./:;<=>?@[\\]^_`{|}~',
	  space: ' \\t\\r\\n\\v\\f',
	  upper: 'A-Z',
	  word: 'A-Za-z0-9_',
	  xdigit: 'A-Fa-f0-9'
	};

	constants$1 = {
	  DEFAULT_MAX_EXTGLOB_RECURSION,
	  MAX_LENGTH: 1024 * 64,
	  POSIX_REGEX_SOURCE,

	  // regular expressions
	  REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
	  REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
	  REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
	  REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
	  REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
	  REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,

	  // Replace globs with equivalent patterns to reduce parsing time.
	  REPLACEMENTS: {
	    __proto__: null,
	    '***': '*',
	    '**/**': '**',
	    '**/**/**': '**'
	  },

	  // Digits
	  CHAR_0: 48, /* 0 */
	  CHAR_9: 57, /* 9 */

	  // Alphabet chars.
	  CHAR_UPPERCASE_A: 65, /* A */
	  CHAR_LOWERCASE_A: 97, /* a */
	  CHAR_UPPERCASE_Z: 90, /* Z */
	  CHAR_LOWERCASE_Z: 122, /* z */

	  CHAR_LEFT_PARENTHESES: 40, /* ( */
	  CHAR_RIGHT_PARENTHESES: 41, /* ) */

	  CHAR_ASTERISK: 42, /* * */

	  // Non-alphabetic chars.
	  CHAR_AMPERSAND: 38, /* & */
	  CHAR_AT: 64, /* @ */
	  CHAR_BACKWARD_SLASH: 92, /* \ */
	  CHAR_CARRIAGE_RETURN: 13, /* \r */
	  CHAR_CIRCUMFLEX_ACCENT: 94, /* ^ */
	  CHAR_COLON: 58, /* : */
	  CHAR_COMMA: 44, /* , */
	  CHAR_DOT: 46, /* . */
	  CHAR_DOUBLE_QUOTE: 34, /* " */
	  CHAR_EQUAL: 61, /* = */
	  CHAR_EXCLAMATION_MARK: 33, /* ! */
	  CHAR_FORM_FEED: 12, /* \f */
	  CHAR_FORWARD_SLASH: 47, /* / */
	  CHAR_GRAVE_ACCENT: 96, /* ` */
	  CHAR_HASH: 35, /* # */
	  CHAR_HYPHEN_MINUS: 45, /* - */
	  CHAR_LEFT_ANGLE_BRACKET: 60, /* < */
	  CHAR_LEFT_CURLY_BRACE: 123, /* { */
	  CHAR_LEFT_SQUARE_BRACKET: 91, /* [ */
	  CHAR_LINE_FEED: 10, /* \n */
	  CHAR_NO_BREAK_SPACE: 160, /* \u00A0 */
	  CHAR_PERCENT: 37, /* % */
	  CHAR_PLUS: 43, /* + */
	  CHAR_QUESTION_MARK: 63, /* ? */
	  CHAR_RIGHT_ANGLE_BRACKET: 62, /* > */
	  CHAR_RIGHT_CURLY_BRACE: 125, /* } */
	  CHAR_RIGHT_SQUARE_BRACKET: 93, /* ] */
	  CHAR_SEMICOLON: 59, /* ; */
	  CHAR_SINGLE_QUOTE: 39, /* ' */
	  CHAR_SPACE: 32, /*   */
	  CHAR_TAB: 9, /* \t */
	  CHAR_UNDERSCORE: 95, /* _ */
	  CHAR_VERTICAL_LINE: 124, /* | */
	  CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279, /* \uFEFF */

	  /**
	   * Create EXTGLOB_CHARS
	   */

	  extglobChars(chars) {
	    return {
	      '!': { type: 'negate', open: '(?:(?!(?:', close: `))${chars.STAR})` },
	      '?': { type: 'qmark', open: '(?:', close: ')?' },
	      '+': { type: 'plus', open: '(?:', close: ')+' },
	      '*': { type: 'star', open: '(?:', close: ')*' },
	      '@': { type: 'at', open: '(?:', close: ')' }
	    };
	  },

	  /**
	   * Create GLOB_CHARS
	   */

	  globChars(win32) {
	    return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
	  }
	};
	return constants$1;
}

/*global navigator*/

var hasRequiredUtils;

function requireUtils () {
	if (hasRequiredUtils) return utils;
	hasRequiredUtils = 1;
	(function (exports) {

		const {
		  REGEX_BACKSLASH,
		  REGEX_REMOVE_BACKSLASH,
		  REGEX_SPECIAL_CHARS,
		  REGEX_SPECIAL_CHARS_GLOBAL
		} = /*@__PURE__*/ requireConstants$1();

		exports.isObject = val => val !== null && typeof val === 'object' && !Array.isArray(val);
		exports.hasRegexChars = str => REGEX_SPECIAL_CHARS.test(str);
		exports.isRegexChar = str => str.length === 1 && exports.hasRegexChars(str);
		exports.escapeRegex = str => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, '\\$1');
		exports.toPosixSlashes = str => str.replace(REGEX_BACKSLASH, '/');

		exports.isWindows = () => {
		  if (typeof navigator !== 'undefined' && navigator.platform) {
		    const platform = navigator.platform.toLowerCase();
		    return platform === 'win32' || platform === 'windows';
		  }

		  if (typeof process !== 'undefined' && process.platform) {
		    return process.platform === 'win32';
		  }

		  return false;
		};

		exports.removeBackslashes = str => {
		  return str.replace(REGEX_REMOVE_BACKSLASH, match => {
		    return match === '\\' ? '' : match;
		  });
		};

		exports.escapeLast = (input, char, lastIdx) => {
		  const idx = input.lastIndexOf(char, lastIdx);
		  if (idx === -1) return input;
		  if (input[idx - 1] === '\\') return exports.escapeLast(input, char, idx - 1);
		  return `${input.slice(0, idx)}\\${input.slice(idx)}`;
		};

		exports.removePrefix = (input, state = {}) => {
		  let output = input;
		  if (output.startsWith('./')) {
		    output = output.slice(2);
		    state.prefix = './';
		  }
		  return output;
		};

		exports.wrapOutput = (input, state = {}, options = {}) => {
		  const prepend = options.contains ? '' : '^';
		  const append = options.contains ? '' : '$';

		  let output = `${prepend}(?:${input})${append}`;
		  if (state.negated === true) {
		    output = `(?:^(?!${output}).*$)`;
		  }
		  return output;
		};

		exports.basename = (path, { windows } = {}) => {
		  const segs = path.split(windows ? /[\\/]/ : '/');
		  const last = segs[segs.length - 1];

		  if (last === '') {
		    return segs[segs.length - 2];
		  }

		  return last;
		}; 
	} (utils));
	return utils;
}

var scan_1;
var hasRequiredScan;

function requireScan () {
	if (hasRequiredScan) return scan_1;
	hasRequiredScan = 1;

	const utils = /*@__PURE__*/ requireUtils();
	const {
	  CHAR_ASTERISK,             /* * */
	  CHAR_AT,                   /* @ */
	  CHAR_BACKWARD_SLASH,       /* \ */
	  CHAR_COMMA,                /* , */
	  CHAR_DOT,                  /* . */
	  CHAR_EXCLAMATION_MARK,     /* ! */
	  CHAR_FORWARD_SLASH,        /* / */
	  CHAR_LEFT_CURLY_BRACE,     /* { */
	  CHAR_LEFT_PARENTHESES,     /* ( */
	  CHAR_LEFT_SQUARE_BRACKET,  /* [ */
	  CHAR_PLUS,                 /* + */
	  CHAR_QUESTION_MARK,        /* ? */
	  CHAR_RIGHT_CURLY_BRACE,    /* } */
	  CHAR_RIGHT_PARENTHESES,    /* ) */
	  CHAR_RIGHT_SQUARE_BRACKET  /* ] */
	} = /*@__PURE__*/ requireConstants$1();

	const isPathSeparator = code => {
	  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
	};

	const depth = token => {
	  if (token.isPrefix !== true) {
	    token.depth = token.isGlobstar ? Infinity : 1;
	  }
	};

	/**
	 * Quickly scans a glob pattern and returns an object with a handful of
	 * useful properties, like `isGlob`, `path` (the leading non-glob, if it exists),
	 * `glob` (the actual pattern), `negated` (true if the path starts with `!` but not
	 * with `!(`) and `negatedExtglob` (true if the path starts with `!(`).
	 *
	 * ```js
	 * const pm = require('picomatch');
	 * console.log(pm.scan('foo/bar/*.js'));
	 * { isGlob: true, input: 'foo/bar/*.js', base: 'foo/bar', glob: '*.js' }
	 * ```
	 * @param {String} `str`
	 * @param {Object} `options`
	 * @return {Object} Returns an object with tokens and regex source string.
	 * @api public
	 */

	const scan = (input, options) => {
	  const opts = options || {};

	  const length = input.length - 1;
	  const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
	  const slashes = [];
	  const tokens = [];
	  const parts = [];

	  let str = input;
	  let index = -1;
	  let start = 0;
	  let lastIndex = 0;
	  let isBrace = false;
	  let isBracket = false;
	  let isGlob = false;
	  let isExtglob = false;
	  let isGlobstar = false;
	  let braceEscaped = false;
	  let backslashes = false;
	  let negated = false;
	  let negatedExtglob = false;
	  let finished = false;
	  let braces = 0;
	  let prev;
	  let code;
	  let token = { value: '', depth: 0, isGlob: false };

	  const eos = () => index >= length;
	  const peek = () => str.charCodeAt(index + 1);
	  const advance = () => {
	    prev = code;
	    return str.charCodeAt(++index);
	  };

	  while (index < length) {
	    code = advance();
	    let next;

	    if (code === CHAR_BACKWARD_SLASH) {
	      backslashes = token.backslashes = true;
	      code = advance();

	      if (code === CHAR_LEFT_CURLY_BRACE) {
	        braceEscaped = true;
	      }
	      continue;
	    }

	    if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
	      braces++;

	      while (eos() !== true && (code = advance())) {
	        if (code === CHAR_BACKWARD_SLASH) {
	          backslashes = token.backslashes = true;
	          advance();
	          continue;
	        }

	        if (code === CHAR_LEFT_CURLY_BRACE) {
	          braces++;
	          continue;
	        }

	        if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
	          isBrace = token.isBrace = true;
	          isGlob = token.isGlob = true;
	          finished = true;

	          if (scanToEnd === true) {
	            continue;
	          }

	          break;
	        }

	        if (braceEscaped !== true && code === CHAR_COMMA) {
	          isBrace = token.isBrace = true;
	          isGlob = token.isGlob = true;
	          finished = true;

	          if (scanToEnd === true) {
	            continue;
	          }

	          break;
	        }

	        if (code === CHAR_RIGHT_CURLY_BRACE) {
	          braces--;

	          if (braces === 0) {
	            braceEscaped = false;
	            isBrace = token.isBrace = true;
	            finished = true;
	            break;
	          }
	        }
	      }

	      if (scanToEnd === true) {
	        continue;
	      }

	      break;
	    }

	    if (code === CHAR_FORWARD_SLASH) {
	      slashes.push(index);
	      tokens.push(token);
	      token = { value: '', depth: 0, isGlob: false };

	      if (finished === true) continue;
	      if (prev === CHAR_DOT && index === (start + 1)) {
	        start += 2;
	        continue;
	      }

	      lastIndex = index + 1;
	      continue;
	    }

	    if (opts.noext !== true) {
	      const isExtglobChar = code === CHAR_PLUS
	        || code === CHAR_AT
	        || code === CHAR_ASTERISK
	        || code === CHAR_QUESTION_MARK
	        || code === CHAR_EXCLAMATION_MARK;

	      if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
	        isGlob = token.isGlob = true;
	        isExtglob = token.isExtglob = true;
	        finished = true;
	        if (code === CHAR_EXCLAMATION_MARK && index === start) {
	          negatedExtglob = true;
	        }

	        if (scanToEnd === true) {
	          let parens = 0;

	          while (eos() !== true && (code = advance())) {
	            if (code === CHAR_BACKWARD_SLASH) {
	              backslashes = token.backslashes = true;
	              advance();
	              continue;
	            }

	            if (code === CHAR_LEFT_PARENTHESES) {
	              parens++;
	              continue;
	            }

	            if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
	              finished = true;
	              break;
	            }
	          }
	          continue;
	        }
	        break;
	      }
	    }

	    if (code === CHAR_ASTERISK) {
	      if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
	      isGlob = token.isGlob = true;
	      finished = true;

	      if (scanToEnd === true) {
	        continue;
	      }
	      break;
	    }

	    if (code === CHAR_QUESTION_MARK) {
	      isGlob = token.isGlob = true;
	      finished = true;

	      if (scanToEnd === true) {
	        continue;
	      }
	      break;
	    }

	    if (code === CHAR_LEFT_SQUARE_BRACKET) {
	      while (eos() !== true && (next = advance())) {
	        if (next === CHAR_BACKWARD_SLASH) {
	          backslashes = token.backslashes = true;
	          advance();
	          continue;
	        }

	        if (next === CHAR_RIGHT_SQUARE_BRACKET) {
	          isBracket = token.isBracket = true;
	          isGlob = token.isGlob = true;
	          finished = true;
	          break;
	        }
	      }

	      if (scanToEnd === true) {
	        continue;
	      }

	      break;
	    }

	    if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
	      negated = token.negated = true;
	      start++;
	      continue;
	    }

	    if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
	      isGlob = token.isGlob = true;

	      if (scanToEnd === true) {
	        let parens = 1;

	        while (eos() !== true && (code = advance())) {
	          if (code === CHAR_BACKWARD_SLASH) {
	            backslashes = token.backslashes = true;
	            advance();
	            continue;
	          }

	          if (code === CHAR_LEFT_PARENTHESES) {
	            parens++;
	            continue;
	          }

	          if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
	            finished = true;
	            break;
	          }
	        }
	        continue;
	      }
	      break;
	    }

	    if (isGlob === true) {
	      finished = true;

	      if (scanToEnd === true) {
	        continue;
	      }

	      break;
	    }
	  }

	  if (opts.noext === true) {
	    isExtglob = false;
	    isGlob = false;
	  }

	  let base = str;
	  let prefix = '';
	  let glob = '';

	  if (start > 0) {
	    prefix = str.slice(0, start);
	    str = str.slice(start);
	    lastIndex -= start;
	  }

	  if (base && isGlob === true && lastIndex > 0) {
	    base = str.slice(0, lastIndex);
	    glob = str.slice(lastIndex);
	  } else if (isGlob === true) {
	    base = '';
	    glob = str;
	  } else {
	    base = str;
	  }

	  if (base && base !== '' && base !== '/' && base !== str) {
	    if (isPathSeparator(base.charCodeAt(base.length - 1))) {
	      base = base.slice(0, -1);
	    }
	  }

	  if (opts.unescape === true) {
	    if (glob) glob = utils.removeBackslashes(glob);

	    if (base && backslashes === true) {
	      base = utils.removeBackslashes(base);
	    }
	  }

	  const state = {
	    prefix,
	    input,
	    start,
	    base,
	    glob,
	    isBrace,
	    isBracket,
	    isGlob,
	    isExtglob,
	    isGlobstar,
	    negated,
	    negatedExtglob
	  };

	  if (opts.tokens === true) {
	    state.maxDepth = 0;
	    if (!isPathSeparator(code)) {
	      tokens.push(token);
	    }
	    state.tokens = tokens;
	  }

	  if (opts.parts === true || opts.tokens === true) {
	    let prevIndex;

	    for (let idx = 0; idx < slashes.length; idx++) {
	      const n = prevIndex !== undefined ? prevIndex + 1 : start;
	      const i = slashes[idx];
	      const value = input.slice(n, i);
	      if (opts.tokens) {
	        if (idx === 0 && start !== 0) {
	          tokens[idx].isPrefix = true;
	          tokens[idx].value = prefix;
	        } else {
	          tokens[idx].value = value;
	        }
	        depth(tokens[idx]);
	        state.maxDepth += tokens[idx].depth;
	      }
	      if (i >= start) {
	        parts.push(value);
	        prevIndex = i;
	      }
	    }

	    const n = prevIndex !== undefined ? prevIndex + 1 : start;
	    const value = input.slice(n);
	    parts.push(value);

	    if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
	      tokens[tokens.length - 1].value = value;
	      depth(tokens[tokens.length - 1]);
	      state.maxDepth += tokens[tokens.length - 1].depth;
	    }

	    state.slashes = slashes;
	    state.parts = parts;
	  }

	  return state;
	};

	scan_1 = scan;
	return scan_1;
}

var parse_1$1;
var hasRequiredParse$1;

function requireParse$1 () {
	if (hasRequiredParse$1) return parse_1$1;
	hasRequiredParse$1 = 1;

	const constants = /*@__PURE__*/ requireConstants$1();
	const utils = /*@__PURE__*/ requireUtils();

	/**
	 * Constants
	 */

	const {
	  MAX_LENGTH,
	  POSIX_REGEX_SOURCE,
	  REGEX_NON_SPECIAL_CHARS,
	  REGEX_SPECIAL_CHARS_BACKREF,
	  REPLACEMENTS
	} = constants;

	/**
	 * Helpers
	 */

	const expandRange = (args, options) => {
	  if (typeof options.expandRange === 'function') {
	    return options.expandRange(...args, options);
	  }

	  args.sort();
	  const value = `[${args.join('-')}]`;

	  try {
	    /* eslint-disable-next-line no-new */
	    new RegExp(value);
	  } catch (ex) {
	    return args.map(v => utils.escapeRegex(v)).join('..');
	  }

	  return value;
	};

	/**
	 * Create the message for a syntax error
	 */

	const syntaxError = (type, char) => {
	  return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
	};

	const splitTopLevel = input => {
	  const parts = [];
	  let bracket = 0;
	  let paren = 0;
	  let quote = 0;
	  let value = '';
	  let escaped = false;

	  for (const ch of input) {
	    if (escaped === true) {
	      value += ch;
	      escaped = false;
	      continue;
	    }

	    if (ch === '\\') {
	      value += ch;
	      escaped = true;
	      continue;
	    }

	    if (ch === '"') {
	      quote = quote === 1 ? 0 : 1;
	      value += ch;
	      continue;
	    }

	    if (quote === 0) {
	      if (ch === '[') {
	        bracket++;
	      } else if (ch === ']' && bracket > 0) {
	        bracket--;
	      } else if (bracket === 0) {
	        if (ch === '(') {
	          paren++;
	        } else if (ch === ')' && paren > 0) {
	          paren--;
	        } else if (ch === '|' && paren === 0) {
	          parts.push(value);
	          value = '';
	          continue;
	        }
	      }
	    }

	    value += ch;
	  }

	  parts.push(value);
	  return parts;
	};

	const isPlainBranch = branch => {
	  let escaped = false;

	  for (const ch of branch) {
	    if (escaped === true) {
	      escaped = false;
	      continue;
	    }

	    if (ch === '\\') {
	      escaped = true;
	      continue;
	    }

	    if (/[?*+@!()[\]{}]/.test(ch)) {
	      return false;
	    }
	  }

	  return true;
	};

	const normalizeSimpleBranch = branch => {
	  let value = branch.trim();
	  let changed = true;

	  while (changed === true) {
	    changed = false;

	    if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
	      value = value.slice(2, -1);
	      changed = true;
	    }
	  }

	  if (!isPlainBranch(value)) {
	    return;
	  }

	  return value.replace(/\\(.)/g, '$1');
	};

	const hasRepeatedCharPrefixOverlap = branches => {
	  const values = branches.map(normalizeSimpleBranch).filter(Boolean);

	  for (let i = 0; i < values.length; i++) {
	    for (let j = i + 1; j < values.length; j++) {
	      const a = values[i];
	      const b = values[j];
	      const char = a[0];

	      if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
	        continue;
	      }

	      if (a === b || a.startsWith(b) || b.startsWith(a)) {
	        return true;
	      }
	    }
	  }

	  return false;
	};

	const parseRepeatedExtglob = (pattern, requireEnd = true) => {
	  if ((pattern[0] !== '+' && pattern[0] !== '*') || pattern[1] !== '(') {
	    return;
	  }

	  let bracket = 0;
	  let paren = 0;
	  let quote = 0;
	  let escaped = false;

	  for (let i = 1; i < pattern.length; i++) {
	    const ch = pattern[i];

	    if (escaped === true) {
	      escaped = false;
	      continue;
	    }

	    if (ch === '\\') {
	      escaped = true;
	      continue;
	    }

	    if (ch === '"') {
	      quote = quote === 1 ? 0 : 1;
	      continue;
	    }

	    if (quote === 1) {
	      continue;
	    }

	    if (ch === '[') {
	      bracket++;
	      continue;
	    }

	    if (ch === ']' && bracket > 0) {
	      bracket--;
	      continue;
	    }

	    if (bracket > 0) {
	      continue;
	    }

	    if (ch === '(') {
	      paren++;
	      continue;
	    }

	    if (ch === ')') {
	      paren--;

	      if (paren === 0) {
	        if (requireEnd === true && i !== pattern.length - 1) {
	          return;
	        }

	        return {
	          type: pattern[0],
	          body: pattern.slice(2, i),
	          end: i
	        };
	      }
	    }
	  }
	};

	const buildCharClassStar = chars => {
	  const source = chars.length === 1
	    ? utils.escapeRegex(chars[0])
	    : `[${chars.map(ch => utils.escapeRegex(ch)).join('')}]`;

	  return `${source}*`;
	};

	const getStarExtglobSequenceChars = pattern => {
	  let index = 0;
	  const chars = [];

	  while (index < pattern.length) {
	    const match = parseRepeatedExtglob(pattern.slice(index), false);

	    if (!match || match.type !== '*') {
	      return;
	    }

	    const branches = splitTopLevel(match.body).map(branch => branch.trim());
	    if (branches.length !== 1) {
	      return;
	    }

	    const branch = normalizeSimpleBranch(branches[0]);
	    if (!branch || branch.length !== 1) {
	      return;
	    }

	    chars.push(branch);
	    index += match.end + 1;
	  }

	  if (chars.length < 1) {
	    return;
	  }

	  return chars;
	};

	const repeatedExtglobRecursion = pattern => {
	  let depth = 0;
	  let value = pattern.trim();
	  let match = parseRepeatedExtglob(value);

	  while (match) {
	    depth++;
	    value = match.body.trim();
	    match = parseRepeatedExtglob(value);
	  }

	  return depth;
	};

	const analyzeRepeatedExtglob = (body, options) => {
	  if (options.maxExtglobRecursion === false) {
	    return { risky: false };
	  }

	  const max =
	    typeof options.maxExtglobRecursion === 'number'
	      ? options.maxExtglobRecursion
	      : constants.DEFAULT_MAX_EXTGLOB_RECURSION;

	  const branches = splitTopLevel(body).map(branch => branch.trim());

	  if (branches.length > 1) {
	    if (
	      branches.some(branch => branch === '') ||
	      branches.some(branch => /^[*?]+$/.test(branch)) ||
	      hasRepeatedCharPrefixOverlap(branches)
	    ) {
	      return { risky: true };
	    }
	  }

	  // A repeated extglob is "risky" (prone to catastrophic backtracking) when a
	  // branch is itself a `*(...)` sequence, since that nests an unbounded quantifier
	  // inside the outer `+(...)`/`*(...)`. When *every* branch reduces to single
	  // characters we can emit one flat, ReDoS-safe character class that preserves the
	  // meaning of ALL branches (e.g. `+(*(a)|*(b))` -> `[ab]*`), rather than dropping
	  // every branch but the first.
	  const safeChars = [];
	  let sawStarSequence = false;
	  let combinable = true;

	  for (const branch of branches) {
	    const chars = getStarExtglobSequenceChars(branch);
	    if (chars) {
	      sawStarSequence = true;
	      safeChars.push(...chars);
	      continue;
	    }

	    const literal = normalizeSimpleBranch(branch);
	    if (literal && literal.length === 1) {
	      safeChars.push(literal);
	      continue;
	    }

	    combinable = false;

	    if (repeatedExtglobRecursion(branch) > max) {
	      return { risky: true };
	    }
	  }

	  if (sawStarSequence) {
	    return combinable
	      ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) }
	      : { risky: true };
	  }

	  return { risky: false };
	};

	/**
	 * Parse the given input string.
	 * @param {String} input
	 * @param {Object} options
	 * @return {Object}
	 */

	const parse = (input, options) => {
	  if (typeof input !== 'string') {
	    throw new TypeError('Expected a string');
	  }

	  input = REPLACEMENTS[input] || input;

	  const opts = { ...options };
	  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;

	  let len = input.length;
	  if (len > max) {
	    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
	  }

	  const bos = { type: 'bos', value: '', output: opts.prepend || '' };
	  const tokens = [bos];

	  const capture = opts.capture ? '' : '?:';

	  // create constants based on platform, for windows or posix
	  const PLATFORM_CHARS = constants.globChars(opts.windows);
	  const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);

	  const {
	    DOT_LITERAL,
	    PLUS_LITERAL,
	    SLASH_LITERAL,
	    ONE_CHAR,
	    DOTS_SLASH,
	    NO_DOT,
	    NO_DOT_SLASH,
	    NO_DOTS_SLASH,
	    QMARK,
	    QMARK_NO_DOT,
	    STAR,
	    START_ANCHOR
	  } = PLATFORM_CHARS;

	  const globstar = opts => {
	    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
	  };

	  const nodot = opts.dot ? '' : NO_DOT;
	  const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
	  let star = opts.bash === true ? globstar(opts) : STAR;

	  if (opts.capture) {
	    star = `(${star})`;
	  }

	  // minimatch options support
	  if (typeof opts.noext === 'boolean') {
	    opts.noextglob = opts.noext;
	  }

	  const state = {
	    input,
	    index: -1,
	    start: 0,
	    dot: opts.dot === true,
	    consumed: '',
	    output: '',
	    prefix: '',
	    backtrack: false,
	    negated: false,
	    brackets: 0,
	    braces: 0,
	    parens: 0,
	    quotes: 0,
	    globstar: false,
	    tokens
	  };

	  input = utils.removePrefix(input, state);
	  len = input.length;

	  const extglobs = [];
	  const braces = [];
	  const stack = [];
	  let prev = bos;
	  let value;

	  /**
	   * Tokenizing helpers
	   */

	  const eos = () => state.index === len - 1;
	  const peek = state.peek = (n = 1) => input[state.index + n];
	  const advance = state.advance = () => input[++state.index] || '';
	  const remaining = () => input.slice(state.index + 1);
	  const consume = (value = '', num = 0) => {
	    state.consumed += value;
	    state.index += num;
	  };

	  const append = token => {
	    state.output += token.output != null ? token.output : token.value;
	    consume(token.value);
	  };

	  const negate = () => {
	    let count = 1;

	    while (peek() === '!' && (peek(2) !== '(' || peek(3) === '?')) {
	      advance();
	      state.start++;
	      count++;
	    }

	    if (count % 2 === 0) {
	      return false;
	    }

	    state.negated = true;
	    state.start++;
	    return true;
	  };

	  const increment = type => {
	    state[type]++;
	    stack.push(type);
	  };

	  const decrement = type => {
	    state[type]--;
	    stack.pop();
	  };

	  /**
	   * Push tokens onto the tokens array. This helper speeds up
	   * tokenizing by 1) helping us avoid backtracking as much as possible,
	   * and 2) helping us avoid creating extra tokens when consecutive
	   * characters are plain text. This improves performance and simplifies
	   * lookbehinds.
	   */

	  const push = tok => {
	    if (prev.type === 'globstar') {
	      const isBrace = state.braces > 0 && (tok.type === 'comma' || tok.type === 'brace');
	      const isExtglob = tok.extglob === true || (extglobs.length && (tok.type === 'pipe' || tok.type === 'paren'));

	      if (tok.type !== 'slash' && tok.type !== 'paren' && !isBrace && !isExtglob) {
	        state.output = state.output.slice(0, -prev.output.length);
	        prev.type = 'star';
	        prev.value = '*';
	        prev.output = star;
	        state.output += prev.output;
	      }
	    }

	    if (extglobs.length && tok.type !== 'paren') {
	      extglobs[extglobs.length - 1].inner += tok.value;
	    }

	    if (tok.value || tok.output) append(tok);
	    if (prev && prev.type === 'text' && tok.type === 'text') {
	      prev.output = (prev.output || prev.value) + tok.value;
	      prev.value += tok.value;
	      return;
	    }

	    tok.prev = prev;
	    tokens.push(tok);
	    prev = tok;
	  };

	  const extglobOpen = (type, value) => {
	    const token = { ...EXTGLOB_CHARS[value], conditions: 1, inner: '' };

	    token.prev = prev;
	    token.parens = state.parens;
	    token.output = state.output;
	    token.startIndex = state.index;
	    token.tokensIndex = tokens.length;
	    const output = (opts.capture ? '(' : '') + token.open;

	    increment('parens');
	    push({ type, value, output: state.output ? '' : ONE_CHAR });
	    push({ type: 'paren', extglob: true, value: advance(), output });
	    extglobs.push(token);
	  };

	  const extglobClose = token => {
	    const literal = input.slice(token.startIndex, state.index + 1);
	    const body = input.slice(token.startIndex + 2, state.index);
	    const analysis = analyzeRepeatedExtglob(body, opts);

	    if ((token.type === 'plus' || token.type === 'star') && analysis.risky) {
	      const safeOutput = analysis.safeOutput
	        ? (token.output ? '' : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput)
	        : undefined;
	      const open = tokens[token.tokensIndex];

	      open.type = 'text';
	      open.value = literal;
	      open.output = safeOutput || utils.escapeRegex(literal);

	      for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
	        tokens[i].value = '';
	        tokens[i].output = '';
	        delete tokens[i].suffix;
	      }

	      state.output = token.output + open.output;
	      state.backtrack = true;

	      push({ type: 'paren', extglob: true, value, output: '' });
	      decrement('parens');
	      return;
	    }

	    let output = token.close + (opts.capture ? ')' : '');
	    let rest;

	    if (token.type === 'negate') {
	      let extglobStar = star;

	      if (token.inner && token.inner.length > 1 && token.inner.includes('/')) {
	        extglobStar = globstar(opts);
	      }

	      if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
	        output = token.close = `)$))${extglobStar}`;
	      }

	      if (token.inner.includes('*') && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
	        // Any non-magical string (`.ts`) or even nested expression (`.{ts,tsx}`) can follow after the closing parenthesis.
	        // In this case, we need to parse the string and use it in the output of the original pattern.
	        // Suitable patterns: `/!(*.d).ts`, `/!(*.d).{ts,tsx}`, `**/!(*-dbg).@(js)`.
	        //
	        // Disabling the `fastpaths` option due to a problem with parsing strings as `.ts` in the pattern like `**/!(*.d).ts`.
	        const expression = parse(rest, { ...options, fastpaths: false }).output;

	        output = token.close = `)${expression})${extglobStar})`;
	      }

	      if (token.prev.type === 'bos') {
	        state.negatedExtglob = true;
	      }
	    }

	    push({ type: 'paren', extglob: true, value, output });
	    decrement('parens');
	  };

	  /**
	   * Fast paths
	   */

	  if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
	    let backslashes = false;

	    let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
	      if (first === '\\') {
	        backslashes = true;
	        return m;
	      }

	      if (first === '?') {
	        if (esc) {
	          return esc + first + (rest ? QMARK.repeat(rest.length) : '');
	        }
	        if (index === 0) {
	          return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : '');
	        }
	        return QMARK.repeat(chars.length);
	      }

	      if (first === '.') {
	        return DOT_LITERAL.repeat(chars.length);
	      }

	      if (first === '*') {
	        if (esc) {
	          return esc + first + (rest ? star : '');
	        }
	        return star;
	      }
	      return esc ? m : `\\${m}`;
	    });

	    if (backslashes === true) {
	      if (opts.unescape === true) {
	        output = output.replace(/\\/g, '');
	      } else {
	        output = output.replace(/\\+/g, m => {
	          return m.length % 2 === 0 ? '\\\\' : (m ? '\\' : '');
	        });
	      }
	    }

	    if (output === input && opts.contains === true) {
	      state.output = input;
	      return state;
	    }

	    state.output = utils.wrapOutput(output, state, options);
	    return state;
	  }

	  /**
	   * Tokenize input until we reach end-of-string
	   */

	  while (!eos()) {
	    value = advance();

	    if (value === '\u0000') {
	      continue;
	    }

	    /**
	     * Escaped characters
	     */

	    if (value === '\\') {
	      const next = peek();

	      if (next === '/' && opts.bash !== true) {
	        continue;
	      }

	      if (next === '.' || next === ';') {
	        continue;
	      }

	      if (!next) {
	        value += '\\';
	        push({ type: 'text', value });
	        continue;
	      }

	      // collapse slashes to reduce potential for exploits
	      const match = /^\\+/.exec(remaining());
	      let slashes = 0;

	      if (match && match[0].length > 2) {
	        slashes = match[0].length;
	        state.index += slashes;
	        if (slashes % 2 !== 0) {
	          value += '\\';
	        }
	      }

	      if (opts.unescape === true) {
	        value = advance();
	      } else {
	        value += advance();
	      }

	      if (state.brackets === 0) {
	        push({ type: 'text', value });
	        continue;
	      }
	    }

	    /**
	     * If we're inside a regex character class, continue
	     * until we reach the closing bracket.
	     */

	    if (state.brackets > 0 && (value !== ']' || prev.value === '[' || prev.value === '[^')) {
	      if (opts.posix !== false && value === ':') {
	        const inner = prev.value.slice(1);
	        if (inner.includes('[')) {
	          prev.posix = true;

	          if (inner.includes(':')) {
	            const idx = prev.value.lastIndexOf('[');
	            const pre = prev.value.slice(0, idx);
	            const rest = prev.value.slice(idx + 2);
	            const posix = POSIX_REGEX_SOURCE[rest];
	            if (posix) {
	              prev.value = pre + posix;
	              state.backtrack = true;
	              advance();

	              if (!bos.output && tokens.indexOf(prev) === 1) {
	                bos.output = ONE_CHAR;
	              }
	              continue;
	            }
	          }
	        }
	      }

	      if ((value === '[' && peek() !== ':') || (value === '-' && peek() === ']')) {
	        value = `\\${value}`;
	      }

	      if (value === ']' && (prev.value === '[' || prev.value === '[^')) {
	        value = `\\${value}`;
	      }

	      if (opts.posix === true && value === '!' && prev.value === '[') {
	        value = '^';
	      }

	      prev.value += value;
	      append({ value });
	      continue;
	    }

	    /**
	     * If we're inside a quoted string, continue
	     * until we reach the closing double quote.
	     */

	    if (state.quotes === 1 && value !== '"') {
	      value = utils.escapeRegex(value);
	      prev.value += value;
	      append({ value });
	      continue;
	    }

	    /**
	     * Double quotes
	     */

	    if (value === '"') {
	      state.quotes = state.quotes === 1 ? 0 : 1;
	      if (opts.keepQuotes === true) {
	        push({ type: 'text', value });
	      }
	      continue;
	    }

	    /**
	     * Parentheses
	     */

	    if (value === '(') {
	      increment('parens');
	      push({ type: 'paren', value });
	      continue;
	    }

	    if (value === ')') {
	      if (state.parens === 0 && opts.strictBrackets === true) {
	        throw new SyntaxError(syntaxError('opening', '('));
	      }

	      const extglob = extglobs[extglobs.length - 1];
	      if (extglob && state.parens === extglob.parens + 1) {
	        extglobClose(extglobs.pop());
	        continue;
	      }

	      push({ type: 'paren', value, output: state.parens ? ')' : '\\)' });
	      decrement('parens');
	      continue;
	    }

	    /**
	     * Square brackets
	     */

	    if (value === '[') {
	      if (opts.nobracket === true || !remaining().includes(']')) {
	        if (opts.nobracket !== true && opts.strictBrackets === true) {
	          throw new SyntaxError(syntaxError('closing', ']'));
	        }

	        value = `\\${value}`;
	      } else {
	        increment('brackets');
	      }

	      push({ type: 'bracket', value });
	      continue;
	    }

	    if (value === ']') {
	      if (opts.nobracket === true || (prev && prev.type === 'bracket' && prev.value.length === 1)) {
	        push({ type: 'text', value, output: `\\${value}` });
	        continue;
	      }

	      if (state.brackets === 0) {
	        if (opts.strictBrackets === true) {
	          throw new SyntaxError(syntaxError('opening', '['));
	        }

	        push({ type: 'text', value, output: `\\${value}` });
	        continue;
	      }

	      decrement('brackets');

	      const prevValue = prev.value.slice(1);
	      if (prev.posix !== true && prevValue[0] === '^' && !prevValue.includes('/')) {
	        value = `/${value}`;
	      }

	      prev.value += value;
	      append({ value });

	      // when literal brackets are explicitly disabled
	      // assume we should match with a regex character class
	      if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
	        continue;
	      }

	      const escaped = utils.escapeRegex(prev.value);
	      state.output = state.output.slice(0, -prev.value.length);

	      // when literal brackets are explicitly enabled
	      // assume we should escape the brackets to match literal characters
	      if (opts.literalBrackets === true) {
	        state.output += escaped;
	        prev.value = escaped;
	        continue;
	      }

	      // when the user specifies nothing, try to match both
	      prev.value = `(${capture}${escaped}|${prev.value})`;
	      state.output += prev.value;
	      continue;
	    }

	    /**
	     * Braces
	     */

	    if (value === '{' && opts.nobrace !== true) {
	      increment('braces');

	      const open = {
	        type: 'brace',
	        value,
	        output: '(',
	        outputIndex: state.output.length,
	        tokensIndex: state.tokens.length
	      };

	      braces.push(open);
	      push(open);
	      continue;
	    }

	    if (value === '}') {
	      const brace = braces[braces.length - 1];

	      if (opts.nobrace === true || !brace) {
	        push({ type: 'text', value, output: value });
	        continue;
	      }

	      let output = ')';

	      if (brace.dots === true) {
	        const arr = tokens.slice();
	        const range = [];

	        for (let i = arr.length - 1; i >= 0; i--) {
	          tokens.pop();
	          if (arr[i].type === 'brace') {
	            break;
	          }
	          if (arr[i].type !== 'dots') {
	            range.unshift(arr[i].value);
	          }
	        }

	        output = expandRange(range, opts);
	        state.backtrack = true;
	      }

	      if (brace.comma !== true && brace.dots !== true) {
	        const out = state.output.slice(0, brace.outputIndex);
	        const toks = state.tokens.slice(brace.tokensIndex);
	        brace.value = brace.output = '\\{';
	        value = output = '\\}';
	        state.output = out;
	        for (const t of toks) {
	          state.output += (t.output || t.value);
	        }
	      }

	      push({ type: 'brace', value, output });
	      decrement('braces');
	      braces.pop();
	      continue;
	    }

	    /**
	     * Pipes
	     */

	    if (value === '|') {
	      if (extglobs.length > 0) {
	        extglobs[extglobs.length - 1].conditions++;
	      }
	      push({ type: 'text', value });
	      continue;
	    }

	    /**
	     * Commas
	     */

	    if (value === ',') {
	      let output = value;

	      const brace = braces[braces.length - 1];
	      if (brace && stack[stack.length - 1] === 'braces') {
	        brace.comma = true;
	        output = '|';
	      }

	      push({ type: 'comma', value, output });
	      continue;
	    }

	    /**
	     * Slashes
	     */

	    if (value === '/') {
	      // if the beginning of the glob is "./", advance the start
	      // to the current index, and don't add the "./" characters
	      // to the state. This greatly simplifies lookbehinds when
	      // checking for BOS characters like "!" and "." (not "./")
	      if (prev.type === 'dot' && state.index === state.start + 1) {
	        state.start = state.index + 1;
	        state.consumed = '';
	        state.output = '';
	        tokens.pop();
	        prev = bos; // reset "prev" to the first token
	        continue;
	      }

	      push({ type: 'slash', value, output: SLASH_LITERAL });
	      continue;
	    }

	    /**
	     * Dots
	     */

	    if (value === '.') {
	      if (state.braces > 0 && prev.type === 'dot') {
	        if (prev.value === '.') prev.output = DOT_LITERAL;
	        const brace = braces[braces.length - 1];
	        prev.type = 'dots';
	        prev.output += value;
	        prev.value += value;
	        brace.dots = true;
	        continue;
	      }

	      if ((state.braces + state.parens) === 0 && prev.type !== 'bos' && prev.type !== 'slash') {
	        push({ type: 'text', value, output: DOT_LITERAL });
	        continue;
	      }

	      push({ type: 'dot', value, output: DOT_LITERAL });
	      continue;
	    }

	    /**
	     * Question marks
	     */

	    if (value === '?') {
	      const isGroup = prev && prev.value === '(';
	      if (!isGroup && opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
	        extglobOpen('qmark', value);
	        continue;
	      }

	      if (prev && prev.type === 'paren') {
	        const next = peek();
	        let output = value;

	        if ((prev.value === '(' && !/[!=<:]/.test(next)) || (next === '<' && !/<([!=]|\w+>)/.test(remaining()))) {
	          output = `\\${value}`;
	        }

	        push({ type: 'text', value, output });
	        continue;
	      }

	      if (opts.dot !== true && (prev.type === 'slash' || prev.type === 'bos')) {
	        push({ type: 'qmark', value, output: QMARK_NO_DOT });
	        continue;
	      }

	      push({ type: 'qmark', value, output: QMARK });
	      continue;
	    }

	    /**
	     * Exclamation
	     */

	    if (value === '!') {
	      if (opts.noextglob !== true && peek() === '(') {
	        if (peek(2) !== '?' || !/[!=<:]/.test(peek(3))) {
	          extglobOpen('negate', value);
	          continue;
	        }
	      }

	      if (opts.nonegate !== true && state.index === 0) {
	        negate();
	        continue;
	      }
	    }

	    /**
	     * Plus
	     */

	    if (value === '+') {
	      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
	        extglobOpen('plus', value);
	        continue;
	      }

	      if ((prev && prev.value === '(') || opts.regex === false) {
	        push({ type: 'plus', value, output: PLUS_LITERAL });
	        continue;
	      }

	      if ((prev && (prev.type === 'bracket' || prev.type === 'paren' || prev.type === 'brace')) || state.parens > 0) {
	        push({ type: 'plus', value });
	        continue;
	      }

	      push({ type: 'plus', value: PLUS_LITERAL });
	      continue;
	    }

	    /**
	     * Plain text
	     */

	    if (value === '@') {
	      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
	        push({ type: 'at', extglob: true, value, output: '' });
	        continue;
	      }

	      push({ type: 'text', value });
	      continue;
	    }

	    /**
	     * Plain text
	     */

	    if (value !== '*') {
	      if (value === '$' || value === '^') {
	        value = `\\${value}`;
	      }

	      const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
	      if (match) {
	        value += match[0];
	        state.index += match[0].length;
	      }

	      push({ type: 'text', value });
	      continue;
	    }

	    /**
	     * Stars
	     */

	    if (prev && (prev.type === 'globstar' || prev.star === true)) {
	      prev.type = 'star';
	      prev.star = true;
	      prev.value += value;
	      prev.output = star;
	      state.backtrack = true;
	      state.globstar = true;
	      consume(value);
	      continue;
	    }

	    let rest = remaining();
	    if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
	      extglobOpen('star', value);
	      continue;
	    }

	    if (prev.type === 'star') {
	      if (opts.noglobstar === true) {
	        consume(value);
	        continue;
	      }

	      const prior = prev.prev;
	      const before = prior.prev;
	      const isStart = prior.type === 'slash' || prior.type === 'bos';
	      const afterStar = before && (before.type === 'star' || before.type === 'globstar');

	      if (opts.bash === true && (!isStart || (rest[0] && rest[0] !== '/'))) {
	        push({ type: 'star', value, output: '' });
	        continue;
	      }

	      const isBrace = state.braces > 0 && (prior.type === 'comma' || prior.type === 'brace');
	      const isExtglob = extglobs.length && (prior.type === 'pipe' || prior.type === 'paren');
	      if (!isStart && prior.type !== 'paren' && !isBrace && !isExtglob) {
	        push({ type: 'star', value, output: '' });
	        continue;
	      }

	      // strip consecutive `/**/`
	      while (rest.slice(0, 3) === '/**') {
	        const after = input[state.index + 4];
	        if (after && after !== '/') {
	          break;
	        }
	        rest = rest.slice(3);
	        consume('/**', 3);
	      }

	      // A globstar followed only by balanced closing parens is at the logical end of patterns like
	      // `test(/utils/**)` and `test?(/utils/**)`. Treat it as EOS so the trailing `/**` can match its
	      // parent path, except in negated extglobs where that would change the exclusion semantics.
	      const isEnd = eos() || (
	        state.parens > 0
	        && rest === ')'.repeat(state.parens)
	        && !extglobs.some(extglob => extglob.type === 'negate')
	      );

	      if (prior.type === 'bos' && eos()) {
	        prev.type = 'globstar';
	        prev.value += value;
	        prev.output = globstar(opts);
	        state.output = prev.output;
	        state.globstar = true;
	        consume(value);
	        continue;
	      }

	      if (prior.type === 'slash' && prior.prev.type !== 'bos' && !afterStar && isEnd) {
	        state.output = state.output.slice(0, -(prior.output + prev.output).length);
	        prior.output = `(?:${prior.output}`;

	        prev.type = 'globstar';
	        prev.output = globstar(opts) + (opts.strictSlashes ? ')' : '|$)');
	        prev.value += value;
	        state.globstar = true;
	        state.output += prior.output + prev.output;
	        consume(value);
	        continue;
	      }

	      if (prior.type === 'slash' && prior.prev.type !== 'bos' && rest[0] === '/') {
	        const end = rest[1] !== void 0 ? '|$' : '';

	        state.output = state.output.slice(0, -(prior.output + prev.output).length);
	        prior.output = `(?:${prior.output}`;

	        prev.type = 'globstar';
	        prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
	        prev.value += value;

	        state.output += prior.output + prev.output;
	        state.globstar = true;

	        consume(value + advance());

	        push({ type: 'slash', value: '/', output: '' });
	        continue;
	      }

	      if (prior.type === 'bos' && rest[0] === '/') {
	        prev.type = 'globstar';
	        prev.value += value;
	        prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
	        state.output = prev.output;
	        state.globstar = true;
	        consume(value + advance());
	        push({ type: 'slash', value: '/', output: '' });
	        continue;
	      }

	      // remove single star from output
	      state.output = state.output.slice(0, -prev.output.length);

	      // reset previous token to globstar
	      prev.type = 'globstar';
	      prev.output = globstar(opts);
	      prev.value += value;

	      // reset output with globstar
	      state.output += prev.output;
	      state.globstar = true;
	      consume(value);
	      continue;
	    }

	    const token = { type: 'star', value, output: star };

	    if (opts.bash === true) {
	      token.output = '.*?';
	      if (prev.type === 'bos' || prev.type === 'slash') {
	        token.output = nodot + token.output;
	      }
	      push(token);
	      continue;
	    }

	    if (prev && (prev.type === 'bracket' || prev.type === 'paren') && opts.regex === true) {
	      token.output = value;
	      push(token);
	      continue;
	    }

	    if (state.index === state.start || prev.type === 'slash' || prev.type === 'dot') {
	      if (prev.type === 'dot') {
	        state.output += NO_DOT_SLASH;
	        prev.output += NO_DOT_SLASH;

	      } else if (opts.dot === true) {
	        state.output += NO_DOTS_SLASH;
	        prev.output += NO_DOTS_SLASH;

	      } else {
	        state.output += nodot;
	        prev.output += nodot;
	      }

	      if (peek() !== '*') {
	        state.output += ONE_CHAR;
	        prev.output += ONE_CHAR;
	      }
	    }

	    push(token);
	  }

	  while (state.brackets > 0) {
	    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ']'));
	    state.output = utils.escapeLast(state.output, '[');
	    decrement('brackets');
	  }

	  while (state.parens > 0) {
	    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ')'));
	    state.output = utils.escapeLast(state.output, '(');
	    decrement('parens');
	  }

	  while (state.braces > 0) {
	    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', '}'));
	    state.output = utils.escapeLast(state.output, '{');
	    decrement('braces');
	  }

	  if (opts.strictSlashes !== true && (prev.type === 'star' || prev.type === 'bracket')) {
	    push({ type: 'maybe_slash', value: '', output: `${SLASH_LITERAL}?` });
	  }

	  // rebuild the output if we had to backtrack at any point
	  if (state.backtrack === true) {
	    state.output = '';

	    for (const token of state.tokens) {
	      state.output += token.output != null ? token.output : token.value;

	      if (token.suffix) {
	        state.output += token.suffix;
	      }
	    }
	  }

	  return state;
	};

	/**
	 * Fast paths for creating regular expressions for common glob patterns.
	 * This can significantly speed up processing and has very little downside
	 * impact when none of the fast paths match.
	 */

	parse.fastpaths = (input, options) => {
	  const opts = { ...options };
	  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
	  const len = input.length;
	  if (len > max) {
	    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
	  }

	  input = REPLACEMENTS[input] || input;

	  // create constants based on platform, for windows or posix
	  const {
	    DOT_LITERAL,
	    SLASH_LITERAL,
	    ONE_CHAR,
	    DOTS_SLASH,
	    NO_DOT,
	    NO_DOTS,
	    NO_DOTS_SLASH,
	    STAR,
	    START_ANCHOR
	  } = constants.globChars(opts.windows);

	  const nodot = opts.dot ? NO_DOTS : NO_DOT;
	  const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
	  const capture = opts.capture ? '' : '?:';
	  const state = { negated: false, prefix: '' };
	  let star = opts.bash === true ? '.*?' : STAR;

	  if (opts.capture) {
	    star = `(${star})`;
	  }

	  const globstar = opts => {
	    if (opts.noglobstar === true) return star;
	    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
	  };

	  const create = str => {
	    switch (str) {
	      case '*':
	        return `${nodot}${ONE_CHAR}${star}`;

	      case '.*':
	        return `${DOT_LITERAL}${ONE_CHAR}${star}`;

	      case '*.*':
	        return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

	      case '*/*':
	        return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;

	      case '**':
	        return nodot + globstar(opts);

	      case '**/*':
	        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;

	      case '**/*.*':
	        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

	      case '**/.*':
	        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;

	      default: {
	        const match = /^(.*?)\.(\w+)$/.exec(str);
	        if (!match) return;

	        const source = create(match[1]);
	        if (!source) return;

	        return source + DOT_LITERAL + match[2];
	      }
	    }
	  };

	  const output = utils.removePrefix(input, state);
	  let source = create(output);

	  if (source && opts.strictSlashes !== true) {
	    source += `${SLASH_LITERAL}?`;
	  }

	  return source;
	};

	parse_1$1 = parse;
	return parse_1$1;
}

var picomatch_1$1;
var hasRequiredPicomatch$1;

function requirePicomatch$1 () {
	if (hasRequiredPicomatch$1) return picomatch_1$1;
	hasRequiredPicomatch$1 = 1;

	const scan = /*@__PURE__*/ requireScan();
	const parse = /*@__PURE__*/ requireParse$1();
	const utils = /*@__PURE__*/ requireUtils();
	const constants = /*@__PURE__*/ requireConstants$1();
	const isObject = val => val && typeof val === 'object' && !Array.isArray(val);

	/**
	 * Creates a matcher function from one or more glob patterns. The
	 * returned function takes a string to match as its first argument,
	 * and returns true if the string is a match. The returned matcher
	 * function also takes a boolean as the second argument that, when true,
	 * returns an object with additional information.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch(glob[, options]);
	 *
	 * const isMatch = picomatch('*.!(*a)');
	 * console.log(isMatch('a.a')); //=> false
	 * console.log(isMatch('a.b')); //=> true
	 *
	 * // For environments without `node.js`, `picomatch/posix` provides you a dependency-free matcher, without automatic OS detection.
	 * const picomatch = require('picomatch/posix');
	 * // the same API, defaulting to posix paths
	 * const isMatch = picomatch('a/*');
	 * console.log(isMatch('a\\b')); //=> false
	 * console.log(isMatch('a/b')); //=> true
	 *
	 * // you can still configure the matcher function to accept windows paths
	 * const isMatch = picomatch('a/*', { options: windows });
	 * console.log(isMatch('a\\b')); //=> true
	 * console.log(isMatch('a/b')); //=> true
	 * ```
	 * @name picomatch
	 * @param {String|Array} `globs` One or more glob patterns.
	 * @param {Object=} `options`
	 * @return {Function=} Returns a matcher function.
	 * @api public
	 */

	const picomatch = (glob, options, returnState = false) => {
	  if (Array.isArray(glob)) {
	    const fns = glob.map(input => picomatch(input, options, returnState));
	    const arrayMatcher = str => {
	      for (const isMatch of fns) {
	        const state = isMatch(str);
	        if (state) return state;
	      }
	      return false;
	    };
	    return arrayMatcher;
	  }

	  const isState = isObject(glob) && glob.tokens && glob.input;

	  if (glob === '' || (typeof glob !== 'string' && !isState)) {
	    throw new TypeError('Expected pattern to be a non-empty string');
	  }

	  const opts = options || {};
	  const posix = opts.windows;
	  const regex = isState
	    ? picomatch.compileRe(glob, options)
	    : picomatch.makeRe(glob, options, false, true);

	  const state = regex.state;
	  delete regex.state;

	  let isIgnored = () => false;
	  if (opts.ignore) {
	    const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
	    isIgnored = picomatch(opts.ignore, ignoreOpts, returnState);
	  }

	  const matcher = (input, returnObject = false) => {
	    const { isMatch, match, output } = picomatch.test(input, regex, options, { glob, posix });
	    const result = { glob, state, regex, posix, input, output, match, isMatch };

	    if (typeof opts.onResult === 'function') {
	      opts.onResult(result);
	    }

	    if (isMatch === false) {
	      result.isMatch = false;
	      return returnObject ? result : false;
	    }

	    if (isIgnored(input)) {
	      if (typeof opts.onIgnore === 'function') {
	        opts.onIgnore(result);
	      }
	      result.isMatch = false;
	      return returnObject ? result : false;
	    }

	    if (typeof opts.onMatch === 'function') {
	      opts.onMatch(result);
	    }
	    return returnObject ? result : true;
	  };

	  if (returnState) {
	    matcher.state = state;
	  }

	  return matcher;
	};

	/**
	 * Test `input` with the given `regex`. This is used by the main
	 * `picomatch()` function to test the input string.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.test(input, regex[, options]);
	 *
	 * console.log(picomatch.test('foo/bar', /^(?:([^/]*?)\/([^/]*?))$/));
	 * // { isMatch: true, match: [ 'foo/', 'foo', 'bar' ], output: 'foo/bar' }
	 * ```
	 * @param {String} `input` String to test.
	 * @param {RegExp} `regex`
	 * @return {Object} Returns an object with matching info.
	 * @api public
	 */

	picomatch.test = (input, regex, options, { glob, posix } = {}) => {
	  if (typeof input !== 'string') {
	    throw new TypeError('Expected input to be a string');
	  }

	  if (input === '') {
	    return { isMatch: false, output: '' };
	  }

	  const opts = options || {};
	  const format = opts.format || (posix ? utils.toPosixSlashes : null);
	  let match = input === glob;
	  let output = (match && format) ? format(input) : input;

	  if (match === false) {
	    output = format ? format(input) : input;
	    match = output === glob;
	  }

	  if (match === false || opts.capture === true) {
	    if (opts.matchBase === true || opts.basename === true) {
	      match = picomatch.matchBase(input, regex, options, posix);
	    } else {
	      match = regex.exec(output);
	    }
	  }

	  return { isMatch: Boolean(match), match, output };
	};

	/**
	 * Match the basename of a filepath.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.matchBase(input, glob[, options]);
	 * console.log(picomatch.matchBase('foo/bar.js', '*.js'); // true
	 * ```
	 * @param {String} `input` String to test.
	 * @param {RegExp|String} `glob` Glob pattern or regex created by [.makeRe](#makeRe).
	 * @return {Boolean}
	 * @api public
	 */

	picomatch.matchBase = (input, glob, options, posix = options && options.windows) => {
	  const regex = glob instanceof RegExp ? glob : picomatch.makeRe(glob, options);
	  return regex.test(utils.basename(input, { windows: posix }));
	};

	/**
	 * Returns true if **any** of the given glob `patterns` match the specified `string`.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.isMatch(string, patterns[, options]);
	 *
	 * console.log(picomatch.isMatch('a.a', ['b.*', '*.a'])); //=> true
	 * console.log(picomatch.isMatch('a.a', 'b.*')); //=> false
	 * ```
	 * @param {String|Array} str The string to test.
	 * @param {String|Array} patterns One or more glob patterns to use for matching.
	 * @param {Object} [options] See available [options](#options).
	 * @return {Boolean} Returns true if any patterns match `str`
	 * @api public
	 */

	picomatch.isMatch = (str, patterns, options) => picomatch(patterns, options)(str);

	/**
	 * Parse a glob pattern to create the source string for a regular
	 * expression.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * const result = picomatch.parse(pattern[, options]);
	 * ```
	 * @param {String} `pattern`
	 * @param {Object} `options`
	 * @return {Object} Returns an object with useful properties and output to be used as a regex source string.
	 * @api public
	 */

	picomatch.parse = (pattern, options) => {
	  if (Array.isArray(pattern)) return pattern.map(p => picomatch.parse(p, options));
	  return parse(pattern, { ...options, fastpaths: false });
	};

	/**
	 * Scan a glob pattern to separate the pattern into segments.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.scan(input[, options]);
	 *
	 * const result = picomatch.scan('!./foo/*.js');
	 * console.log(result);
	 * { prefix: '!./',
	 *   input: '!./foo/*.js',
	 *   start: 3,
	 *   base: 'foo',
	 *   glob: '*.js',
	 *   isBrace: false,
	 *   isBracket: false,
	 *   isGlob: true,
	 *   isExtglob: false,
	 *   isGlobstar: false,
	 *   negated: true }
	 * ```
	 * @param {String} `input` Glob pattern to scan.
	 * @param {Object} `options`
	 * @return {Object} Returns an object with
	 * @api public
	 */

	picomatch.scan = (input, options) => scan(input, options);

	/**
	 * Compile a regular expression from the `state` object returned by the
	 * [parse()](#parse) method.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * const state = picomatch.parse('*.js');
	 * // picomatch.compileRe(state[, options]);
	 *
	 * console.log(picomatch.compileRe(state));
	 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
	 * ```
	 * @param {Object} `state`
	 * @param {Object} `options`
	 * @param {Boolean} `returnOutput` Intended for implementors, this argument allows you to return the raw output from the parser.
	 * @param {Boolean} `returnState` Adds the state to a `state` property on the returned regex. Useful for implementors and debugging.
	 * @return {RegExp}
	 * @api public
	 */

	picomatch.compileRe = (state, options, returnOutput = false, returnState = false) => {
	  if (returnOutput === true) {
	    return state.output;
	  }

	  const opts = options || {};
	  const prepend = opts.contains ? '' : '^';
	  const append = opts.contains ? '' : '$';

	  let source = `${prepend}(?:${state.output})${append}`;
	  if (state && state.negated === true) {
	    source = `^(?!${source}).*$`;
	  }

	  const regex = picomatch.toRegex(source, options);
	  if (returnState === true) {
	    regex.state = state;
	  }

	  return regex;
	};

	/**
	 * Create a regular expression from a parsed glob pattern.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.makeRe(state[, options]);
	 *
	 * const result = picomatch.makeRe('*.js');
	 * console.log(result);
	 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
	 * ```
	 * @param {String} `state` The object returned from the `.parse` method.
	 * @param {Object} `options`
	 * @param {Boolean} `returnOutput` Implementors may use this argument to return the compiled output, instead of a regular expression. This is not exposed on the options to prevent end-users from mutating the result.
	 * @param {Boolean} `returnState` Implementors may use this argument to return the state from the parsed glob with the returned regular expression.
	 * @return {RegExp} Returns a regex created from the given pattern.
	 * @api public
	 */

	picomatch.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
	  if (!input || typeof input !== 'string') {
	    throw new TypeError('Expected a non-empty string');
	  }

	  let parsed = { negated: false, fastpaths: true };

	  if (options.fastpaths !== false && (input[0] === '.' || input[0] === '*')) {
	    parsed.output = parse.fastpaths(input, options);
	  }

	  if (!parsed.output) {
	    parsed = parse(input, options);
	  }

	  return picomatch.compileRe(parsed, options, returnOutput, returnState);
	};

	/**
	 * Create a regular expression from the given regex source string.
	 *
	 * ```js
	 * const picomatch = require('picomatch');
	 * // picomatch.toRegex(source[, options]);
	 *
	 * const { output } = picomatch.parse('*.js');
	 * console.log(picomatch.toRegex(output));
	 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
	 * ```
	 * @param {String} `source` Regular expression source string.
	 * @param {Object} `options`
	 * @return {RegExp}
	 * @api public
	 */

	picomatch.toRegex = (source, options) => {
	  try {
	    const opts = options || {};
	    return new RegExp(source, opts.flags || (opts.nocase ? 'i' : ''));
	  } catch (err) {
	    if (options && options.debug === true) throw err;
	    return /$^/;
	  }
	};

	/**
	 * Picomatch constants.
	 * @return {Object}
	 */

	picomatch.constants = constants;

	/**
	 * Expose "picomatch"
	 */

	picomatch_1$1 = picomatch;
	return picomatch_1$1;
}

var picomatch_1;
var hasRequiredPicomatch;

function requirePicomatch () {
	if (hasRequiredPicomatch) return picomatch_1;
	hasRequiredPicomatch = 1;

	const pico = /*@__PURE__*/ requirePicomatch$1();
	const utils = /*@__PURE__*/ requireUtils();

	function picomatch(glob, options, returnState = false) {
	  // default to os.platform()
	  if (options && (options.windows === null || options.windows === undefined)) {
	    // don't mutate the original options object
	    options = { ...options, windows: utils.isWindows() };
	  }

	  return pico(glob, options, returnState);
	}

	Object.assign(picomatch, pico);
	picomatch_1 = picomatch;
	return picomatch_1;
}

var picomatchExports = /*@__PURE__*/ requirePicomatch();
var picomatch = /*@__PURE__*/getDefaultExportFromCjs(picomatchExports);

/**
 * The syntactic half of modelgate's one containment rule (the other half,
 * what the disk or the git tree makes of the path, is the reader's): a
 * repository-relative POSIX path that stays inside the root and never names
 * git's own metadata. `.git/` holds credentials (actions/checkout writes the
 * token into .git/config), so no artifact, manifest, setting or write may
 * reach it, in any letter case (git itself treats `.GIT` as `.git` on
 * case-insensitive file systems).
 */
function checkRepoPath(path) {
    if (path.includes('\0'))
        return { ok: false, reason: 'contains a NUL byte' };
    if (posix.isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\')) {
        return { ok: false, reason: 'is an absolute path; paths are relative to the repository' };
    }
    const normal = posix.normalize(path.replaceAll('\\', '/'));
    if (normal === '..' || normal.startsWith('../')) {
        return { ok: false, reason: 'points outside the repository' };
    }
    if (normal.split('/').some(isGitDir)) {
        return {
            ok: false,
            reason: "is inside .git/, git's own metadata, which modelgate never reads or writes",
        };
    }
    return { ok: true, path: normal === '.' ? '' : normal.replace(/\/$/, '') };
}
/**
 * A path segment that names git's metadata folder on some file system, as
 * git itself refuses them (is_ntfs_dotgit, is_hfs_dotgit): any letter case;
 * on NTFS trailing dots and spaces, an alternate data stream (`.git::$DATA`)
 * and the 8.3 short name `GIT~1`; on HFS+ the code points it ignores.
 */
function isGitDir(segment) {
    const visible = segment.replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '');
    const ntfs = visible.split(':')[0].replace(/[. ]+$/, '');
    return /^\.git$/i.test(ntfs) || /^git~\d+$/i.test(ntfs);
}
/**
 * Resolves `ref`, written relative to the folder of `manifestFile`, to a
 * repository-relative POSIX path under the rule of checkRepoPath.
 */
function resolveArtifactPath(manifestFile, ref) {
    if (ref.includes('\0'))
        return { ok: false, reason: 'contains a NUL byte' };
    if (posix.isAbsolute(ref) || /^[a-zA-Z]:[\\/]/.test(ref) || ref.startsWith('\\')) {
        return { ok: false, reason: 'is an absolute path; artifact paths are relative to the manifest folder' };
    }
    return checkRepoPath(posix.join(posix.dirname(manifestFile), ref.replaceAll('\\', '/')));
}
/**
 * Where a symlink found at `link` (repository-relative) leads, when its
 * target text is `target`: the repository-relative path, or why it leaves.
 */
function resolveLinkTarget(link, target) {
    if (posix.isAbsolute(target))
        return { ok: false, reason: `is a symlink to ${target}, outside the repository` };
    const resolved = checkRepoPath(posix.join(posix.dirname(link), target));
    return resolved.ok
        ? resolved
        : { ok: false, reason: `is a symlink to ${target}, which ${resolved.reason}` };
}
/**
 * Checks a manifest glob from settings or an option: relative, inside the
 * root, never into .git/. A glob cannot name what a path may not.
 */
function checkGlob(pattern) {
    if (!pattern.trim())
        return { ok: false, reason: 'is empty' };
    if (pattern.includes('\0'))
        return { ok: false, reason: 'contains a NUL byte' };
    if (pattern.startsWith('/') || pattern.startsWith('\\') || /^[a-zA-Z]:/.test(pattern))
        return { ok: false, reason: 'is absolute; globs are relative to the registry root' };
    const segments = pattern.replaceAll('\\', '/').split('/');
    if (segments.includes('..'))
        return { ok: false, reason: 'climbs out of the registry root with ..' };
    if (segments.some(isGitDir))
        return { ok: false, reason: 'reaches into .git/' };
    return { ok: true };
}
/**
 * Compiles manifest globs (`!glob` excludes) after checking each with
 * checkGlob; the first unusable glob is returned with its reason.
 */
function compileGlobs(patterns) {
    for (const pattern of patterns) {
        const checked = checkGlob(pattern.replace(/^!/, ''));
        if (!checked.ok)
            return { ok: false, pattern, reason: checked.reason };
    }
    const included = patterns.filter((p) => !p.startsWith('!'));
    const excluded = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const isIncluded = included.length ? picomatch(included, { dot: false }) : () => false;
    const isExcluded = excluded.length ? picomatch(excluded, { dot: false }) : () => false;
    const baseOf = (pattern) => {
        const scan = picomatch.scan(pattern);
        return (scan.isGlob ? scan.base : posix.dirname(scan.base)).replace(/^\.$/, '').replace(/\/$/, '');
    };
    const bases = [...new Set(included.map(baseOf))].sort();
    return {
        ok: true,
        match: (path) => isIncluded(path) && !isExcluded(path),
        startFolders: bases.filter((b) => !bases.some((other) => other !== b && (other === '' || b.startsWith(`${other}/`)))),
    };
}

/**
 * What a model name, a stage, a version and a tag counter may be: one set of
 * rules shared by the manifest schema, the tag parser and every command that
 * writes a tag, so whatever validates can also be released, promoted and
 * deprecated, and whatever modelgate writes it reads back.
 */
/** Longest model or stage name: leaves room for `#stage#N` in one git ref component. */
const NAME_MAX_LENGTH = 100;
/** semver's own limit (node-semver MAX_LENGTH): longer strings are not versions. */
const VERSION_MAX_LENGTH = 256;
/** Git stores a tag as a file `refs/tags/<name>.lock` while writing it: 255 bytes per path component, minus `.lock`. */
const REF_COMPONENT_MAX_BYTES = 250;
/** Patterns for model names (GTO-compatible) and stage names, after the length (1 to NAME_MAX_LENGTH). */
const NAME_RULES = [
    {
        pattern: /^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/,
        message: 'lowercase letters, digits, -, _ and /, starting and ending with a letter or digit',
    },
    // git refuses an empty path component in a tag name ("a//b@v1.0.0").
    // Written without lookahead, so every JSON Schema validator reads it.
    { pattern: /^[^/]*(\/[^/]+)*$/, message: 'no "//": git refuses tag names with an empty path segment' },
];
/** Every name rule in one expression, for callers that only need yes or no. */
const MODEL_NAME = new RegExp(`^(?=.{1,${NAME_MAX_LENGTH}}$)(?!.*//)[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$`);
// SemVer 2.0.0, from semver.org's recommended expression.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** The version pattern (the JSON Schema carries it); `versionProblem` adds the length and numeric limits. */
const VERSION_RULE = {
    pattern: SEMVER,
    message: 'must be a SemVer 2 version such as 1.2.0',
};
const VERSION_TOO_LONG = `at most ${VERSION_MAX_LENGTH} characters (semver's limit)`;
const NAME_TOO_LONG = `at most ${NAME_MAX_LENGTH} characters`;
/** Why `version` is not a version modelgate can compare and tag, or undefined when it is. */
function versionProblem(version) {
    if (version.length > VERSION_MAX_LENGTH)
        return VERSION_TOO_LONG;
    if (!VERSION_RULE.pattern.test(version))
        return VERSION_RULE.message;
    // node-semver refuses numbers it cannot hold exactly (then every comparison throws).
    const [major = '', minor = '', patch = ''] = version.split(/[-+]/, 1)[0].split('.');
    if (![major, minor, patch].every((part) => Number.isSafeInteger(Number(part))))
        return `major, minor and patch must each be at most ${Number.MAX_SAFE_INTEGER}`;
    return undefined;
}
/** Why `name` is not a model (or stage) name, or undefined when it is. */
function nameProblem(name) {
    if (name.length > NAME_MAX_LENGTH)
        return NAME_TOO_LONG;
    return NAME_RULES.find((rule) => !rule.pattern.test(name))?.message;
}
/**
 * A tag counter (`#N`) as GTO reads it: decimal digits, leading zeros allowed
 * (`#007` is 7, `#0` is 0), whose successor is still exact, so the next tag is
 * always `N + 1` written out in digits (never `1e+24`). Undefined for anything else.
 */
function tagCounter(text) {
    if (!/^[0-9]+$/.test(text))
        return undefined;
    const value = Number(text);
    return Number.isSafeInteger(value + 1) ? value : undefined;
}
/** Why git would refuse to create a tag of this name (a path component too long), or undefined. */
function tagNameProblem(tag) {
    const encoder = new TextEncoder();
    const longest = Math.max(...tag.split('/').map((part) => encoder.encode(part).length));
    return longest > REF_COMPONENT_MAX_BYTES
        ? `the tag ${tag.length > 60 ? `${tag.slice(0, 60)}…` : tag} has a part of ${longest} bytes; git allows ${REF_COMPONENT_MAX_BYTES}`
        : undefined;
}

/** The name a folder-qualified model has in a tag: GTO writes `dir:name` as `dir=name`. */
const nameInTag = (name) => name.replaceAll(':', '=');
// Written from GTO's expressions; a JS class needs "-" escaped where Python reads it as a literal.
const GTO_NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?';
const GTO_DIRNAME = '[a-zA-Z0-9\\-_./]+';
const GTO_SEMVER = '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-(?:(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+(?:[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?';
/** GTO's `name_re`: a model (without its folder) or a stage. */
const GTO_NAME_PATTERN = new RegExp(`^${GTO_NAME}$`);
/** GTO's `fullname_re`: a model name as GTO's commands take it, `dir:name` for a model in a folder. */
const GTO_FULLNAME_PATTERN = new RegExp(`^(?:${GTO_DIRNAME}:)?${GTO_NAME}$`);
const TAG = new RegExp(`^(?<artifact>(?:${GTO_DIRNAME}=)?${GTO_NAME})` +
    `(?:(?:#(?<stage>${GTO_NAME})|@v(?<version>${GTO_SEMVER}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))` +
    `(?:#(?<counter>[0-9]+))?$`);
/** Reads a tag name with GTO's grammar; out-of-range versions and counters are ignored with a reason. */
function readRegistryTag(tag) {
    const match = TAG.exec(tag);
    if (!match?.groups)
        return { kind: 'foreign' };
    const { artifact = '', stage, version, cancel, deprecated, counter: digits } = match.groups;
    const name = artifact.replace('=', ':');
    let number;
    if (digits !== undefined) {
        number = tagCounter(digits);
        if (number === undefined)
            return {
                kind: 'ignored',
                name,
                reason: `counter ${clip(digits)} is larger than ${Number.MAX_SAFE_INTEGER - 1}, the largest modelgate can count on from`,
            };
    }
    const numbered = number === undefined ? {} : { number };
    const ignored = (reason) => ({ kind: 'ignored', name, reason, ...numbered });
    if (name.length > NAME_MAX_LENGTH)
        return ignored(`the name is longer than ${NAME_MAX_LENGTH} characters`);
    // git stores such a ref only when it came from elsewhere; it cannot be written back, so it is not read either.
    if (name.includes('//') || stage?.includes('//'))
        return ignored('a name with "//" (git refuses it)');
    if (stage !== undefined)
        return {
            kind: 'registry',
            tag: { action: cancel ? 'unassign' : 'assign', name, stage, ...numbered },
        };
    if (version !== undefined) {
        const problem = versionProblem(version);
        if (problem)
            return ignored(`version "${clip(version)}": ${problem}`);
        return {
            kind: 'registry',
            tag: { action: cancel ? 'deregister' : 'register', name, version, ...numbered },
        };
    }
    if (deprecated)
        return { kind: 'registry', tag: { action: 'deprecate', name, ...numbered } };
    return ignored('GTO reserves name@created but does not read it (its registry fails on it)');
}
/** Reads a tag name; tags in any other format, or out of range, are not the registry's and give undefined. */
function parseRegistryTag(tag) {
    const reading = readRegistryTag(tag);
    return reading.kind === 'registry' ? reading.tag : undefined;
}
/** A short, printable excerpt of the part of a tag that was refused. */
const clip = (text) => (text.length > 40 ? `${text.slice(0, 40)}…` : text).replace(/[^\x20-\x7e…]/g, '?');
/** `name@v1.2.3` (GTO's simple registration, which `gto register` writes too). */
function releaseTag(name, version) {
    return `${nameInTag(name)}@v${version}`;
}
/** `name#stage#N` */
function assignmentTag(name, stage, number) {
    return `${nameInTag(name)}#${stage}#${number}`;
}
/** `name#stage!#N` */
function unassignmentTag(name, stage, number) {
    return `${nameInTag(name)}#${stage}!#${number}`;
}
/** `name@v1.2.3!` (GTO's simple deregistration, `gto deregister`'s default). */
function deregistrationTag(name, version) {
    return `${nameInTag(name)}@v${version}!`;
}
/** `name@v1.2.3!#N`: a deregistration when the simple one exists already (a re-registered version). */
function numberedDeregistrationTag(name, version, number) {
    return `${nameInTag(name)}@v${version}!#${number}`;
}
/** `name@deprecated` (`gto deprecate`'s default), or `name@deprecated#N` once that one exists (a model deprecated again). */
function deprecationTag(name, number) {
    return `${nameInTag(name)}@deprecated${number === undefined ? '' : `#${number}`}`;
}
/** Released versions per model name (registered, deregistration aside: a released version stays taken). */
function releasedVersions(tags) {
    const released = new Map();
    for (const tag of tags) {
        const parsed = parseRegistryTag(tag);
        if (parsed?.action !== 'register')
            continue;
        const versions = released.get(parsed.name) ?? new Set();
        versions.add(parsed.version);
        released.set(parsed.name, versions);
    }
    return released;
}

/**
 * What hashing a weights file and parsing its safetensors header found, kept
 * by the file's identity, so each distinct file costs one pass however many
 * `weights` entries, index shards or manifests name it (a 1 MiB manifest could
 * otherwise list one 100 MB file ten thousand times). The identity is the
 * source's: the path the containment rule resolves to, plus what tells a
 * rewritten file apart (inode, size and times on disk; the blob id at a git
 * ref), so two spellings or symlinks of one file count once and a file
 * changed on disk is read again.
 *
 * A source keeps one for its lifetime (one run); a source without one gets a
 * memo per model load, keyed by the resolved path.
 */
class WeightMemo {
    identify;
    inspections;
    headers;
    constructor(
    /** The identity of the file `path` leads to, or undefined when it leads to no readable file. */
    identify, 
    /** A memo whose results this one shares: sources whose identities mean the same (blob ids at any ref). */
    sharing) {
        this.identify = identify;
        this.inspections = sharing?.inspections ?? new Map();
        this.headers = sharing?.headers ?? new Map();
    }
    /** The file's inspection, computed on the first request for its identity. */
    inspection(identity, compute) {
        return remember(this.inspections, identity, compute);
    }
    /** The file's safetensors header, parsed on the first request for its identity. */
    header(identity, compute) {
        return remember(this.headers, identity, compute);
    }
}
/** The memo `source` keeps for its run, or a fresh one for this load keyed by the resolved path. */
function weightMemoOf(source) {
    return source.weightMemo ?? new WeightMemo((path) => source.resolve(path));
}
function remember(memo, key, compute) {
    let value = memo.get(key);
    if (!value) {
        value = compute();
        memo.set(key, value);
    }
    return value;
}

/**
 * modelgate's one containment rule on the disk, for every read and write of
 * the working tree (artifacts, manifests, settings, datasets, results,
 * restored files). A path is followed only when:
 * - it passes checkRepoPath (relative, no `..` out, never `.git/`);
 * - no folder on the way is a symlink (a symlinked folder can swap the rest
 *   of the path for any place on the host);
 * - its real path (a symlinked *file* is resolved) stays under the root's
 *   real path and outside every `.git/`;
 * - it is a regular file (a FIFO would block, a device never ends).
 */
class ContainedRoot {
    root;
    rootReal;
    constructor(root) {
        this.root = root;
    }
    /** The real path of the root itself. */
    real() {
        return (this.rootReal ??= realpath(this.root));
    }
    /** Where `path` leads under the rule, without opening it. */
    async locate(path) {
        const checked = checkRepoPath(path);
        if (!checked.ok)
            return { kind: 'outside', detail: checked.reason };
        if (!checked.path)
            return { kind: 'not-a-file', detail: 'is the repository root' };
        const segments = checked.path.split('/');
        let at = this.root;
        for (const [index, segment] of segments.entries()) {
            at = join(at, segment);
            const info = await lstat(at).catch(() => undefined);
            if (!info)
                return { kind: 'missing' };
            const last = index === segments.length - 1;
            if (info.isSymbolicLink()) {
                if (!last) {
                    const target = await readlink(at).catch(() => '?');
                    return {
                        kind: 'outside',
                        detail: `goes through ${segments.slice(0, index + 1).join('/')}, a symlinked folder (-> ${target}); modelgate does not follow symlinked folders`,
                    };
                }
                return this.followFileLink(at);
            }
            if (!last && !info.isDirectory())
                return { kind: 'missing' };
            if (last)
                return this.realFile(at, info);
        }
        return { kind: 'missing' };
    }
    /**
     * The last segment, not a link: checked once more by its real path, the
     * name the file system itself resolved (an 8.3 short name or a case
     * variant of `.git` on Windows and macOS, a root under a symlink).
     */
    async realFile(at, info) {
        const real = await realpath(at).catch(() => undefined);
        if (!real)
            return { kind: 'missing' };
        const rel = relative(await this.real(), real);
        if (rel === '' || rel.split(sep)[0] === '..' || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel))
            return { kind: 'outside', detail: 'resolves outside the repository' };
        const resolved = rel.split(sep).join('/');
        if (resolved.split('/').some(isGitDir))
            return {
                kind: 'outside',
                detail: "resolves into .git/, git's own metadata, which modelgate never reads",
            };
        return this.regular(real, resolved, info);
    }
    async followFileLink(link) {
        const target = await readlink(link).catch(() => '?');
        let real;
        try {
            real = await realpath(link);
        }
        catch {
            return { kind: 'missing' }; // a dangling symlink
        }
        const rel = relative(await this.real(), real);
        if (rel === '' || rel.split(sep)[0] === '..' || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel))
            return { kind: 'outside', detail: `is a symlink to ${target}, outside the repository` };
        const resolved = rel.split(sep).join('/');
        if (resolved.split('/').some(isGitDir))
            return {
                kind: 'outside',
                detail: `is a symlink to ${target}, inside .git/, which modelgate never reads`,
            };
        return this.regular(real, resolved, await lstat(real));
    }
    regular(real, resolved, info) {
        if (info.isDirectory())
            return { kind: 'not-a-file', detail: 'is a directory' };
        if (!info.isFile())
            return { kind: 'not-a-file', detail: 'is not a regular file (a FIFO, socket or device)' };
        return { kind: 'file', real, resolved, size: info.size };
    }
    /**
     * Opens a located file for reading without following a symlink swapped in
     * since it was located and without blocking on a FIFO; the handle is checked
     * again to be a regular file.
     */
    async open(file) {
        const handle = await open(file.real, constants$2.O_RDONLY | constants$2.O_NOFOLLOW | constants$2.O_NONBLOCK);
        const info = await handle.stat();
        if (!info.isFile()) {
            await handle.close();
            throw new ContainmentError(file.resolved, 'changed while it was read: it is no longer a regular file');
        }
        return { handle, size: info.size };
    }
    /**
     * Writes `bytes` to `path` under the same rule: folders are created one by
     * one and must be real folders (never a symlink, so a committed link cannot
     * redirect the write), and the new content replaces what is at the path
     * atomically (a temporary file in the same folder, renamed over it): a
     * symlink there is replaced, never written through, and a failed write
     * leaves the old file whole.
     */
    async write(path, bytes) {
        const { dir, name } = await this.folderFor(path);
        const target = join(dir, name);
        const existing = await lstat(target).catch(() => undefined);
        // A symlink in place of the file is replaced by the rename (never followed); anything else that is not a file stays.
        if (existing && !existing.isFile() && !existing.isSymbolicLink())
            throw new ContainmentError(path, 'exists and is not a regular file');
        const temporary = join(dir, `.${name}.modelgate-${randomBytes(6).toString('hex')}`);
        const handle = await open(temporary, constants$2.O_WRONLY | constants$2.O_CREAT | constants$2.O_EXCL | constants$2.O_NOFOLLOW, 0o644);
        try {
            await handle.writeFile(bytes);
            await handle.close();
            await rename(temporary, target);
        }
        catch (error) {
            await handle.close().catch(() => undefined);
            await rm(temporary, { force: true });
            throw error;
        }
    }
    /** Removes `path` (a file, or a symlink itself: never what it points at). Missing is fine. */
    async remove(path) {
        const { dir, name } = await this.folderFor(path);
        const target = join(dir, name);
        const existing = await lstat(target).catch(() => undefined);
        if (!existing)
            return;
        if (existing.isDirectory())
            throw new ContainmentError(path, 'is a directory, not a file');
        await rm(target);
    }
    /**
     * Checks that `path` could be written: the same walk as `write` without
     * creating anything. Lets a command refuse before it changes the first file.
     */
    async checkWritable(path) {
        const { dir, name } = await this.folderFor(path, false);
        const existing = await lstat(join(dir, name)).catch(() => undefined);
        if (existing?.isDirectory())
            throw new ContainmentError(path, 'is a directory, not a file');
    }
    /** The real folder `path` goes into, created (when `create`) one level at a time. */
    async folderFor(path, create = true) {
        const checked = checkRepoPath(path);
        if (!checked.ok)
            throw new ContainmentError(path, checked.reason);
        if (!checked.path)
            throw new ContainmentError(path, 'is the repository root');
        const segments = checked.path.split('/');
        const name = segments.pop();
        let at = await this.real();
        for (const segment of segments) {
            at = join(at, segment);
            const info = await lstat(at).catch(() => undefined);
            if (!info) {
                if (!create)
                    return { dir: at, name }; // what does not exist yet will be made a real folder
                await mkdir(at).catch((error) => {
                    if (error.code !== 'EEXIST')
                        throw error;
                });
                const made = await lstat(at);
                if (made.isDirectory() && !made.isSymbolicLink())
                    continue;
            }
            else if (info.isDirectory())
                continue;
            throw new ContainmentError(path, info?.isSymbolicLink()
                ? `goes through ${relative(await this.real(), at)}, a symlink; modelgate never writes through links`
                : `goes through ${relative(await this.real(), at)}, which is not a folder`);
        }
        return { dir: at, name };
    }
}
/** A write or removal the containment rule refused: a user's repository made it so, not a bug. */
class ContainmentError extends Error {
    path;
    reason;
    constructor(path, reason) {
        super(`${path} ${reason}`);
        this.path = path;
        this.reason = reason;
        this.name = 'ContainmentError';
    }
}

const HASH_CHUNK = 4 * 1024 * 1024;
/**
 * The working tree as an ArtifactSource. Every path goes through the one
 * containment rule (ContainedRoot): nothing outside the root, in `.git/`,
 * behind a symlinked folder, or that is not a regular file is ever opened.
 */
class FileSystemSource {
    root;
    label = 'the working tree';
    contained;
    /** Weights hashed and headers parsed once per file for this source's life (one run), however often they are named. */
    weightMemo = new WeightMemo((path) => this.fileIdentity(path));
    constructor(root) {
        this.root = root;
        this.contained = new ContainedRoot(root);
    }
    async stat(path) {
        const located = await this.contained.locate(path);
        return located.kind === 'file' ? { kind: 'file', size: located.size } : located;
    }
    async resolve(path) {
        const located = await this.contained.locate(path);
        return located.kind === 'file' ? located.resolved : undefined;
    }
    /**
     * The file `path` leads to, as the memo keys it: its resolved path and the
     * inode, size and times that change when the file is rewritten (a file
     * restored between two loads is read again).
     */
    async fileIdentity(path) {
        const located = await this.contained.locate(path);
        if (located.kind !== 'file')
            return undefined;
        const info = await stat(located.real, { bigint: true }).catch(() => undefined);
        if (!info)
            return undefined;
        return [located.resolved, info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join('\0');
    }
    async read(path, maxBytes) {
        const located = await this.contained.locate(path);
        if (located.kind !== 'file')
            return refused(located);
        if (located.size > maxBytes)
            return tooLarge(located.size, maxBytes);
        return this.range(located, 0, maxBytes, maxBytes);
    }
    async readRange(path, offset, length) {
        const located = await this.contained.locate(path);
        if (located.kind !== 'file')
            return refused(located);
        return this.range(located, offset, length);
    }
    async sha256(path) {
        const located = await this.contained.locate(path);
        if (located.kind !== 'file')
            return refused(located);
        const hash = createHash('sha256');
        let size = 0;
        try {
            const { handle } = await this.contained.open(located);
            try {
                for await (const chunk of handle.createReadStream({ highWaterMark: HASH_CHUNK, autoClose: false })) {
                    hash.update(chunk);
                    size += chunk.length;
                }
            }
            finally {
                await handle.close();
            }
        }
        catch (error) {
            return { ok: false, problem: { kind: 'io', detail: error.message } };
        }
        return { ok: true, value: { sha256: hash.digest('hex'), size } };
    }
    /** Reads from an opened handle; a file that grew past `maxBytes` since it was located is refused. */
    async range(file, offset, length, maxBytes) {
        try {
            const { handle, size } = await this.contained.open(file);
            try {
                if (maxBytes !== undefined && size > maxBytes)
                    return tooLarge(size, maxBytes);
                const wanted = Math.max(0, Math.min(length, size - offset));
                const buffer = Buffer.alloc(wanted);
                let done = 0;
                while (done < wanted) {
                    const { bytesRead } = await handle.read(buffer, done, wanted - done, offset + done);
                    if (bytesRead === 0)
                        break;
                    done += bytesRead;
                }
                return { ok: true, value: buffer.subarray(0, done) };
            }
            finally {
                await handle.close();
            }
        }
        catch (error) {
            return { ok: false, problem: { kind: 'io', detail: error.message } };
        }
    }
}
function refused(located) {
    return {
        ok: false,
        problem: {
            kind: located.kind,
            detail: located.kind === 'missing' ? 'it does not exist' : located.detail,
        },
    };
}
function tooLarge(size, maxBytes) {
    return {
        ok: false,
        problem: {
            kind: 'too-large',
            detail: `it is ${size} bytes, more than the ${maxBytes} read for this kind of file`,
        },
    };
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

/** Where the repository-wide settings live (Probot's convention). */
const SETTINGS_FILE = '.github/modelgate.yml';
/**
 * Whether the settings file is absent under the containment rule (then the
 * defaults apply), decided without loading the settings parser: a command
 * that needs no setting (`history`) reads the file, and so loads YAML and the
 * schema, only when there is one to check.
 */
async function settingsFileAbsent(root) {
    return (await new FileSystemSource(root).stat(SETTINGS_FILE)).kind === 'missing';
}

var debug_1;
var hasRequiredDebug;

function requireDebug () {
	if (hasRequiredDebug) return debug_1;
	hasRequiredDebug = 1;

	const debug = (
	  typeof process === 'object' &&
	  process.env &&
	  process.env.NODE_DEBUG &&
	  /\bsemver\b/i.test(process.env.NODE_DEBUG)
	) ? (...args) => console.error('SEMVER', ...args)
	  : () => {};

	debug_1 = debug;
	return debug_1;
}

var constants;
var hasRequiredConstants;

function requireConstants () {
	if (hasRequiredConstants) return constants;
	hasRequiredConstants = 1;

	// Note: this is the semver.org version of the spec that it implements
	// Not necessarily the package version of this code.
	const SEMVER_SPEC_VERSION = '2.0.0';

	const MAX_LENGTH = 256;
	const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER ||
	/* istanbul ignore next */ 9007199254740991;

	// Max safe segment length for coercion.
	const MAX_SAFE_COMPONENT_LENGTH = 16;

	// Max safe length for a build identifier. The max length minus 6 characters for
	// the shortest version with a build 0.0.0+BUILD.
	const MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;

	// ECMAScript whitespace and line terminators matched by \s.
	const WHITESPACE_CHARACTERS = [
	  '\t',
	  '\n',
	  '\v',
	  '\f',
	  '\r',
	  ' ',
	  '\u00a0',
	  '\u1680',
	  '\u2000',
	  '\u2001',
	  '\u2002',
	  '\u2003',
	  '\u2004',
	  '\u2005',
	  '\u2006',
	  '\u2007',
	  '\u2008',
	  '\u2009',
	  '\u200a',
	  '\u2028',
	  '\u2029',
	  '\u202f',
	  '\u205f',
	  '\u3000',
	  '\ufeff',
	];

	const RELEASE_TYPES = [
	  'major',
	  'premajor',
	  'minor',
	  'preminor',
	  'patch',
	  'prepatch',
	  'prerelease',
	];

	constants = {
	  MAX_LENGTH,
	  MAX_SAFE_COMPONENT_LENGTH,
	  MAX_SAFE_BUILD_LENGTH,
	  MAX_SAFE_INTEGER,
	  WHITESPACE_CHARACTERS,
	  RELEASE_TYPES,
	  SEMVER_SPEC_VERSION,
	  FLAG_INCLUDE_PRERELEASE: 0b001,
	  FLAG_LOOSE: 0b010,
	};
	return constants;
}

var re = {exports: {}};

var hasRequiredRe;

function requireRe () {
	if (hasRequiredRe) return re.exports;
	hasRequiredRe = 1;
	(function (module, exports) {

		const {
		  MAX_SAFE_COMPONENT_LENGTH,
		  MAX_SAFE_BUILD_LENGTH,
		  MAX_LENGTH,
		} = requireConstants();
		const debug = requireDebug();
		exports = module.exports = {};

		// The actual regexps go on exports.re
		const re = exports.re = [];
		const safeRe = exports.safeRe = [];
		const src = exports.src = [];
		const safeSrc = exports.safeSrc = [];
		const t = exports.t = {};
		let R = 0;

		const LETTERDASHNUMBER = '[a-zA-Z0-9-]';

		// Replace some greedy regex tokens to prevent regex dos issues. These regex are
		// used internally via the safeRe object since all inputs in this library get
		// normalized first to trim and collapse all extra whitespace. The original
		// regexes are exported for userland consumption and lower level usage. A
		// future breaking change could export the safer regex only with a note that
		// all input should have extra whitespace removed.
		const safeRegexReplacements = [
		  ['\\s', 1],
		  ['\\d', MAX_LENGTH],
		  [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH],
		];

		const makeSafeRegex = (value) => {
		  for (const [token, max] of safeRegexReplacements) {
		    value = value
		      .split(`${token}*`).join(`${token}{0,${max}}`)
		      .split(`${token}+`).join(`${token}{1,${max}}`);
		  }
		  return value
		};

		const createToken = (name, value, isGlobal) => {
		  const safe = makeSafeRegex(value);
		  const index = R++;
		  debug(name, index, value);
		  t[name] = index;
		  src[index] = value;
		  safeSrc[index] = safe;
		  re[index] = new RegExp(value, isGlobal ? 'g' : undefined);
		  safeRe[index] = new RegExp(safe, isGlobal ? 'g' : undefined);
		};

		// The following Regular Expressions can be used for tokenizing,
		// validating, and parsing SemVer version strings.

		// ## Numeric Identifier
		// A single `0`, or a non-zero digit followed by zero or more digits.

		createToken('NUMERICIDENTIFIER', '0|[1-9]\\d*');
		createToken('NUMERICIDENTIFIERLOOSE', '\\d+');

		// ## Non-numeric Identifier
		// Zero or more digits, followed by a letter or hyphen, and then zero or
		// more letters, digits, or hyphens.

		createToken('NONNUMERICIDENTIFIER', `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`);

		// ## Main Version
		// Three dot-separated numeric identifiers.

		createToken('MAINVERSION', `(${src[t.NUMERICIDENTIFIER]})\\.` +
		                   `(${src[t.NUMERICIDENTIFIER]})\\.` +
		                   `(${src[t.NUMERICIDENTIFIER]})`);

		createToken('MAINVERSIONLOOSE', `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` +
		                        `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.` +
		                        `(${src[t.NUMERICIDENTIFIERLOOSE]})`);

		// ## Pre-release Version Identifier
		// A numeric identifier, or a non-numeric identifier.
		// Non-numeric identifiers include numeric identifiers but can be longer.
		// Therefore non-numeric identifiers must go first.

		createToken('PRERELEASEIDENTIFIER', `(?:${src[t.NONNUMERICIDENTIFIER]
		}|${src[t.NUMERICIDENTIFIER]})`);

		createToken('PRERELEASEIDENTIFIERLOOSE', `(?:${src[t.NONNUMERICIDENTIFIER]
		}|${src[t.NUMERICIDENTIFIERLOOSE]})`);

		// ## Pre-release Version
		// Hyphen, followed by one or more dot-separated pre-release version
		// identifiers.

		createToken('PRERELEASE', `(?:-(${src[t.PRERELEASEIDENTIFIER]
		}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`);

		createToken('PRERELEASELOOSE', `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]
		}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`);

		// ## Build Metadata Identifier
		// Any combination of digits, letters, or hyphens.

		createToken('BUILDIDENTIFIER', `${LETTERDASHNUMBER}+`);

		// ## Build Metadata
		// Plus sign, followed by one or more period-separated build metadata
		// identifiers.

		createToken('BUILD', `(?:\\+(${src[t.BUILDIDENTIFIER]
		}(?:\\.${src[t.BUILDIDENTIFIER]})*))`);

		// ## Full Version String
		// A main version, followed optionally by a pre-release version and
		// build metadata.

		// Note that the only major, minor, patch, and pre-release sections of
		// the version string are capturing groups.  The build metadata is not a
		// capturing group, because it should not ever be used in version
		// comparison.

		createToken('FULLPLAIN', `v?${src[t.MAINVERSION]
		}${src[t.PRERELEASE]}?${
		  src[t.BUILD]}?`);

		createToken('FULL', `^${src[t.FULLPLAIN]}$`);

		// like full, but allows v1.2.3 and =1.2.3, which people do sometimes.
		// also, 1.0.0alpha1 (prerelease without the hyphen) which is pretty
		// common in the npm registry.
		createToken('LOOSEPLAIN', `[v=\\s]*${src[t.MAINVERSIONLOOSE]
		}${src[t.PRERELEASELOOSE]}?${
		  src[t.BUILD]}?`);

		createToken('LOOSE', `^${src[t.LOOSEPLAIN]}$`);

		createToken('GTLT', '((?:<|>)?=?)');

		// Something like "2.*" or "1.2.x".
		// Note that "x.x" is a valid xRange identifier, meaning "any version"
		// Only the first item is strictly required.
		createToken('XRANGEIDENTIFIERLOOSE', `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`);
		createToken('XRANGEIDENTIFIER', `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`);

		createToken('XRANGEPLAIN', `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})` +
		                   `(?:\\.(${src[t.XRANGEIDENTIFIER]})` +
		                   `(?:\\.(${src[t.XRANGEIDENTIFIER]})` +
		                   `(?:${src[t.PRERELEASE]})?${
		                     src[t.BUILD]}?` +
		                   `)?)?`);

		createToken('XRANGEPLAINLOOSE', `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})` +
		                        `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` +
		                        `(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})` +
		                        `(?:${src[t.PRERELEASELOOSE]})?${
		                          src[t.BUILD]}?` +
		                        `)?)?`);

		createToken('XRANGE', `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`);
		createToken('XRANGELOOSE', `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`);

		// Coercion.
		// Extract anything that could conceivably be a part of a valid semver
		createToken('COERCEPLAIN', `${'(^|[^\\d])' +
		              '(\\d{1,'}${MAX_SAFE_COMPONENT_LENGTH}})` +
		              `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?` +
		              `(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`);
		createToken('COERCE', `${src[t.COERCEPLAIN]}(?:$|[^\\d])`);
		createToken('COERCEFULL', src[t.COERCEPLAIN] +
		              `(?:${src[t.PRERELEASE]})?` +
		              `(?:${src[t.BUILD]})?` +
		              `(?:$|[^\\d])`);
		createToken('COERCERTL', src[t.COERCE], true);
		createToken('COERCERTLFULL', src[t.COERCEFULL], true);

		// Tilde ranges.
		// Meaning is "reasonably at or greater than"
		createToken('LONETILDE', '(?:~>?)');

		createToken('TILDETRIM', `(\\s*)${src[t.LONETILDE]}\\s+`, true);
		exports.tildeTrimReplace = '$1~';

		createToken('TILDE', `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`);
		createToken('TILDELOOSE', `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`);

		// Caret ranges.
		// Meaning is "at least and backwards compatible with"
		createToken('LONECARET', '(?:\\^)');

		createToken('CARETTRIM', `(\\s*)${src[t.LONECARET]}\\s+`, true);
		exports.caretTrimReplace = '$1^';

		createToken('CARET', `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`);
		createToken('CARETLOOSE', `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`);

		// A simple gt/lt/eq thing, or just "" to indicate "any version"
		createToken('COMPARATORLOOSE', `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`);
		createToken('COMPARATOR', `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`);

		// An expression to strip any whitespace between the gtlt and the thing
		// it modifies, so that `> 1.2.3` ==> `>1.2.3`
		createToken('COMPARATORTRIM', `(\\s*)${src[t.GTLT]
		}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true);
		exports.comparatorTrimReplace = '$1$2$3';

		// Something like `1.2.3 - 1.2.4`
		// Note that these all use the loose form, because they'll be
		// checked against either the strict or loose comparator form
		// later.
		createToken('HYPHENRANGE', `^\\s*(${src[t.XRANGEPLAIN]})` +
		                   `\\s+-\\s+` +
		                   `(${src[t.XRANGEPLAIN]})` +
		                   `\\s*$`);

		createToken('HYPHENRANGELOOSE', `^\\s*(${src[t.XRANGEPLAINLOOSE]})` +
		                        `\\s+-\\s+` +
		                        `(${src[t.XRANGEPLAINLOOSE]})` +
		                        `\\s*$`);

		// Star ranges basically just allow anything at all.
		createToken('STAR', '(<|>)?=?\\s*\\*');
		// >=0.0.0 is like a star
		createToken('GTE0', '^\\s*>=\\s*0\\.0\\.0\\s*$');
		createToken('GTE0PRE', '^\\s*>=\\s*0\\.0\\.0-0\\s*$'); 
	} (re, re.exports));
	return re.exports;
}

var parseOptions_1;
var hasRequiredParseOptions;

function requireParseOptions () {
	if (hasRequiredParseOptions) return parseOptions_1;
	hasRequiredParseOptions = 1;

	// parse out just the options we care about
	const looseOption = Object.freeze({ loose: true });
	const emptyOpts = Object.freeze({ });
	const parseOptions = options => {
	  if (!options) {
	    return emptyOpts
	  }

	  if (typeof options !== 'object') {
	    return looseOption
	  }

	  return options
	};
	parseOptions_1 = parseOptions;
	return parseOptions_1;
}

var identifiers;
var hasRequiredIdentifiers;

function requireIdentifiers () {
	if (hasRequiredIdentifiers) return identifiers;
	hasRequiredIdentifiers = 1;

	const numeric = /^[0-9]+$/;
	const compareIdentifiers = (a, b) => {
	  if (typeof a === 'number' && typeof b === 'number') {
	    return a === b ? 0 : a < b ? -1 : 1
	  }

	  const anum = numeric.test(a);
	  const bnum = numeric.test(b);

	  if (anum && bnum) {
	    a = +a;
	    b = +b;
	  }

	  return a === b ? 0
	    : (anum && !bnum) ? -1
	    : (bnum && !anum) ? 1
	    : a < b ? -1
	    : 1
	};

	const rcompareIdentifiers = (a, b) => compareIdentifiers(b, a);

	identifiers = {
	  compareIdentifiers,
	  rcompareIdentifiers,
	};
	return identifiers;
}

var semver;
var hasRequiredSemver;

function requireSemver () {
	if (hasRequiredSemver) return semver;
	hasRequiredSemver = 1;

	const debug = requireDebug();
	const { MAX_LENGTH, MAX_SAFE_INTEGER } = requireConstants();
	const { safeRe: re, t } = requireRe();

	const parseOptions = requireParseOptions();
	const { compareIdentifiers } = requireIdentifiers();

	const isPrereleaseIdentifier = (prerelease, identifier) => {
	  const identifiers = identifier.split('.');
	  if (identifiers.length > prerelease.length) {
	    return false
	  }

	  for (let i = 0; i < identifiers.length; i++) {
	    if (compareIdentifiers(prerelease[i], identifiers[i]) !== 0) {
	      return false
	    }
	  }

	  return true
	};

	class SemVer {
	  constructor (version, options) {
	    options = parseOptions(options);

	    if (version instanceof SemVer) {
	      if (version.loose === !!options.loose &&
	        version.includePrerelease === !!options.includePrerelease) {
	        return version
	      } else {
	        version = version.version;
	      }
	    } else if (typeof version !== 'string') {
	      throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`)
	    }

	    if (version.length > MAX_LENGTH) {
	      throw new TypeError(
	        `version is longer than ${MAX_LENGTH} characters`
	      )
	    }

	    debug('SemVer', version, options);
	    this.options = options;
	    this.loose = !!options.loose;
	    // this isn't actually relevant for versions, but keep it so that we
	    // don't run into trouble passing this.options around.
	    this.includePrerelease = !!options.includePrerelease;

	    const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL]);

	    if (!m) {
	      throw new TypeError(`Invalid Version: ${version}`)
	    }

	    this.raw = version;

	    // these are actually numbers
	    this.major = +m[1];
	    this.minor = +m[2];
	    this.patch = +m[3];

	    if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
	      throw new TypeError('Invalid major version')
	    }

	    if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
	      throw new TypeError('Invalid minor version')
	    }

	    if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
	      throw new TypeError('Invalid patch version')
	    }

	    // numberify any prerelease numeric ids
	    if (!m[4]) {
	      this.prerelease = [];
	    } else {
	      this.prerelease = m[4].split('.').map((id) => {
	        if (/^[0-9]+$/.test(id)) {
	          const num = +id;
	          if (num >= 0 && num < MAX_SAFE_INTEGER) {
	            return num
	          }
	        }
	        return id
	      });
	    }

	    this.build = m[5] ? m[5].split('.') : [];
	    this.format();
	  }

	  format () {
	    this.version = `${this.major}.${this.minor}.${this.patch}`;
	    if (this.prerelease.length) {
	      this.version += `-${this.prerelease.join('.')}`;
	    }
	    return this.version
	  }

	  toString () {
	    return this.version
	  }

	  compare (other) {
	    debug('SemVer.compare', this.version, this.options, other);
	    if (!(other instanceof SemVer)) {
	      if (typeof other === 'string' && other === this.version) {
	        return 0
	      }
	      other = new SemVer(other, this.options);
	    }

	    if (other.version === this.version) {
	      return 0
	    }

	    return this.compareMain(other) || this.comparePre(other)
	  }

	  compareMain (other) {
	    if (!(other instanceof SemVer)) {
	      other = new SemVer(other, this.options);
	    }

	    if (this.major < other.major) {
	      return -1
	    }
	    if (this.major > other.major) {
	      return 1
	    }
	    if (this.minor < other.minor) {
	      return -1
	    }
	    if (this.minor > other.minor) {
	      return 1
	    }
	    if (this.patch < other.patch) {
	      return -1
	    }
	    if (this.patch > other.patch) {
	      return 1
	    }
	    return 0
	  }

	  comparePre (other) {
	    if (!(other instanceof SemVer)) {
	      other = new SemVer(other, this.options);
	    }

	    // NOT having a prerelease is > having one
	    if (this.prerelease.length && !other.prerelease.length) {
	      return -1
	    } else if (!this.prerelease.length && other.prerelease.length) {
	      return 1
	    } else if (!this.prerelease.length && !other.prerelease.length) {
	      return 0
	    }

	    let i = 0;
	    do {
	      const a = this.prerelease[i];
	      const b = other.prerelease[i];
	      debug('prerelease compare', i, a, b);
	      if (a === undefined && b === undefined) {
	        return 0
	      } else if (b === undefined) {
	        return 1
	      } else if (a === undefined) {
	        return -1
	      } else if (a === b) {
	        continue
	      } else {
	        return compareIdentifiers(a, b)
	      }
	    } while (++i)
	  }

	  compareBuild (other) {
	    if (!(other instanceof SemVer)) {
	      other = new SemVer(other, this.options);
	    }

	    let i = 0;
	    do {
	      const a = this.build[i];
	      const b = other.build[i];
	      debug('build compare', i, a, b);
	      if (a === undefined && b === undefined) {
	        return 0
	      } else if (b === undefined) {
	        return 1
	      } else if (a === undefined) {
	        return -1
	      } else if (a === b) {
	        continue
	      } else {
	        return compareIdentifiers(a, b)
	      }
	    } while (++i)
	  }

	  // preminor will bump the version up to the next minor release, and immediately
	  // down to pre-release. premajor and prepatch work the same way.
	  inc (release, identifier, identifierBase) {
	    if (release.startsWith('pre')) {
	      if (!identifier && identifierBase === false) {
	        throw new Error('invalid increment argument: identifier is empty')
	      }
	      // Avoid an invalid semver results
	      if (identifier) {
	        const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE]);
	        if (!match || match[1] !== identifier) {
	          throw new Error(`invalid identifier: ${identifier}`)
	        }
	      }
	    }

	    switch (release) {
	      case 'premajor':
	        this.prerelease.length = 0;
	        this.patch = 0;
	        this.minor = 0;
	        this.major++;
	        this.inc('pre', identifier, identifierBase);
	        break
	      case 'preminor':
	        this.prerelease.length = 0;
	        this.patch = 0;
	        this.minor++;
	        this.inc('pre', identifier, identifierBase);
	        break
	      case 'prepatch':
	        // If this is already a prerelease, it will bump to the next version
	        // drop any prereleases that might already exist, since they are not
	        // relevant at this point.
	        this.prerelease.length = 0;
	        this.inc('patch', identifier, identifierBase);
	        this.inc('pre', identifier, identifierBase);
	        break
	      // If the input is a non-prerelease version, this acts the same as
	      // prepatch.
	      case 'prerelease':
	        if (this.prerelease.length === 0) {
	          this.inc('patch', identifier, identifierBase);
	        }
	        this.inc('pre', identifier, identifierBase);
	        break
	      case 'release':
	        if (this.prerelease.length === 0) {
	          throw new Error(`version ${this.raw} is not a prerelease`)
	        }
	        this.prerelease.length = 0;
	        break

	      case 'major':
	        // If this is a pre-major version, bump up to the same major version.
	        // Otherwise increment major.
	        // 1.0.0-5 bumps to 1.0.0
	        // 1.1.0 bumps to 2.0.0
	        if (
	          this.minor !== 0 ||
	          this.patch !== 0 ||
	          this.prerelease.length === 0
	        ) {
	          this.major++;
	        }
	        this.minor = 0;
	        this.patch = 0;
	        this.prerelease = [];
	        break
	      case 'minor':
	        // If this is a pre-minor version, bump up to the same minor version.
	        // Otherwise increment minor.
	        // 1.2.0-5 bumps to 1.2.0
	        // 1.2.1 bumps to 1.3.0
	        if (this.patch !== 0 || this.prerelease.length === 0) {
	          this.minor++;
	        }
	        this.patch = 0;
	        this.prerelease = [];
	        break
	      case 'patch':
	        // If this is not a pre-release version, it will increment the patch.
	        // If it is a pre-release it will bump up to the same patch version.
	        // 1.2.0-5 patches to 1.2.0
	        // 1.2.0 patches to 1.2.1
	        if (this.prerelease.length === 0) {
	          this.patch++;
	        }
	        this.prerelease = [];
	        break
	      // This probably shouldn't be used publicly.
	      // 1.0.0 'pre' would become 1.0.0-0 which is the wrong direction.
	      case 'pre': {
	        const base = Number(identifierBase) ? 1 : 0;

	        if (this.prerelease.length === 0) {
	          this.prerelease = [base];
	        } else {
	          let i = this.prerelease.length;
	          while (--i >= 0) {
	            if (typeof this.prerelease[i] === 'number') {
	              this.prerelease[i]++;
	              i = -2;
	            }
	          }
	          if (i === -1) {
	            // didn't increment anything
	            if (identifier === this.prerelease.join('.') && identifierBase === false) {
	              throw new Error('invalid increment argument: identifier already exists')
	            }
	            this.prerelease.push(base);
	          }
	        }
	        if (identifier) {
	          // 1.2.0-beta.1 bumps to 1.2.0-beta.2,
	          // 1.2.0-beta.fooblz or 1.2.0-beta bumps to 1.2.0-beta.0
	          let prerelease = [identifier, base];
	          if (identifierBase === false) {
	            prerelease = [identifier];
	          }
	          if (isPrereleaseIdentifier(this.prerelease, identifier)) {
	            const prereleaseBase = this.prerelease[identifier.split('.').length];
	            if (isNaN(prereleaseBase)) {
	              this.prerelease = prerelease;
	            }
	          } else {
	            this.prerelease = prerelease;
	          }
	        }
	        break
	      }
	      default:
	        throw new Error(`invalid increment argument: ${release}`)
	    }
	    this.raw = this.format();
	    if (this.build.length) {
	      this.raw += `+${this.build.join('.')}`;
	    }
	    return this
	  }
	}

	semver = SemVer;
	return semver;
}

var compare_1;
var hasRequiredCompare;

function requireCompare () {
	if (hasRequiredCompare) return compare_1;
	hasRequiredCompare = 1;

	const SemVer = requireSemver();
	const compare = (a, b, loose) =>
	  new SemVer(a, loose).compare(new SemVer(b, loose));

	compare_1 = compare;
	return compare_1;
}

var compareExports = requireCompare();
var semverCompare = /*@__PURE__*/getDefaultExportFromCjs(compareExports);

var parse_1;
var hasRequiredParse;

function requireParse () {
	if (hasRequiredParse) return parse_1;
	hasRequiredParse = 1;

	const SemVer = requireSemver();
	const parse = (version, options, throwErrors = false) => {
	  if (version instanceof SemVer) {
	    return version
	  }
	  try {
	    return new SemVer(version, options)
	  } catch (er) {
	    if (!throwErrors) {
	      return null
	    }
	    throw er
	  }
	};

	parse_1 = parse;
	return parse_1;
}

var parseExports = requireParse();
var semverParse = /*@__PURE__*/getDefaultExportFromCjs(parseExports);

// No leading zeros, as SemVer 2 (and node-semver) require; the numbers are checked for size below.
const PLAIN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** The version read for ordering, or null where node-semver's `parse` gives null (not a version it can compare). */
function versionKey(text) {
    const match = PLAIN.exec(text);
    if (match) {
        const major = Number(match[1]);
        const minor = Number(match[2]);
        const patch = Number(match[3]);
        // node-semver refuses a part above Number.MAX_SAFE_INTEGER: left to it, so it refuses here too.
        if (Number.isSafeInteger(major) && Number.isSafeInteger(minor) && Number.isSafeInteger(patch))
            return { major, minor, patch, text, plain: true };
    }
    const parsed = semverParse(text);
    return parsed && { major: parsed.major, minor: parsed.minor, patch: parsed.patch, text, plain: false };
}
/** node-semver's `compare` of two keys: main parts as numbers, then (when either has more) node-semver itself. */
function compareVersionKeys(a, b) {
    if (a.major !== b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor !== b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch !== b.patch)
        return a.patch < b.patch ? -1 : 1;
    return a.plain && b.plain ? 0 : semverCompare(a.text, b.text);
}

const PRIORITY = {
    deprecate: 2,
    register: 3,
    deregister: 4,
    assign: 5,
    unassign: 6,
};
// GTO reads tags kind by kind (`GitRegistry.get_state`): deprecations, then versions, then stages.
const PASS = {
    deprecate: 0,
    register: 1,
    deregister: 1,
    assign: 2,
    unassign: 2,
};
/**
 * The event a readable registry tag records: built field by field (no spread), one
 * shape per kind, as readRegistry files thousands of them. A version is kept with
 * its `v` ("v1.2.3") until the registry is read out.
 */
function eventOf(parsed, record, tagger) {
    const { name: tag, commit, date, message } = record;
    const offset = record.offset || undefined;
    const priority = PRIORITY[parsed.action];
    const author = tagger.name;
    const authorEmail = tagger.email;
    switch (parsed.action) {
        case 'register':
        case 'deregister': {
            const { action, name, number } = parsed;
            const version = parsed.version.startsWith('v') ? parsed.version : `v${parsed.version}`;
            // prettier-ignore
            return { action, name, version, number, tag, commit, date, offset, author, authorEmail, message, priority };
        }
        case 'assign':
        case 'unassign': {
            const { action, name, stage, number } = parsed;
            // prettier-ignore
            return { action, name, stage, number, tag, commit, date, offset, author, authorEmail, message, priority, version: undefined };
        }
        case 'deprecate': {
            const { action, name, number } = parsed;
            return { action, name, number, tag, commit, date, offset, author, authorEmail, message, priority };
        }
    }
}
/** Python's `sorted(key=...)`: stable, ascending; each key is computed once, not at every comparison. */
function sortedBy(items, key) {
    if (items.length < 2)
        return items.slice();
    const keys = items.map(key);
    const order = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    return order.map((i) => items[i]);
}
const byDate = (items) => items.length < 2 ? items.slice() : items.slice().sort((a, b) => a.date - b.date);
/** Python's `sorted(...)[::-1]`: GTO's "newest first", ties broken by reversing the input order. */
function newestFirst(items) {
    // Most lists here hold one or two events (a version's registration, a stage's assignment):
    // ordered without a sort, the same order the sort gives.
    if (items.length === 1)
        return [items[0]];
    if (items.length === 2) {
        const [a, b] = items;
        return a.date <= b.date ? [b, a] : [a, b];
    }
    return byDate(items).reverse();
}
// A stable sort keeps the input order among equal dates, so sorting parts before joining them
// changes nothing in the order of the whole: the methods below join first and sort once.
/** A (version, stage) pair: GTO's `VStage`. */
class VersionStage {
    stage;
    assignments = [];
    withdrawals = [];
    newest;
    constructor(stage) {
        this.stage = stage;
    }
    // Read only after readRegistry has filed every tag, so sorted once (10,000 tags: not 10,000 sorts).
    events() {
        return (this.newest ??= newestFirst(this.withdrawals.length ? this.assignments.concat(this.withdrawals) : this.assignments));
    }
    get active() {
        return this.events()[0]?.action === 'assign';
    }
    get activatedAt() {
        return this.events()[0].date;
    }
    /** The newest assignment: GTO's authoring event of a stage. */
    get authoring() {
        return this.events().find((e) => e.action === 'assign') ?? this.events()[0];
    }
}
/** One version of a model at one commit: GTO's `Version`. */
class VersionRecord {
    version;
    commit;
    registrations = [];
    deregistrations = [];
    /** Each stage this version was assigned to or withdrawn from, in the order first seen. */
    stages = new Map();
    /** The version read for ordering, when it is a SemVer one ("v1.2.3"): read once, not at every comparison. */
    semver;
    newest;
    newestDirect;
    newestIndirect;
    constructor(
    /** "v1.2.3", or the commit for a version known only from a stage tag. */
    version, commit) {
        this.version = version;
        this.commit = commit;
        this.semver = version.startsWith('v') ? versionKey(version.slice(1)) : null;
    }
    direct() {
        return this.deregistrations.length ? this.registrations.concat(this.deregistrations) : this.registrations;
    }
    indirect() {
        const events = [];
        for (const stage of this.stages.values())
            for (const e of stage.events())
                events.push(e);
        return events;
    }
    // Read only after readRegistry has filed every tag, so sorted once.
    events() {
        return (this.newest ??= newestFirst(this.direct().concat(this.indirect())));
    }
    // Asked while tags are filed: counts, never the cached events.
    get discovered() {
        return this.registrations.length === 0 && this.deregistrations.length === 0;
    }
    get registered() {
        return this.registrations.length > 0;
    }
    // Asked only after every tag is filed (stage holders, states), so each is sorted once, not per question.
    directNewestFirst() {
        return (this.newestDirect ??= newestFirst(this.direct()));
    }
    indirectNewestFirst() {
        return (this.newestIndirect ??= newestFirst(this.indirect()));
    }
    get active() {
        const direct = this.directNewestFirst();
        if (direct.length)
            return direct[0].action === 'register';
        return this.indirectNewestFirst().length > 0;
    }
    get authoring() {
        const addition = this.directNewestFirst().find((e) => e.action === 'register');
        return addition ?? this.indirectNewestFirst()[0];
    }
    /** The record of `stage` on this version, created when first seen. */
    stage(stage) {
        let known = this.stages.get(stage);
        if (!known)
            this.stages.set(stage, (known = new VersionStage(stage)));
        return known;
    }
    /** GTO's `get_vstages(ascending=True)`: active stages, the one activated first first. */
    activeStages() {
        return sortedBy([...this.stages.values()].filter((s) => s.active), (s) => s.activatedAt);
    }
}
const isSemver = (version) => version.startsWith('v') && versionKey(version.slice(1)) !== null;
const plain = (version) => (isSemver(version) ? version.slice(1) : version);
/** SemVer order of two versions, each parsed once. */
const compareSemver = (a, b) => compareVersionKeys(a.semver, b.semver);
/** One model as GTO's `Artifact` holds it. */
class ModelRecord {
    name;
    deprecations = [];
    versions = [];
    /** The versions at each commit, in creation order: a lookup per tag, not a scan of every version. */
    byCommit = new Map();
    constructor(name) {
        this.name = name;
    }
    /** GTO's `find_version`: versions with events of their own, by name and commit. */
    find(commit, version) {
        const found = [];
        for (const v of this.byCommit.get(commit) ?? [])
            if (!v.discovered && (version === undefined || v.version === version))
                found.push(v);
        return found;
    }
    /** The first version `find` gives, or a new one: looked up without building the list. */
    findOrCreate(commit, version) {
        const atCommit = this.byCommit.get(commit);
        if (atCommit)
            for (const v of atCommit)
                if (!v.discovered && (version === undefined || v.version === version))
                    return v;
        const created = new VersionRecord(version ?? commit, commit);
        this.versions.push(created);
        if (atCommit)
            atCommit.push(created);
        else
            this.byCommit.set(commit, [created]);
        return created;
    }
    /** Every event of the model in the order GTO lists them before its history sorts them: not sorted yet. */
    unsortedEvents() {
        const events = this.deprecations.slice();
        for (const v of this.versions)
            events.push(...v.events());
        return events;
    }
    /**
     * GTO's `get_versions(include_non_explicit=...)`: active versions, highest
     * SemVer first then commits (or the one registered last first). `only`
     * narrows the list before it is ordered (the same order as narrowing after).
     */
    activeVersions(includeCommits, order = 'semver', only = () => true) {
        const chosen = this.versions.filter((v) => only(v) && v.active && ((v.registered && !v.discovered) || (includeCommits && !v.registered)));
        if (order === 'timestamp')
            return sortedBy(chosen, (v) => v.authoring.date).reverse();
        const semvers = chosen
            .filter((v) => v.semver !== null)
            .sort(compareSemver)
            .reverse();
        const commits = chosen
            .filter((v) => v.semver === null)
            .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
            .reverse();
        return [...semvers, ...commits];
    }
    /**
     * GTO's `get_vstages(sort=timestamp)`, the default of `gto show`: for each
     * stage, the active assignments of active versions, the one made last first,
     * each version once, at most `perStage` of them (-1: all).
     */
    stageHolders(perStage = 1) {
        const pairs = this.activeVersions(true, 'timestamp').flatMap((v) => v.activeStages().map((s) => ({ version: v.version, stage: s, date: s.authoring.date })));
        const holders = new Map();
        for (const pair of newestFirst(pairs)) {
            const list = holders.get(pair.stage.stage) ?? [];
            holders.set(pair.stage.stage, list);
            if (perStage > -1 && list.length >= perStage)
                continue;
            if (!list.some((h) => h.version === pair.version))
                list.push(pair);
        }
        return new Map([...holders].map(([stage, list]) => [stage, list.map((h) => h.stage)]));
    }
}
/**
 * Builds every model's registry from its tags, as GTO does
 * (iterative/gto `gto/tag.py` and `gto/base.py`): annotated tags only, read
 * kind by kind (deprecations, versions, then stages, each oldest first), so a
 * stage tag names the version registered on its commit whenever that tag was
 * made. Each version keeps its own stage status; a stage is held by the
 * newest active assignment among active versions, so withdrawing or
 * deregistering its holder hands the stage back to the one before. Tags not
 * in GTO's format are ignored; tags in a model's name that cannot be used (a
 * lightweight tag, a number out of range, a stage tag on a commit that
 * carries two versions) are ignored too and listed in its `ignored`.
 */
function readRegistry(tags) {
    const ignored = new Map();
    const counters = new Map();
    const ignore = (name, tag, reason) => {
        const list = ignored.get(name);
        if (list)
            list.push({ tag, reason });
        else
            ignored.set(name, [{ tag, reason }]);
    };
    const readable = [];
    for (const record of tags) {
        const reading = readRegistryTag(record.name);
        if (reading.kind === 'foreign')
            continue;
        const number = reading.kind === 'registry' ? reading.tag.number : reading.number;
        const name = reading.kind === 'registry' ? reading.tag.name : reading.name;
        // GTO counts every tag in the model's name, lightweight ones too (`name_tag`).
        if (number !== undefined)
            counters.set(name, Math.max(counters.get(name) ?? 0, number));
        if (reading.kind === 'ignored')
            ignore(name, record.name, reading.reason);
        else if (record.problem)
            ignore(name, record.name, record.problem);
        else if (!record.tagger)
            ignore(name, record.name, 'a lightweight tag (GTO reads annotated tags only)');
        else
            readable.push(eventOf(reading.tag, record, record.tagger));
    }
    // GTO lists tags by name, then sorts each kind by date (stably): kind, then date, then name, in one sort.
    const ordered = readable.sort((a, b) => PASS[a.action] - PASS[b.action] || a.date - b.date || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    const models = new Map();
    for (const event of ordered) {
        let model = models.get(event.name);
        if (!model)
            models.set(event.name, (model = new ModelRecord(event.name)));
        switch (event.action) {
            case 'deprecate':
                model.deprecations.push(event);
                break;
            case 'register':
            case 'deregister': {
                const version = model.findOrCreate(event.commit, event.version);
                (event.action === 'register' ? version.registrations : version.deregistrations).push(event);
                break;
            }
            case 'assign':
            case 'unassign': {
                const carried = model.find(event.commit);
                if (carried.length > 1) {
                    ignore(model.name, event.tag, `its commit carries several versions (${carried.map((v) => plain(v.version)).join(', ')}); GTO cannot tell which one it assigns`);
                    break;
                }
                // GTO: a stage tag on a commit with no registered version makes a version named by the commit.
                event.version = carried[0]?.version ?? event.commit;
                const version = model.findOrCreate(event.commit, event.version);
                const stage = version.stage(event.stage);
                (event.action === 'assign' ? stage.assignments : stage.withdrawals).push(event);
                break;
            }
        }
    }
    const result = new Map();
    const names = [...models.keys(), ...[...ignored.keys(), ...counters.keys()].filter((n) => !models.has(n))];
    for (const name of names) {
        const model = models.get(name) ?? new ModelRecord(name);
        result.set(name, {
            ...modelRegistry(model),
            lastNumber: counters.get(name) ?? 0,
            ignored: ignored.get(name) ?? [],
        });
    }
    return result;
}
function modelRegistry(model) {
    // Every event names a version: each distinct one is parsed once, not once per event.
    const plainVersions = new Map();
    const plainOf = (version) => {
        let shown = plainVersions.get(version);
        if (shown === undefined)
            plainVersions.set(version, (shown = plain(version)));
        return shown;
    };
    const holders = model.stageHolders(1);
    const stages = [...holders].flatMap(([stage, [holder]]) => {
        if (!holder)
            return [];
        const tag = holder.authoring;
        return [{ stage, version: plainOf(tag.version ?? ''), tag: tag.tag, date: tag.date, author: tag.author }];
    });
    const held = (version) => stages.filter((s) => s.version === plainOf(version.version)).map((s) => s.stage);
    const state = (v) => {
        const authoring = v.authoring;
        return {
            version: plainOf(v.version),
            tag: authoring.tag,
            commit: v.commit,
            date: authoring.date,
            author: authoring.author,
            deregistered: !v.active,
            stages: v.active ? held(v) : [],
            activeStages: v.active ? v.activeStages().map((s) => s.stage) : [],
        };
    };
    // Lowest SemVer first, equal ones (build metadata aside) in the order registered:
    // the reverse of GTO's highest-first order, so `.at(-1)` of the active ones is GTO's latest.
    const versions = model.versions
        .filter((v) => v.registered)
        .sort((a, b) => a.semver && b.semver ? compareSemver(a, b) : semverCompare(plainOf(a.version), plainOf(b.version)))
        .map(state);
    const commitVersions = model
        .activeVersions(true, 'semver', (v) => !v.registered)
        .toReversed()
        .map(state);
    const all = model.unsortedEvents();
    // GTO's newest event (the last of the newest second): the model is active unless it is a deprecation.
    let newestEvent;
    for (const e of all)
        if (!newestEvent || e.date >= newestEvent.date)
            newestEvent = e;
    const active = newestEvent !== undefined && newestEvent.action !== 'deprecate';
    // GTO sorts newest first, then by time and kind, both stably: among events of one second and
    // kind that is the reverse of the order listed, so one sort of the reversed list gives the same.
    // The events are this model's own (read above for the last time): shown in place, not copied.
    const events = all.reverse().sort((a, b) => a.date - b.date || a.priority - b.priority);
    for (const e of events)
        if (e.version !== undefined)
            e.version = plainOf(e.version);
    const newest = newestFirst(model.deprecations)[0];
    return {
        name: model.name,
        versions,
        commitVersions,
        stages,
        events,
        ...(!active && newest
            ? { deprecated: { date: newest.date, author: newest.author, tag: newest.tag } }
            : {}),
    };
}
/** The newest registered, not deregistered version (GTO's `latest`). */
function latestVersion(model) {
    return model.versions.filter((v) => !v.deregistered).at(-1);
}

export { gitText as $, weightMemoOf as A, compileGlobs as B, ContainedRoot as C, tagNameProblem as D, VERSION_TOO_LONG as E, FileSystemSource as F, GTO_FULLNAME_PATTERN as G, VERSION_RULE as H, NAME_RULES as I, NAME_TOO_LONG as J, nameProblem as K, checkGlob as L, MODEL_NAME as M, NAME_MAX_LENGTH as N, GTO_NAME_PATTERN as O, parseRegistryTag as P, isGitDir as Q, streamBlob as R, SETTINGS_FILE as S, resolveLinkTarget as T, GitBlobReader as U, VERSION_MAX_LENGTH as V, WeightMemo as W, git as X, resolveCommit as Y, createTag as Z, repositoryPrefix as _, resolveArtifactPath as a, ContainmentError as b, checkRepoPath as c, releaseTag as d, deprecationTag as e, deregistrationTag as f, releasedVersions as g, assignmentTag as h, readTags as i, GitError as j, semverCompare as k, latestVersion as l, requireParse as m, numberedDeregistrationTag as n, requireSemver as o, requireCompare as p, requireRe as q, readRegistry as r, settingsFileAbsent as s, requireConstants as t, unassignmentTag as u, versionProblem as v, requireParseOptions as w, requireDebug as x, requireIdentifiers as y, getDefaultExportFromCjs as z };
