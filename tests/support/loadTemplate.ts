/**
 * Vitest setupFile (runs in every worker before each test file): in-memory PGlite
 * databases start from the migrated dump made once by tests/support/pgliteTemplate.ts.
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { setInMemoryTemplate } from '../../server/db/pglite';

const file = inject('pgliteTemplate');
if (file) setInMemoryTemplate(new Blob([readFileSync(file)]));
