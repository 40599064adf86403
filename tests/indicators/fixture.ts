/**
 * A small hand-built dataset with hand-computed indicator values: three square districts
 * (one with no residents), facilities with known capacities, venues, streets and
 * communities. The expected values are worked out in tests/indicators/api.test.ts.
 *
 * | district | population | 0–2 | 3–5 | 0–14 |
 * |---|---:|---:|---:|---:|
 * | 500101 甲区 | 100,000 | 3,000 | 2,000 | 15,000 |
 * | 500102 乙区 | 300,000 | 9,000 | 6,000 | 45,000 |
 * | 500103 丙区 | 0 | 0 | 0 | 0 |
 */
import type { Db } from '../../server/db/adapter';

export const DISTRICTS = [
  {
    code: '500101',
    name_zh: '甲区',
    name_en: 'Jia District',
    box: [106.0, 29.0, 106.1, 29.1],
    population: 100_000,
    c02: 3_000,
    c35: 2_000,
    c014: 15_000,
  },
  {
    code: '500102',
    name_zh: '乙区',
    name_en: 'Yi District',
    box: [106.1, 29.0, 106.2, 29.1],
    population: 300_000,
    c02: 9_000,
    c35: 6_000,
    c014: 45_000,
  },
  { code: '500103', name_zh: '丙区', name_en: 'Bing District', box: [106.2, 29.0, 106.3, 29.1], population: 0, c02: 0, c35: 0, c014: 0 },
] as const;

/** ~ metres to degrees of latitude near 29° N. */
const dLat = (m: number) => m / 111_320;

interface F {
  category: string;
  name_zh: string;
  lng: number;
  lat: number;
  capacity?: number | null;
  ownership?: 'public' | 'private' | 'unknown';
  inclusive?: boolean | null;
  attributes?: Record<string, unknown>;
  status?: 'active' | 'retired';
}

export const FACILITIES: F[] = [
  // 甲区: 450 nursery places (exactly 4.5 per 1,000), one of them a guidance centre
  {
    category: 'nursery',
    name_zh: '甲区婴幼儿照护服务指导中心',
    lng: 106.01,
    lat: 29.01,
    capacity: 300,
    ownership: 'public',
    inclusive: true,
  },
  { category: 'nursery', name_zh: '甲区小太阳托育园', lng: 106.02, lat: 29.01, capacity: 150, ownership: 'private', inclusive: false },
  // 甲区: 1,860 kindergarten places for 2,000 children (exactly 930), all 普惠, 1,000 public
  { category: 'kindergarten', name_zh: '甲区第一幼儿园', lng: 106.03, lat: 29.01, capacity: 1_000, ownership: 'public', inclusive: true },
  { category: 'kindergarten', name_zh: '甲区阳光幼儿园', lng: 106.04, lat: 29.01, capacity: 860, ownership: 'private', inclusive: true },
  { category: 'child_health', name_zh: '甲区妇幼保健院', lng: 106.05, lat: 29.01, attributes: { paediatricians: 7 } },
  { category: 'protection_station', name_zh: '一号街道未成年人保护工作站', lng: 106.06, lat: 29.01 },
  // the room of venue 甲区商场 (50 m north of it)
  { category: 'mother_baby_room', name_zh: '甲区商场母婴室', lng: 106.05, lat: 29.05 + dLat(50) },

  // 乙区: 500 nursery places for 300,000 residents; a retired nursery that must not count
  { category: 'nursery', name_zh: '乙区托育园', lng: 106.11, lat: 29.01, capacity: 500, ownership: 'private', inclusive: false },
  { category: 'nursery', name_zh: '乙区已关闭托育园', lng: 106.12, lat: 29.01, capacity: 999, ownership: 'private', status: 'retired' },
  // 乙区: 3,000 private non-普惠 places and 1,000 public places of unknown 普惠 status
  { category: 'kindergarten', name_zh: '乙区民办幼儿园', lng: 106.13, lat: 29.01, capacity: 3_000, ownership: 'private', inclusive: false },
  { category: 'kindergarten', name_zh: '乙区公办幼儿园', lng: 106.14, lat: 29.01, capacity: 1_000, ownership: 'public', inclusive: null },
  { category: 'special_school', name_zh: '乙区特殊教育学校', lng: 106.15, lat: 29.01, capacity: 200, ownership: 'public' },
  { category: 'child_health', name_zh: '乙区人民医院儿科', lng: 106.16, lat: 29.01 },
  { category: 'protection_station', name_zh: '重庆市乙区二号街道未成年人保护工作站', lng: 106.17, lat: 29.01 },
  // a park that records its visitors: a large venue (facility-based), with a room 80 m away
  { category: 'park', name_zh: '乙区中央公园', lng: 106.15, lat: 29.05, attributes: { daily_visitors: 12_000 } },
  { category: 'mother_baby_room', name_zh: '乙区中央公园母婴室', lng: 106.15, lat: 29.05 + dLat(80) },
  // 150 m from the station venue: too far to count as its room
  { category: 'mother_baby_room', name_zh: '乙区某路母婴室', lng: 106.18, lat: 29.05 + dLat(150) },
];

