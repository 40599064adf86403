/**
 * Column recognition for facility registers: the headers agencies actually use, in
 * Chinese or English, mapped to our fields; `--map field=表头` overrides. Also the
 * coordinate system a header announces ("经度(GCJ-02)", "百度经度", "lng_bd09"), which
 * is how an Amap- or Baidu-picked list usually says what it is.
 *
 * | field           | headers recognised (case, spaces, `_`/`-` and bracketed notes ignored)           |
 * |-----------------|-----------------------------------------------------------------------------------|
 * | `source_id`     | 编号, 机构编号, 机构代码, 统一社会信用代码, 代码, id, code, source_id, 设施编号   |
 * | `name`          | 名称, 机构名称, 单位名称, 设施名称, 场所名称, 学校名称, 园所名称, name, name_zh  |
 * | `name_en`       | 英文名称, 英文名, name_en, english_name                                          |
 * | `category`      | 类别, 类型, 设施类型, 机构类型, 分类, 设施类别, category, type, kind              |
 * | `lng`           | 经度, 东经, lng, lon, long, longitude, x                                          |
 * | `lat`           | 纬度, 北纬, lat, latitude, y                                                      |
 * | `lnglat`        | 经纬度, 坐标, 位置坐标, lnglat, lonlat, coordinates, location ("106.55,29.56")     |
 * | `address`       | 地址, 详细地址, 地点, 位置, 所在地址, address, addr                              |
 * | `capacity`      | 托位数, 学位数, 容量, 座位数, 床位数, 规模, 托位, 学位, capacity, places, seats |
 * | `district`      | 区县, 所属区县, 区, 行政区, 区县名称, 区县代码, 行政区划代码, district, adcode  |
 * | `opening_hours` | 开放时间, 营业时间, 服务时间, opening_hours, hours                               |
 * | `phone`         | 电话, 联系电话, 联系方式, phone, tel, telephone                                  |
 * | `ownership`     | 性质, 办学性质, 举办性质, 所有制, 公办/民办, ownership                           |
 * | `public`        | 公办, 是否公办 (是/否)                                                             |
 * | `private`       | 民办, 是否民办 (是/否)                                                             |
 * | `inclusive`     | 普惠, 是否普惠, 普惠性, inclusive                                                 |
 * | `age_min`       | 最小年龄, 最低年龄, 招收年龄下限, min_age, age_min                               |
 * | `age_max`       | 最大年龄, 最高年龄, 招收年龄上限, max_age, age_max                               |
 * | `updated_at`    | 更新时间, 更新日期, 数据日期, updated_at, last_updated                             |
 *
 * Unrecognised columns are kept in `attributes` under their header — nothing is lost.
 *
 * @example
 * mapColumns(['机构名称', '经度(GCJ-02)', '纬度(GCJ-02)']).fields; // { name: 0, lng: 1, lat: 2 }
 */
import type { Crs } from '../datum';

export const FACILITY_FIELDS = [
  'source_id',
  'name',
  'name_en',
  'category',
  'lng',
  'lat',
  'lnglat',
  'address',
  'capacity',
  'district',
  'opening_hours',
  'phone',
  'ownership',
  'public',
  'private',
  'inclusive',
  'age_min',
  'age_max',
  'updated_at',
] as const;

export type FacilityField = (typeof FACILITY_FIELDS)[number];

const ALIASES: Record<FacilityField, string[]> = {
  source_id: [
    '编号',
    '机构编号',
    '机构代码',
    '统一社会信用代码',
    '社会信用代码',
    '代码',
    '设施编号',
    '唯一编号',
    'id',
    'code',
    'sourceid',
    'no',
  ],
  name: [
    '名称',
    '机构名称',
    '单位名称',
    '设施名称',
    '场所名称',
    '学校名称',
    '园所名称',
    '幼儿园名称',
    '托育机构名称',
    '名字',
    'name',
    'namezh',
    'title',
  ],
  name_en: ['英文名称', '英文名', 'nameen', 'englishname'],
  category: ['类别', '类型', '设施类型', '机构类型', '分类', '设施类别', '场所类型', 'category', 'type', 'kind'],
  lng: ['经度', '东经', 'lng', 'lon', 'long', 'longitude', 'x'],
  lat: ['纬度', '北纬', 'lat', 'latitude', 'y'],
  lnglat: ['经纬度', '坐标', '位置坐标', '经纬度坐标', 'lnglat', 'lonlat', 'coordinates', 'location'],
  address: ['地址', '详细地址', '地点', '位置', '所在地址', '所在地', 'address', 'addr'],
  capacity: ['托位数', '学位数', '容量', '座位数', '床位数', '规模', '托位', '学位', '核定托位', '核定学位', 'capacity', 'places', 'seats'],
  district: ['区县', '所属区县', '区', '行政区', '区县名称', '区县代码', '行政区划代码', '所在区县', 'district', 'adcode', 'districtcode'],
  opening_hours: ['开放时间', '营业时间', '服务时间', 'openinghours', 'hours'],
  phone: ['电话', '联系电话', '联系方式', 'phone', 'tel', 'telephone'],
  ownership: ['性质', '办学性质', '举办性质', '所有制', '公办民办', '公办/民办', 'ownership'],
  public: ['公办', '是否公办'],
  private: ['民办', '是否民办'],
  inclusive: ['普惠', '是否普惠', '普惠性', 'inclusive'],
  age_min: ['最小年龄', '最低年龄', '招收年龄下限', 'minage', 'agemin'],
  age_max: ['最大年龄', '最高年龄', '招收年龄上限', 'maxage', 'agemax'],
  updated_at: ['更新时间', '更新日期', '数据日期', 'updatedat', 'lastupdated'],
};

