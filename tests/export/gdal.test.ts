/** CI needs GDAL: the export round trips are read back by it, and skipping them there would hide a missing install step. */
import { describe, expect, it } from 'vitest';
import { HAS_GDAL } from './gdal';

describe('GDAL, the independent reader of exports', () => {
  it.runIf(!!process.env.CI)('is installed in CI (gdal-bin, installed by .ci/run)', () => {
    expect(HAS_GDAL, 'ogrinfo --version failed: install gdal-bin').toBe(true);
  });
});
