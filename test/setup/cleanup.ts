/**
 * vitest setupFiles: runs for every test file. Test files share their helper
 * modules (isolate: false), so hooks a helper registered at import would
 * attach only to the first file of each worker; registered here, every file
 * removes its temporary registries.
 */
import { afterAll, afterEach } from 'vitest';
import { removeRegistries } from '../helpers/registry.js';

afterEach(() => removeRegistries('test'));
afterAll(() => removeRegistries('file'));
