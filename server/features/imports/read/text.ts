/**
 * Text files from Chinese offices come in UTF-8 (with or without a BOM), GBK/GB18030
 * (Excel's "CSV" on a Chinese Windows) or UTF-16 (Excel's "Unicode text"). Decide by
 * the bytes, never by the extension: a BOM wins; otherwise bytes that are valid UTF-8
 * are UTF-8 (GBK text is almost never valid UTF-8: its lead bytes 0x81–0xFE followed by
 * ASCII-range trail bytes break UTF-8's continuation rule), else GB18030 — a superset of
 * GBK and GB2312 — decoded with iconv-lite.
 */
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode bytes (see module comment). The returned text has no BOM. */
export function decodeText(buf: Uint8Array): { text: string; encoding: TextEncoding } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: Buffer.from(buf.subarray(3)).toString('utf8'), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: Buffer.from(buf.subarray(2)).toString('utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(Buffer.from(buf.subarray(2)), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: strictUtf8.decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(buf), 'gb18030'), encoding: 'gb18030' };
  }
}

export async function readTextFile(file: string): Promise<{ text: string; encoding: TextEncoding }> {
  return decodeText(await readFile(file));
}
