#!/usr/bin/env node
import { main } from './main.js';
import { runWithProcessStreams } from './output.js';

await runWithProcessStreams((out) => main(process.argv.slice(2), out));
