/**
 * Plausible names and sample addresses for synthetic facilities, in the patterns Chinese
 * facilities are really named by: district + place + (ordinal) + kind, e.g.
 * 渝中区大坪第三幼儿园, 沙坪坝区磁器口小学, 轨道交通大坪站母婴室. Places are real 街道/镇/乡
 * names of the district; ordinals and brands are made up, and addresses say 示例 so nobody
 * mistakes them for real ones.
 *
 * English names are descriptive ("Yuzhong Kindergarten No. 12") because we keep no
 * pinyin for the 1,031 place names.
 *
 * @example
 * const namer = createNamer({ code: '500103', nameZh: '渝中区', nameEn: 'Yuzhong District' });
 * namer.name({ category: 'kindergarten', place: '大坪', publicOwned: true, rng }); // { zh: '渝中区大坪幼儿园', en: 'Yuzhong Kindergarten No. 1' }
 */
import type { CategoryId } from '../catalogue';
import type { Rng } from '../random';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * A positive integer in Chinese numerals as used in ordinals (第三, 第十二, 第二十一), 1–999.
 *
 * @example
 * zhNumber(12); // '十二'
 */
export function zhNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new RangeError(`zhNumber: ${n} is outside 1–999`);
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = '';
  if (h) s += `${DIGITS[h]}百`;
  if (t) s += `${t === 1 && !h ? '' : DIGITS[t]}十`;
  else if (h && u) s += '零';
  if (u) s += DIGITS[u];
  return s;
}

/**
 * The district name as it prefixes facility names: autonomous counties by their common
 * short form (石柱土家族自治县 → 石柱县), others in full (渝中区, 忠县).
 */
export function districtPrefixZh(nameZh: string): string {
  return nameZh.endsWith('自治县') ? `${nameZh.slice(0, 2)}县` : nameZh;
}

/** Short English district name for facility names: "Yuzhong", "Nan'an", "Shizhu", "Zhongxian". */
export function districtShortEn(code: string, nameEn: string): string {
  if (code === '500233') return 'Zhongxian'; // 忠县: "Zhong" alone reads as a word; Zhongxian is the usual form
  return nameEn.split(' ')[0];
}

export type MotherBabyVenue = 'mall' | 'station' | 'hospital' | 'park';

const VENUE_EN: Record<MotherBabyVenue, string> = {
  mall: 'shopping mall',
  station: 'metro station',
  hospital: 'hospital',
  park: 'park',
};

const KINDERGARTEN_BRANDS = ['阳光', '童心', '蓝天', '小博士', '金色摇篮', '启智', '七色光', '育才', '新星', '彩虹桥'];
const NURSERY_BRANDS = ['小太阳', '爱贝', '彩虹', '童乐', '启蒙', '小橡树', '快乐宝贝', '乐育', '萌芽', '亲亲'];
const PARK_KINDS = ['公园', '社区公园', '滨江公园', '体育公园', '湿地公园', '森林公园'];
const PLAYGROUND_KINDS = ['社区儿童游乐场', '儿童乐园', '口袋公园儿童游戏场', '儿童游戏场'];
const MALL_KINDS = ['商业广场', '购物中心', '商场'];
const ROADS = ['路', '大道', '正街', '街', '支路', '一路', '二路'];

export interface NameRequest {
  category: CategoryId;
  /** Place name (a township's short name, e.g. 大坪). */
  place: string;
  /** Full township name for protection stations (大坪街道). */
  townshipName?: string;
  publicOwned: boolean;
  /** Whether the place is a 镇/乡 (rural naming: 卫生院 rather than 社区卫生服务中心). */
  rural?: boolean;
  venue?: MotherBabyVenue;
  rng: Rng;
}

export interface Namer {
  /** A name unique within the district and category. */
  name(req: NameRequest): { zh: string; en: string };
  /** A sample address, clearly marked as such. */
  address(place: string, rng: Rng): string;
}

/**
 * A namer for one district. It keeps its own counters (so names are unique within the
 * district: a second 大坪幼儿园 becomes 大坪第二幼儿园) and nothing else.
 */
