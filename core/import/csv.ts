/**
 * A small RFC 4180 CSV parser: quoted fields with embedded delimiters, doubled quotes and
 * line breaks; CRLF or LF; a leading byte-order mark dropped; the delimiter (comma, tab,
 * semicolon or the full-width comma Chinese editors sometimes write) guessed from the
 * header line. Works on a decoded string (core/import is I/O-free; the server decodes
 * UTF-8 or GB18030 first).
 *
 * @example
 * parseCsv('名称,经度\n"幼儿园, 一",106.5\n'); // { header: ['名称', '经度'], rows: [['幼儿园, 一', '106.5']] }
 */

export interface CsvTable {
  header: string[];
  /** Data rows; `rows[i]` is spreadsheet row `i + 2` (the header is row 1). */
  rows: string[][];
  delimiter: string;
}

const CANDIDATES = [',', '\t', ';', '，'];

/** The delimiter that splits the first line into the most fields (outside quotes). */
export function guessDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = 0;
  for (const d of CANDIDATES) {
    let n = 0;
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Parse a whole CSV text. Completely empty lines are skipped (but still counted in row numbers via `rowNumbers`). */
export function parseCsv(input: string, delimiter?: string): CsvTable & { rowNumbers: number[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const d = delimiter ?? guessDelimiter(text);
  const records: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) {
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === d) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || record.length) endRecord();
  const [header = [], ...rows] = records;
  const [, ...rowNumbers] = lines;
  return { header: header.map((h) => h.trim()), rows, rowNumbers, delimiter: d };
}
