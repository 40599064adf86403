/**
 * dBASE III tables (`.dbf`) for shapefiles, written in UTF-8 with a `.cpg` sidecar.
 *
 * The format's limits decide the shape of this module:
 * - field names are at most 10 ASCII characters ({@link shortenFieldNames} maps our names
 *   to short ones; the mapping ships in the zip as a CSV and in the metadata);
 * - text fields are at most 254 **bytes**: a Chinese character is 3 bytes in UTF-8, so a
 *   long address is cut at a character boundary (never mid-character, which would show as
 *   mojibake in QGIS/ArcGIS), and the count of cut values is reported;
 * - widths are fixed per column, so they are planned from the data first
 *   ({@link DbfPlanner}) and the records written after;
 * - there is no null and no usable boolean: blank cells stand for null (ArcGIS shows a
 *   blank number as 0), and yes/no is written as the number 1/0, because GDAL reads the
 *   logical type as text and ArcGIS does not support it.
 *
 * ESRI's "dBASE file format" white paper and the ESRI Shapefile Technical Description
 * (July 1998) are the references; GDAL, QGIS and ArcGIS read the `.cpg` file's "UTF-8".
 *
 * @example
 * const short = shortenFieldNames([{ name: 'district_name_zh' }]); // Map { 'district_name_zh' => 'dis_nam_zh' }
 */
import type { ExportField, FieldValue } from './types';

export const DBF_MAX_NAME = 10;
export const DBF_MAX_TEXT_BYTES = 254;

const encoder = new TextEncoder();

function squeeze(name: string): string {
  if (name.length <= DBF_MAX_NAME) return name;
  const words = name.split('_').filter(Boolean);
  for (let k = Math.max(...words.map((w) => w.length)); k >= 1; k--) {
    const cut = words.map((w) => w.slice(0, k));
    let spare = DBF_MAX_NAME - cut.join('_').length;
    if (spare < 0) continue;
    // hand the characters still free back to the words, first word first
    for (let i = 0; i < words.length && spare > 0; i++) {
      const more = Math.min(spare, words[i].length - cut[i].length);
      cut[i] = words[i].slice(0, cut[i].length + more);
      spare -= more;
    }
    return cut.join('_');
  }
  return words
    .map((w) => w[0])
    .join('')
    .slice(0, DBF_MAX_NAME);
}

/**
 * DBF names (≤ 10 ASCII characters, unique ignoring case) for `fields`, keyed by field name.
 * A field's own `dbf` name wins; otherwise each word of the name is cut to the same length
 * until the name fits, and characters left over go back to the first words
 * (`district_name_zh` → `dis_nam_zh`, `opening_hours` → `openi_hour`, `uncovered_children`
 * → `uncov_chil`);
 * clashes get `_2`, `_3`… Deterministic: the same fields always give the same names.
 * @throws Error when a preferred `dbf` name is too long, not ASCII, or used twice (a layer bug).
 */
export function shortenFieldNames(fields: readonly Pick<ExportField, 'name' | 'dbf'>[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const f of fields) {
    if (!f.dbf) continue;
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(f.dbf))
      throw new Error(`DBF name '${f.dbf}' of field '${f.name}' is not 1–10 ASCII letters, digits or _`);
    if (used.has(f.dbf.toLowerCase())) throw new Error(`DBF name '${f.dbf}' is used twice`);
    used.add(f.dbf.toLowerCase());
    out.set(f.name, f.dbf);
  }
  for (const f of fields) {
    if (out.has(f.name)) continue;
    const base = squeeze(f.name.replace(/[^A-Za-z0-9_]/g, '_'));
    let s = base;
    for (let i = 2; used.has(s.toLowerCase()); i++) s = `${base.slice(0, DBF_MAX_NAME - String(i).length - 1)}_${i}`;
    used.add(s.toLowerCase());
    out.set(f.name, s);
  }
  return out;
}

export interface DbfColumn {
  /** Layer field name. */
  field: string;
  /** The layer field's type (booleans are stored as N(1): 1, 0, blank). */
  fieldType: ExportField['type'];
  /** Name in the DBF (≤ 10 characters). */
  name: string;
  type: 'C' | 'N' | 'D';
  length: number;
  decimals: number;
}

/** The UTF-8 bytes of `s`, cut to at most `max` bytes at a character boundary. */
export function utf8Clip(s: string, max: number): { bytes: Uint8Array; clipped: boolean } {
  const bytes = encoder.encode(s);
  if (bytes.length <= max) return { bytes, clipped: false };
  let end = max;
  // back off over continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return { bytes: bytes.subarray(0, end), clipped: true };
}

function numberText(v: number, decimals: number): string {
  const s = decimals > 0 ? v.toFixed(decimals) : String(Math.round(v));
  return s === '-0' ? '0' : s;
}

