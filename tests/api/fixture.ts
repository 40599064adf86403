/**
 * A small hand-built dataset with known answers: two square districts and a handful
 * of facilities at known positions (one retired, one outside every district).
 */
import type { Db } from '../../server/db/adapter';

export const FIXTURE_DISTRICTS = [
  { code: '500103', name_zh: '渝中区', name_en: 'Yuzhong District', box: [106.5, 29.52, 106.6, 29.58], population: 588717 },
  { code: '500105', name_zh: '江北区', name_en: 'Jiangbei District', box: [106.6, 29.52, 106.7, 29.62], population: 925359 },
] as const;

export const FIXTURE_FACILITIES = [
  {
    id: 1,
    category: 'kindergarten',
    name_zh: '大坪第一幼儿园',
    name_en: 'Daping No.1 Kindergarten',
    lng: 106.55,
    lat: 29.55,
    capacity: 270,
    status: 'active',
  },
  {
    id: 2,
    category: 'mother_baby_room',
    name_zh: '解放碑母婴室',
    name_en: 'Jiefangbei Mother-and-Baby Room',
    lng: 106.56,
    lat: 29.55,
    capacity: null,
    status: 'active',
  },
  {
    id: 3,
    category: 'mother_baby_room',
    name_zh: '较场口母婴室',
    name_en: null,
    lng: 106.58,
    lat: 29.56,
    capacity: null,
    status: 'active',
  },
  { id: 4, category: 'mother_baby_room', name_zh: '观音桥母婴室', name_en: null, lng: 106.65, lat: 29.6, capacity: null, status: 'active' },
  { id: 5, category: 'park', name_zh: '已撤销公园', name_en: 'Retired Park', lng: 106.551, lat: 29.551, capacity: null, status: 'retired' },
  {
    id: 6,
    category: 'playground',
    name_zh: '江边游乐场',
    name_en: 'Riverside Playground',
    lng: 106.62,
    lat: 29.53,
    capacity: null,
    status: 'active',
  },
  { id: 7, category: 'park', name_zh: '市外公园', name_en: 'Park Outside', lng: 107.5, lat: 30.5, capacity: null, status: 'active' },
] as const;

export async function loadFixture(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const d of FIXTURE_DISTRICTS) {
      const [w, s, e, n] = d.box;
      await tx.query(
        `INSERT INTO districts (code, name_zh, name_en, population, area_km2, label_point, geom, source)
         VALUES ($1, $2, $3, $4, ST_Area(ST_MakeEnvelope($5, $6, $7, $8, 4326)::geography) / 1e6,
                 ST_SetSRID(ST_MakePoint(($5 + $7) / 2, ($6 + $8) / 2), 4326),
                 ST_Multi(ST_MakeEnvelope($5, $6, $7, $8, 4326)), 'test')`,
        [d.code, d.name_zh, d.name_en, d.population, w, s, e, n],
      );
    }
    for (const f of FIXTURE_FACILITIES) {
      await tx.query(
        `INSERT INTO facilities (id, category, name_zh, name_en, capacity, status, source, source_id, geom, district_code)
         VALUES ($1::int, $2, $3, $4, $5, $6, 'test', $9, ST_SetSRID(ST_MakePoint($7, $8), 4326),
                 (SELECT code FROM districts WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($7, $8), 4326)) LIMIT 1))`,
        [f.id, f.category, f.name_zh, f.name_en, f.capacity, f.status, f.lng, f.lat, String(f.id)],
      );
    }
  });
}
