/**
 * Facility marker icons, drawn on a canvas from the catalogue: the category's `shape`
 * filled with its `colour`, a white outline with a thin dark halo (so the edge reads on
 * both the light basemap and a dark online one), and the `badge` in the UI's language in
 * white (a CJK character, or one or two Latin letters in English), drawn with the device's
 * own fonts. Shape and badge mean colour is never the only
 * signal (WCAG 2.1 SC 1.4.1).
 *
 * The same drawing serves the map (`map.addImage(..., { pixelRatio })`) and the legend
 * and lists (`<img src={categoryIconUrl(id)}>`), so they always match.
 */
import { CATEGORIES, categoryById, type Category, type CategoryId, type MarkerShape } from '../../../core/catalogue';
import type { Lang } from '../i18n';

/** Icon box size in CSS pixels at `icon-size` 1. */
export const ICON_CSS_PX = 32;
/** Device pixels per CSS pixel in the icon bitmaps: sharp on 2× screens, fine on 1×. */
export const ICON_PIXEL_RATIO = 2;

/** System fonts with the CJK badge characters; no web font is downloaded. */
const BADGE_FONT_FAMILY =
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif';

/** MapLibre image ids of the markers are this prefix + the category id. */
export const ICON_ID_PREFIX = 'facility-';

/** The MapLibre image id of a category's marker. */
export function iconImageId(id: CategoryId): string {
  return ICON_ID_PREFIX + id;
}

interface ShapeGeometry {
  /** Where the badge is centred (the shape's visual centre). */
  badgeY: number;
  /** Badge font size, CSS px; smaller in shapes with less room. */
  badgePx: number;
}

function polygon(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, sides: number, rotation: number): void {
  ctx.beginPath();
  for (let i = 0; i < sides; i++) {
    const a = rotation + (i * 2 * Math.PI) / sides;
    const x = cx + r * Math.cos(a);
    const y = cy + r * Math.sin(a);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
}

/** Traces `shape` centred in a box of `size` CSS px; returns where the badge goes. */
function traceShape(ctx: CanvasRenderingContext2D, shape: MarkerShape, size: number): ShapeGeometry {
  const c = size / 2;
  const up = -Math.PI / 2;
  switch (shape) {
    case 'circle':
      ctx.beginPath();
      ctx.arc(c, c, size * 0.4, 0, 2 * Math.PI);
      return { badgeY: c, badgePx: 15 };
    case 'square': {
      const half = size * 0.36;
      ctx.beginPath();
      ctx.roundRect(c - half, c - half, 2 * half, 2 * half, 3.5);
      return { badgeY: c, badgePx: 15 };
    }
    case 'diamond':
      polygon(ctx, c, c, size * 0.46, 4, up);
      return { badgeY: c, badgePx: 13 };
    case 'triangle': {
      // Circumradius R: the triangle spans R above to R/2 below its centre; shift it
      // down by R/4 so its bounding box is centred, and put the badge at the centroid.
      const r = size * 0.54;
      const cy = c + r / 4;
      polygon(ctx, c, cy, r, 3, up);
      return { badgeY: cy + 1, badgePx: 12 };
    }
    case 'hexagon':
      polygon(ctx, c, c, size * 0.43, 6, up);
      return { badgeY: c, badgePx: 14 };
    case 'pentagon':
      polygon(ctx, c, c + size * 0.03, size * 0.44, 5, up);
      return { badgeY: c + size * 0.05, badgePx: 13 };
  }
}

/** A canvas of `ICON_CSS_PX × pixelRatio` device pixels with the category's marker. */
export function drawCategoryIcon(cat: Category, lang: Lang, pixelRatio = ICON_PIXEL_RATIO): HTMLCanvasElement {
  const size = ICON_CSS_PX;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = Math.round(size * pixelRatio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  ctx.scale(pixelRatio, pixelRatio);
  ctx.lineJoin = 'round';

  const g = traceShape(ctx, cat.shape, size);
  // Outline: a dark halo 1 px wide outside a white ring 1.5 px wide (strokes are centred
  // on the path, then the fill covers their inner halves).
  ctx.strokeStyle = 'rgba(17, 24, 39, 0.6)';
  ctx.lineWidth = 5;
  ctx.stroke();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 3;
  ctx.stroke();
  ctx.fillStyle = cat.colour;
  ctx.fill();

  const badge = cat.badge[lang];
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  // Two Latin letters are wider than one CJK character: shrink them to the CJK width.
  let px = g.badgePx;
  ctx.font = `700 ${px}px ${BADGE_FONT_FAMILY}`;
  const wide = ctx.measureText(badge).width;
  if (wide > g.badgePx * 1.05) {
    px = Math.floor((g.badgePx * g.badgePx * 1.05) / wide);
    ctx.font = `700 ${px}px ${BADGE_FONT_FAMILY}`;
  }
  const m = ctx.measureText(badge);
  // Centre the glyph's ink box on badgeY (fonts disagree on where "middle" is).
  const ascent = m.actualBoundingBoxAscent || px * 0.8;
  const descent = m.actualBoundingBoxDescent || px * 0.1;
  ctx.fillText(badge, size / 2, g.badgeY + (ascent - descent) / 2);
  return canvas;
}

/** Pixels for `map.addImage(iconImageId(id), data, { pixelRatio: ICON_PIXEL_RATIO })`. */
export function categoryIconImageData(cat: Category, lang: Lang): ImageData {
  const canvas = drawCategoryIcon(cat, lang, ICON_PIXEL_RATIO);
  const ctx = canvas.getContext('2d');
  if (!ctx) return new ImageData(canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

const urlCache = new Map<string, string>();

/** A PNG data URL of the category's marker in `lang`, for `<img>` in the legend and lists. */
export function categoryIconUrl(id: CategoryId, lang: Lang): string {
  const key = `${lang}:${id}`;
  let url = urlCache.get(key);
  if (!url) {
    url = drawCategoryIcon(categoryById(id), lang, ICON_PIXEL_RATIO).toDataURL('image/png');
    urlCache.set(key, url);
  }
  return url;
}

/**
 * Every category's icon in `lang`, for registering with the map in one go (`addImage`) and
 * for swapping the badges when the language changes (`updateImage`: same ids, same size).
 */
export function allCategoryIcons(lang: Lang): { id: string; data: ImageData }[] {
  return CATEGORIES.map((c) => ({ id: iconImageId(c.id), data: categoryIconImageData(c, lang) }));
}
