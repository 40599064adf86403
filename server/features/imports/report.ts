/**
 * The rejection report of an import: JSON (the whole summary) or CSV (one line per
 * rejected row: row, id, code, reason). CSV is written as UTF-8 with a BOM so Excel on a
 * Chinese Windows opens it with the right characters.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportSummary } from './types';

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A fresh report path in the system temp folder. */
export function defaultReportPath(file: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return path.join(os.tmpdir(), 'atlas-imports', `${path.basename(file)}.${stamp}.report.json`);
}

/** Write the report; the format follows the extension (.csv, else JSON). */
export function writeReport(summary: ImportSummary, file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  if (file.toLowerCase().endsWith('.csv')) {
    const lines = [
      'row,source_id,code,reason',
      ...summary.rejections.map((r) => [r.row, r.source_id, r.code, r.reason].map(csvField).join(',')),
    ];
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  } else {
    writeFileSync(file, `${JSON.stringify({ ...summary, reportPath: file }, null, 2)}\n`, 'utf8');
  }
  return file;
}
