/**
 * Vitest setupFile (runs in every worker before each test file): in-memory PGlite
 * databases start from the migrated dump made once by tests/support/pgliteTemplate.ts
 * (server/db/pglite.ts reads ATLAS_TEST_PGLITE_TEMPLATE when it opens one). Only the
 * variable is set here, so test files that open no database do not load PGlite.
 */
import { inject } from 'vitest';

const file = inject('pgliteTemplate');
if (file) process.env.ATLAS_TEST_PGLITE_TEMPLATE = file;
