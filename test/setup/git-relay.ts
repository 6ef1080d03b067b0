/**
 * vitest setupFiles: the code under test runs git through the worker's relay
 * (test/helpers/git-relay.ts), not by forking the worker.
 */
import { installGitRelay } from '../helpers/git-relay.js';

installGitRelay();
