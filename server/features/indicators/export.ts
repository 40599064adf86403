/**
 * The indicator table for reports: CSV (UTF-8 with a BOM, so that Excel opens Chinese
 * correctly) and XLSX, Chinese headers by default (区县/指标/数值/目标/状态/缺口/依据条款/
 * 计算时间), English with `lang=en`. One row per district × indicator, the city total first.
 */
import type { IndicatorResultView, IndicatorsResponse, IndicatorStatus } from '../../../core/indicators';

export type ExportLang = 'zh' | 'en';

export const EXPORT_HEADERS: Record<ExportLang, readonly string[]> = {
  zh: ['区县', '指标', '数值', '目标', '状态', '缺口', '依据条款', '计算时间'],
  en: ['District', 'Indicator', 'Value', 'Target', 'Status', 'Shortfall', 'Clause', 'Computed at'],
};

const STATUS_TEXT: Record<IndicatorStatus, Record<ExportLang, string>> = {
  met: { zh: '达标', en: 'Met' },
  not_met: { zh: '未达标', en: 'Not met' },
  no_data: { zh: '无数据', en: 'No data' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
};

export type ExportCell = string | number | null;

function statusCell(r: IndicatorResultView, lang: ExportLang): string {
  const s = STATUS_TEXT[r.status][lang];
  // the reason matters most where there is no verdict: say it in the same cell
  if ((r.status === 'no_data' || r.status === 'not_applicable') && r.note) return `${s}${lang === 'zh' ? '：' : ': '}${r.note[lang]}`;
  return s;
}

/** The table as rows of cells (header first): one source for both formats. */
export function exportRows(set: IndicatorsResponse, lang: ExportLang): ExportCell[][] {
  const rows: ExportCell[][] = [[...EXPORT_HEADERS[lang]]];
  const groups = [...(set.city ? [set.city] : []), ...set.districts];
  for (const d of groups) {
    const district = lang === 'zh' ? d.name_zh : d.name_en;
    for (const r of d.indicators) {
      rows.push([
        district,
        lang === 'zh' ? `${r.name.zh}（${r.unit.zh}）` : `${r.name.en} (${r.unit.en})`,
        r.value,
        r.target,
        statusCell(r, lang),
        r.shortfall ? r.shortfall.text[lang] : null,
        r.clause,
        r.computed_at,
      ]);
    }
  }
  return rows;
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
 * with an apostrophe (OWASP "CSV injection"); names come from imported registers.
 */
function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(v: ExportCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text with a leading BOM and CRLF line ends (RFC 4180). */
export function toCsv(set: IndicatorsResponse, lang: ExportLang): string {
  return `\uFEFF${exportRows(set, lang)
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet, header row bold and frozen. */
export async function toXlsx(set: IndicatorsResponse, lang: ExportLang): Promise<Buffer> {
  // exceljs (~170 modules) is loaded on the first XLSX, not at start (issue 13)
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Child-Friendly City Atlas';
  wb.created = new Date(set.computed_at);
  const ws = wb.addWorksheet(lang === 'zh' ? '指标' : 'Indicators', { views: [{ state: 'frozen', ySplit: 1 }] });
  const rows = exportRows(set, lang);
  for (const row of rows) ws.addRow(row.map((c) => (typeof c === 'string' ? safeText(c) : c)));
  ws.getRow(1).font = { bold: true };
  const widths = [16, 44, 10, 8, 28, 36, 22, 26];
  for (const [i, w] of widths.entries()) ws.getColumn(i + 1).width = w;
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_HEADERS[lang].length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
