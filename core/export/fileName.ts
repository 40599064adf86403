/**
 * Download file names: `layer_part…_crs_date.ext`, e.g.
 * `gaps_kindergarten_500103_cgcs2000_2026-11-29.gpkg`. Every piece is reduced to
 * `[a-z0-9-]`, so a name never carries a path separator, `..`, a quote or a non-ASCII
 * character into `Content-Disposition` or onto a disk, whatever a caller passes.
 * The date is China Standard Time (UTC+8, no daylight saving), the users' calendar day.
 *
 * @example
 * exportFileName({ layer: 'facilities', parts: ['kindergarten', '500103'], crs: 'cgcs2000', date: new Date('2026-11-29T02:00:00Z'), ext: 'gpkg' });
 * // 'facilities_kindergarten_500103_cgcs2000_2026-11-29.gpkg'
 */

/** A piece of a file name: lower-case ASCII letters, digits and single hyphens, at most 40 characters. */
export function fileNamePart(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** The calendar date in China (UTC+8) as YYYY-MM-DD. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface FileNameParts {
  layer: string;
  /** Filters that tell exports apart (category, district…); empty pieces are dropped. */
  parts: readonly (string | null | undefined)[];
  crs: string;
  date: Date;
  /** Extension without the leading dot: 'gpkg', 'zip', 'geojson.zip'… */
  ext: string;
}

/** The name without extension: `layer_part…_crs_date`. */
export function exportBaseName(p: Omit<FileNameParts, 'ext'>): string {
  const pieces = [p.layer, ...p.parts, p.crs].map((x) => fileNamePart(x ?? '')).filter(Boolean);
  return `${pieces.join('_')}_${chinaDate(p.date)}`;
}

export function exportFileName(p: FileNameParts): string {
  const ext = p.ext.split('.').map(fileNamePart).filter(Boolean).join('.');
  return `${exportBaseName(p)}.${ext || 'bin'}`;
}

/** A `Content-Disposition: attachment` value for a name made by {@link exportFileName}. */
export function contentDisposition(fileName: string): string {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${safe}"`;
}
