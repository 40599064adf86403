/**
 * Tables from files: CSV/TSV (any encoding, read/text.ts) and XLSX (exceljs — SheetJS
 * `xlsx`@0.18 on npm is unmaintained and has known advisories). Both become a header and
 * rows of text cells with the row numbers a spreadsheet shows, so every later step and
 * every rejection message is format-independent.
 */
import type * as ExcelJS from 'exceljs';
import { parseCsv } from '../../../../core/import/csv';
import { readTextFile, type TextEncoding } from './text';

export interface Table {
  header: string[];
  rows: string[][];
  /** Spreadsheet row number of each data row (header row is the first non-empty row). */
  rowNumbers: number[];
  encoding: TextEncoding | 'xlsx';
  sheet?: string;
}

export async function readCsvTable(file: string): Promise<Table> {
  const { text, encoding } = await readTextFile(file);
  const t = parseCsv(text);
  return { header: t.header, rows: t.rows, rowNumbers: t.rowNumbers, encoding };
}

/** Text of an exceljs cell value (rich text, formula results, hyperlinks, dates). */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return '';
  }
  return String(v);
}

/** The first worksheet (or the one named `sheet`) as a table. */
export async function readXlsxTable(file: string, sheet?: string): Promise<Table> {
  // exceljs (~170 modules) is loaded on the first XLSX, not at start (issue 13)
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  await wb.xlsx.readFile(file);
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws)
    throw new Error(
      sheet ? `no worksheet named "${sheet}" (have: ${wb.worksheets.map((w) => w.name).join(', ')})` : 'the workbook has no worksheet',
    );
  let header: string[] | null = null;
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // row.values is 1-based: index 0 is unused
    const values = Array.from((row.values as ExcelJS.CellValue[]).slice(1), (v) => cellText(v).trim()); // holes → ''
    if (values.every((v) => v === '')) return;
    if (!header) {
      header = values;
      return;
    }
    rows.push(values);
    rowNumbers.push(rowNumber);
  });
  return { header: header ?? [], rows, rowNumbers, encoding: 'xlsx', sheet: ws.name };
}
