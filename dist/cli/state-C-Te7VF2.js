import { j as getDefaultExportFromCjs, q as readRegistryTag } from './settings-file-jcZEVXEu.js';

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

export { requireParse as a, requireSemver as b, requireCompare as c, requireRe as d, requireConstants as e, requireParseOptions as f, requireDebug as g, requireIdentifiers as h, latestVersion as l, readRegistry as r, semverCompare as s };