export function createNamer(d: { code: string; nameZh: string; nameEn: string }): Namer {
  const D = districtPrefixZh(d.nameZh);
  const E = districtShortEn(d.code, d.nameEn);
  const used = new Set<string>();
  const perStem = new Map<string, number>();
  const perCategory = new Map<CategoryId, number>();

  /**
   * stem + kind, with an ordinal from the second use of the same stem + kind on: 第N for
   * institutions (大坪第二小学), N号 for rooms (大坪购物中心2号母婴室).
   */
  const ordinal = (stem: string, kind: string, style: 'di' | 'hao' = 'di') => {
    const key = `${stem}|${kind}`;
    const nth = (n: number) => (style === 'di' ? `${stem}第${zhNumber(n)}${kind}` : `${stem}${n}号${kind}`);
    let n = (perStem.get(key) ?? 0) + 1;
    let zh = n === 1 ? `${stem}${kind}` : nth(n);
    while (used.has(zh)) {
      n++;
      zh = nth(n);
    }
    perStem.set(key, n);
    return zh;
  };
  /** The first of `candidates` not used yet, else an ordinal on the first. */
  const firstFree = (candidates: string[], stem: string, kind: string) => candidates.find((c) => !used.has(c)) ?? ordinal(stem, kind);

  return {
    name(req) {
      const { category, place: P, rng } = req;
      const k = (perCategory.get(category) ?? 0) + 1;
      perCategory.set(category, k);
      let zh: string;
      let en: string;
      switch (category) {
        case 'kindergarten':
          if (req.publicOwned) zh = ordinal(`${D}${P}`, '幼儿园');
          else {
            const brand = rng.pick(KINDERGARTEN_BRANDS);
            zh = firstFree([`${D}${P}${brand}幼儿园`], `${D}${P}${brand}`, '幼儿园');
          }
          en = `${E} Kindergarten No. ${k}`;
          break;
        case 'nursery':
          if (req.publicOwned) zh = ordinal(`${D}${P}`, '社区托育服务中心');
          else {
            const brand = rng.pick(NURSERY_BRANDS);
            zh = firstFree([`${P}${brand}托育园`], `${P}${brand}`, '托育园');
          }
          en = `${E} Nursery No. ${k}`;
          break;
        case 'primary_school':
          zh = ordinal(`${D}${P}`, '小学');
          en = `${E} Primary School No. ${k}`;
          break;
        case 'middle_school':
          zh = ordinal(`${D}${P}`, '中学');
          en = `${E} Middle School No. ${k}`;
          break;
        case 'special_school':
          zh = ordinal(D, '特殊教育学校');
          en = k === 1 ? `${E} Special Education School` : `${E} Special Education School No. ${k}`;
          break;
        case 'playground':
          zh = ordinal(P, rng.pick(PLAYGROUND_KINDS));
          en = `${E} Playground No. ${k}`;
          break;
        case 'park':
          zh = ordinal(P, rng.pick(PARK_KINDS));
          en = `${E} Park No. ${k}`;
          break;
        case 'mother_baby_room': {
          const venue = req.venue ?? 'mall';
          const stem =
            venue === 'mall'
              ? `${P}${rng.pick(MALL_KINDS)}`
              : venue === 'station'
                ? `轨道交通${P}站`
                : venue === 'hospital'
                  ? `${D}${P}医院`
                  : `${P}公园`;
          zh = ordinal(stem, '母婴室', 'hao');
          en = `${E} Mother-and-Baby Room No. ${k} (${VENUE_EN[venue]})`;
          break;
        }
        case 'library':
          zh = k === 1 ? firstFree([`${D}图书馆少儿分馆`], D, '图书馆少儿分馆') : ordinal(P, '社区儿童阅览室');
          en = k === 1 ? `${E} Library, Children's Branch` : `${E} Children's Reading Room No. ${k - 1}`;
          break;
        case 'child_health':
          if (k === 1) {
            zh = firstFree([`${D}妇幼保健院`], D, '妇幼保健院');
            en = `${E} Maternal and Child Health Hospital`;
          } else if (k === 2) {
            zh = firstFree([`${D}人民医院儿科`], D, '人民医院儿科');
            en = `${E} People's Hospital, Paediatrics`;
          } else {
            zh = ordinal(P, req.rural ? '中心卫生院儿科' : '社区卫生服务中心儿科');
            en = `${E} Community Health Centre No. ${k - 2}, Paediatrics`;
          }
          break;
        case 'protection_station':
          zh = ordinal(req.townshipName ?? P, '未成年人保护工作站');
          en = `${E} Minor Protection Station No. ${k}`;
          break;
        case 'activity_centre':
          if (k === 1) {
            zh = firstFree([`${D}青少年宫`], D, '青少年宫');
            en = `${E} Youth Palace`;
          } else {
            zh = ordinal(P, '社区儿童之家');
            en = `${E} Children's Home No. ${k - 1}`;
          }
          break;
        default: {
          const never: never = category;
          throw new Error(`no naming rule for ${String(never)}`);
        }
      }
      used.add(zh);
      return { zh, en };
    },
    address(place, rng) {
      return `重庆市${d.nameZh}${place}${rng.pick(ROADS)}${rng.int(1, 399)}号（示例地址）`;
    },
  };
}
