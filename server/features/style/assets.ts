/**
 * The glyphs and sprite sheets carried in data/basemap-assets (see its SOURCE.md): which
 * file answers a MapLibre glyph or sprite request. A glyph range or font we do not carry
 * answers an empty glyph PBF (a valid, empty `glyphs` message), so MapLibre leaves those
 * characters out and draws the rest; CJK ideographs are drawn locally by the browser.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { SPRITE_VERSION, STYLE_FLAVORS } from './style';

export const ASSETS_DIR = path.join(PROJECT_ROOT, 'data', 'basemap-assets');
const FONTS_DIR = path.join(ASSETS_DIR, 'fonts');
const SPRITES_DIR = path.join(ASSETS_DIR, 'sprites', SPRITE_VERSION);

/** Glyph ranges are 256 code points, start a multiple of 256, within the BMP (MapLibre's request). */
const RANGE = /^(\d{1,5})-(\d{1,5})$/;
export const MAX_FONTSTACK_LENGTH = 300;

/** Fonts carried: folder names under fonts/. */
export const CARRIED_FONTS: ReadonlySet<string> = new Set(
  existsSync(FONTS_DIR)
    ? readdirSync(FONTS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [],
);

/** The range as `start-end` when it is a valid 256-code-point glyph range, else null. */
export function glyphRange(range: string): string | null {
  const m = RANGE.exec(range);
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return start % 256 === 0 && end === start + 255 && end <= 65535 ? `${start}-${end}` : null;
}

/** The file for `fontstack` (comma-separated, the first font carried wins) and `range`, or null. */
export function glyphFile(fontstack: string, range: string): string | null {
  for (const font of fontstack.split(',').map((f) => f.trim())) {
    if (!CARRIED_FONTS.has(font)) continue;
    const file = path.join(FONTS_DIR, font, `${range}.pbf`);
    return existsSync(file) ? file : null;
  }
  return null;
}

/** `light.json`, `light@2x.png`, …: the sprite files served, by name. */
export const SPRITE_FILES: ReadonlyMap<string, { file: string; type: string }> = new Map(
  STYLE_FLAVORS.flatMap((flavor) =>
    ['', '@2x'].flatMap((ratio) =>
      (['json', 'png'] as const).map((ext) => [
        `${flavor}${ratio}.${ext}`,
        { file: path.join(SPRITES_DIR, `${flavor}${ratio}.${ext}`), type: ext === 'json' ? 'application/json' : 'image/png' },
      ]),
    ),
  ),
);