/**
 * Plans column widths from the values: call {@link observe} for every record, then
 * {@link columns}. Integers take the width of their longest value; reals are written with
 * the field's `decimals` (default 6); datetimes are text (DBF has no datetime type).
 */
export class DbfPlanner {
  private readonly widths: number[];
  private readonly clips: number[];

  constructor(
    readonly fields: readonly ExportField[],
    readonly names: ReadonlyMap<string, string>,
  ) {
    this.widths = fields.map(() => 1);
    this.clips = fields.map(() => 0);
  }

  observe(props: Readonly<Record<string, FieldValue>>): void {
    this.fields.forEach((f, i) => {
      const v = props[f.name];
      if (v === null || v === undefined) return;
      let w = 1;
      switch (f.type) {
        case 'string':
        case 'datetime': {
          const clip = utf8Clip(String(v), DBF_MAX_TEXT_BYTES);
          w = clip.bytes.length;
          if (clip.clipped) this.clips[i]++;
          break;
        }
        case 'integer':
          w = numberText(Number(v), 0).length;
          break;
        case 'real':
          w = numberText(Number(v), f.decimals ?? 6).length;
          break;
        default:
          return;
      }
      if (w > this.widths[i]) this.widths[i] = w;
    });
  }

  columns(): DbfColumn[] {
    return this.fields.map((f, i) => {
      const name = this.names.get(f.name) ?? f.name;
      switch (f.type) {
        case 'string':
        case 'datetime':
          return { field: f.name, fieldType: f.type, name, type: 'C', length: this.widths[i], decimals: 0 };
        case 'integer':
          return { field: f.name, fieldType: f.type, name, type: 'N', length: Math.min(this.widths[i], 20), decimals: 0 };
        case 'real': {
          const d = f.decimals ?? 6;
          return { field: f.name, fieldType: f.type, name, type: 'N', length: Math.max(this.widths[i], d + 2), decimals: d };
        }
        case 'boolean':
          // Not 'L': GDAL reads logicals as text and ArcGIS does not support them; 1/0 reads everywhere.
          return { field: f.name, fieldType: f.type, name, type: 'N', length: 1, decimals: 0 };
        case 'date':
          return { field: f.name, fieldType: f.type, name, type: 'D', length: 8, decimals: 0 };
        default:
          throw new Error(`no DBF column type for field type ${(f as { type: string }).type}`);
      }
    });
  }

  /** Values cut to 254 bytes, per field name (only fields with cuts). */
  clipped(): Record<string, number> {
    const out: Record<string, number> = {};
    this.fields.forEach((f, i) => {
      if (this.clips[i]) out[f.name] = this.clips[i];
    });
    return out;
  }
}

/** The DBF header (file header, field descriptors, 0x0D terminator). */
export function dbfHeader(columns: readonly DbfColumn[], recordCount: number, date: Date): Uint8Array {
  const headerLength = 32 + 32 * columns.length + 1;
  const recordLength = 1 + columns.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(headerLength);
  const v = new DataView(out.buffer);
  v.setUint8(0, 0x03); // dBASE III without memo
  v.setUint8(1, date.getUTCFullYear() - 1900);
  v.setUint8(2, date.getUTCMonth() + 1);
  v.setUint8(3, date.getUTCDate());
  v.setUint32(4, recordCount, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  // byte 29, language driver id: 0 — the encoding is declared by the .cpg file (UTF-8)
  columns.forEach((c, i) => {
    const o = 32 + 32 * i;
    out.set(encoder.encode(c.name).subarray(0, DBF_MAX_NAME), o);
    v.setUint8(o + 11, c.type.charCodeAt(0));
    v.setUint8(o + 16, c.length);
    v.setUint8(o + 17, c.decimals);
  });
  out[headerLength - 1] = 0x0d;
  return out;
}

/** One record: deletion flag ' ', then each column padded to its width. Nulls are blank. */
export function dbfRecord(columns: readonly DbfColumn[], props: Readonly<Record<string, FieldValue>>): Uint8Array {
  const out = new Uint8Array(1 + columns.reduce((s, c) => s + c.length, 0)).fill(0x20);
  let o = 1;
  for (const c of columns) {
    const v = props[c.field];
    if (v !== null && v !== undefined) {
      if (c.fieldType === 'boolean') {
        out[o] = v ? 0x31 : 0x30; // '1' '0'
      } else if (c.type === 'C') {
        out.set(utf8Clip(String(v), c.length).bytes, o); // left-aligned
      } else if (c.type === 'N') {
        const s = numberText(Number(v), c.decimals);
        out.set(encoder.encode(s.slice(0, c.length)), o + Math.max(0, c.length - s.length)); // right-aligned
      } else {
        out.set(encoder.encode(String(v).replace(/-/g, '').slice(0, 8)), o); // D: YYYYMMDD
      }
    }
    o += c.length;
  }
  return out;
}

/** End-of-file marker after the last record. */
export const DBF_EOF = new Uint8Array([0x1a]);