/** Lower-case, drop spaces, `_`, `-`, `.` and any bracketed note such as "(GCJ-02)" or "（个）". */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .toLowerCase()
    .replace(/[\s_\-.:：]/g, '');
}

const BY_ALIAS = new Map<string, FacilityField>();
for (const f of FACILITY_FIELDS) for (const a of ALIASES[f]) BY_ALIAS.set(normalizeHeader(a), f);

/** The datum a header announces, if any: GCJ-02 (Amap/Tencent), BD-09 (Baidu), WGS84/GPS, CGCS2000. */
export function crsFromHeader(h: string): Crs | null {
  const s = h.toLowerCase();
  if (/bd-?09|百度|baidu/.test(s)) return 'bd09';
  if (/gcj-?02|高德|腾讯|火星|amap|gaode|tencent/.test(s)) return 'gcj02';
  if (/cgcs|2000国家大地/.test(s)) return 'cgcs2000';
  if (/wgs-?84|gps/.test(s)) return 'wgs84';
  return null;
}

export interface ColumnMapping {
  /** Field → column index. */
  fields: Partial<Record<FacilityField, number>>;
  /** Columns not mapped to a field, kept in `attributes`. */
  extra: { index: number; header: string }[];
  /** The datum announced by the coordinate headers, when they agree on one. */
  crs: Crs | null;
  /** `--map` entries that name no column. */
  unknownOverrides: string[];
}

/**
 * Map headers to fields. `overrides` (`{ name: '机构名称', lng: 'X' }`) win over the
 * aliases; a field's header may also be given as a 1-based column number (`lng=#3`).
 */
export function mapColumns(header: readonly string[], overrides: Readonly<Partial<Record<FacilityField, string>>> = {}): ColumnMapping {
  const fields: Partial<Record<FacilityField, number>> = {};
  const unknownOverrides: string[] = [];
  const taken = new Set<number>();
  for (const [field, want] of Object.entries(overrides) as [FacilityField, string][]) {
    const byNumber = /^#(\d+)$/.exec(want);
    let idx = byNumber ? Number(byNumber[1]) - 1 : header.indexOf(want);
    if (idx < 0 && !byNumber) idx = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(want));
    if (idx < 0 || idx >= header.length) unknownOverrides.push(`${field}=${want}`);
    else {
      fields[field] = idx;
      taken.add(idx);
    }
  }
  header.forEach((h, i) => {
    if (taken.has(i)) return;
    const f = BY_ALIAS.get(normalizeHeader(h)) ?? aliasByPrefix(h);
    if (f && fields[f] === undefined) {
      fields[f] = i;
      taken.add(i);
    }
  });
  const extra = header.map((h, i) => ({ index: i, header: h })).filter((c) => !taken.has(c.index) && c.header !== '');
  const crsSeen = new Set<Crs>();
  for (const f of ['lng', 'lat', 'lnglat'] as const) {
    const i = fields[f];
    if (i === undefined) continue;
    const c = crsFromHeader(header[i]);
    if (c) crsSeen.add(c);
  }
  return { fields, extra, crs: crsSeen.size === 1 ? [...crsSeen][0] : null, unknownOverrides };
}

/** Headers like "百度经度", "高德纬度", "lng_gcj02", "wgs84_lat": a datum word around a coordinate word. */
function aliasByPrefix(h: string): FacilityField | undefined {
  const s = normalizeHeader(h).replace(/bd09|gcj02|wgs84|cgcs2000|百度|高德|腾讯|火星|gps|amap|baidu|gaode/g, '');
  const f = BY_ALIAS.get(s);
  return f === 'lng' || f === 'lat' || f === 'lnglat' ? f : undefined;
}

/** Parse `name=机构名称,lng=X` (the CLI's `--map`) into overrides. */
export function parseMapOption(spec: string): Partial<Record<FacilityField, string>> {
  const out: Partial<Record<FacilityField, string>> = {};
  for (const part of spec.split(/,(?=[a-z_]+=)/)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`--map: expected field=header, got "${part}"`);
    const field = part.slice(0, eq).trim() as FacilityField;
    if (!FACILITY_FIELDS.includes(field)) throw new Error(`--map: unknown field "${field}" (known: ${FACILITY_FIELDS.join(', ')})`);
    out[field] = part.slice(eq + 1).trim();
  }
  return out;
}
