/**
 * The 1,031 街道/镇/乡 (township-level units) of Chongqing, official 统计用区划代码 2023
 * (data/admin/chongqing_townships_2023.csv, see data/README.md), loaded into `streets`,
 * and minor-protection stations linked to the street they serve (`facilities.street_code`)
 * for the §二十六 indicator ("a station in every 街道/乡镇").
 *
 * Linking, for stations without a street_code yet: within the station's own district, the
 * street whose full name (大坪街道, 青龙镇, 新乡) occurs in the station's name, the longest
 * such name winning (so 龙山镇 beats 山镇 and 新乡镇 beats 新乡). Demo stations are named
 * after the township they serve (大坪街道未成年人保护工作站), and real registers name them the
 * same way (重庆市渝中区大坪街道未成年人保护工作站). Stations that match no street keep a null
 * street_code and simply do not count for any street.
 *
 * @example
 * await seedStreets(db); // { streets: 1031, stationsLinked: 745 }
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../db/adapter';
import { PROJECT_ROOT } from '../config';

export const TOWNSHIPS_FILE = path.join(PROJECT_ROOT, 'data', 'admin', 'chongqing_townships_2023.csv');

export interface StreetRow {
  code: string;
  name_zh: string;
  district_code: string;
}

/**
 * Parses the township CSV (`code,name,district_code`; plain values, no quoting needed).
 * @throws Error naming the line when a row is malformed.
 */
export function parseTownshipsCsv(text: string): StreetRow[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (header?.trim() !== 'code,name,district_code') throw new Error(`townships CSV: unexpected header "${header}"`);
  return lines.map((line, i) => {
    const [code, name, district] = line.split(',').map((s) => s.trim());
    if (!/^\d{9}$/.test(code ?? '') || !name || !/^\d{6}$/.test(district ?? '') || !code.startsWith(district)) {
      throw new Error(`townships CSV line ${i + 2}: malformed row "${line}"`);
    }
    return { code, name_zh: name, district_code: district };
  });
}

// Only streets whose district is loaded (the FK would refuse the others).
const INSERT_STREETS = `
INSERT INTO streets (code, name_zh, district_code)
SELECT r.code, r.name_zh, r.district_code
  FROM json_to_recordset($1::json) AS r(code text, name_zh text, district_code text)
 WHERE EXISTS (SELECT 1 FROM districts d WHERE d.code = r.district_code)
ON CONFLICT (code) DO NOTHING`;

/** The street a station's name points to, in the station's own district (see the module comment). */
export const STATION_STREET_MATCH = `
SELECT s.code FROM streets s
 WHERE s.district_code = f.district_code AND strpos(f.name_zh, s.name_zh) > 0
 ORDER BY length(s.name_zh) DESC, s.code
 LIMIT 1`;

const LINK_STATIONS = `
UPDATE facilities AS f
   SET street_code = m.code
  FROM (SELECT f.id, (${STATION_STREET_MATCH}) AS code
          FROM facilities f
         WHERE f.category = 'protection_station' AND f.street_code IS NULL AND f.district_code IS NOT NULL) AS m
 WHERE f.id = m.id AND m.code IS NOT NULL`;

/** Link protection stations that have no street_code yet to their street by name. Returns how many were linked. */
export async function linkProtectionStations(db: Queryable): Promise<number> {
  const r = await db.query(LINK_STATIONS);
  return r.affectedRows ?? 0;
}

/**
 * Load the township list into `streets` (idempotent: existing codes are kept) and link
 * protection stations to their streets, in one transaction.
 */
export async function seedStreets(db: Db, file = TOWNSHIPS_FILE): Promise<{ streets: number; stationsLinked: number }> {
  const rows = parseTownshipsCsv(await readFile(file, 'utf8'));
  return db.transaction(async (tx) => {
    const ins = await tx.query(INSERT_STREETS, [JSON.stringify(rows)]);
    const stationsLinked = await linkProtectionStations(tx);
    return { streets: ins.affectedRows ?? 0, stationsLinked };
  });
}