export const VENUES = [
  { source_id: 'v1', name_zh: '甲区商场', kind: 'mall', floor_area_m2: 15_000, daily_visitors: null, lng: 106.05, lat: 29.05 },
  { source_id: 'v2', name_zh: '乙区火车站', kind: 'station', floor_area_m2: null, daily_visitors: 20_000, lng: 106.18, lat: 29.05 },
  // small: neither 10,000 m² nor 10,000 visitors
  { source_id: 'v3', name_zh: '乙区小商店', kind: 'mall', floor_area_m2: 5_000, daily_visitors: 3_000, lng: 106.19, lat: 29.06 },
] as const;

export const STREETS = [
  { code: '500101001', name_zh: '一号街道', district_code: '500101' },
  { code: '500102001', name_zh: '二号街道', district_code: '500102' },
  { code: '500102002', name_zh: '三号镇', district_code: '500102' },
] as const;

export const COMMUNITIES = [
  { code: '500101001001', name_zh: '甲一社区', street_code: '500101001', district_code: '500101', child_friendly: true },
  { code: '500101001002', name_zh: '甲二社区', street_code: '500101001', district_code: '500101', child_friendly: true },
  { code: '500101001003', name_zh: '甲三社区', street_code: '500101001', district_code: '500101', child_friendly: false },
] as const;

export async function loadIndicatorFixture(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const d of DISTRICTS) {
      const [w, s, e, n] = d.box;
      await tx.query(
        `INSERT INTO districts (code, name_zh, name_en, population, children_0_2, children_3_5, children_0_14, area_km2, label_point, geom, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, ST_Area(ST_MakeEnvelope($8, $9, $10, $11, 4326)::geography) / 1e6,
                 ST_SetSRID(ST_MakePoint(($8 + $10) / 2, ($9 + $11) / 2), 4326),
                 ST_Multi(ST_MakeEnvelope($8, $9, $10, $11, 4326)), 'test')`,
        [d.code, d.name_zh, d.name_en, d.population, d.c02, d.c35, d.c014, w, s, e, n],
      );
    }
    for (const s of STREETS)
      await tx.query('INSERT INTO streets (code, name_zh, district_code) VALUES ($1, $2, $3)', [s.code, s.name_zh, s.district_code]);
    for (const c of COMMUNITIES) {
      await tx.query('INSERT INTO communities (code, name_zh, street_code, district_code, child_friendly) VALUES ($1, $2, $3, $4, $5)', [
        c.code,
        c.name_zh,
        c.street_code,
        c.district_code,
        c.child_friendly,
      ]);
    }
    let i = 0;
    for (const f of FACILITIES) {
      i++;
      await tx.query(
        `INSERT INTO facilities (category, name_zh, capacity, ownership, inclusive, attributes, status, source, source_id, geom, district_code)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, 'test', $8, ST_SetSRID(ST_MakePoint($9, $10), 4326),
                 (SELECT code FROM districts WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($9, $10), 4326)) ORDER BY code LIMIT 1))`,
        [
          f.category,
          f.name_zh,
          f.capacity ?? null,
          f.ownership ?? 'unknown',
          f.inclusive ?? null,
          JSON.stringify(f.attributes ?? {}),
          f.status ?? 'active',
          `f${i}`,
          f.lng,
          f.lat,
        ],
      );
    }
    for (const v of VENUES) {
      await tx.query(
        `INSERT INTO venues (name_zh, kind, floor_area_m2, daily_visitors, source, source_id, geom, district_code)
         VALUES ($1, $2, $3, $4, 'test', $5, ST_SetSRID(ST_MakePoint($6, $7), 4326),
                 (SELECT code FROM districts WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($6, $7), 4326)) ORDER BY code LIMIT 1))`,
        [v.name_zh, v.kind, v.floor_area_m2, v.daily_visitors, v.source_id, v.lng, v.lat],
      );
    }
  });
}
