/**
 * CSV (RFC 4180) for spreadsheets and GIS: UTF-8 with a byte-order mark, because Excel
 * on Chinese Windows reads a BOM-less file as GBK and shows the Chinese as mojibake;
 * CRLF line ends; a field is quoted when it holds a comma, quote or line break.
 *
 * Text that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, so a
 * spreadsheet does not run an imported name as a formula (OWASP "CSV injection").
 * Numbers and booleans are written bare.
 *
 * @example
 * csvRow(['名称', 'a,b', 3, null]); // '名称,"a,b",3,\r\n'
 */
import type { FieldValue } from './types';

export const UTF8_BOM = '\ufeff';

/** One cell: numbers as they are, booleans as true/false, null as empty, text guarded and quoted as needed. */
export function csvCell(v: FieldValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly (FieldValue | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
