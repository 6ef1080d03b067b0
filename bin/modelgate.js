#!/usr/bin/env node
// The CLI ships bundled in dist/cli.js so it runs from a clone with no install.
import '../dist/cli.js';
