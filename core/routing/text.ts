/**
 * Words for routes, in Chinese and English, made where the numbers are (so the server, the
 * client and exports say the same thing).
 *
 * @example
 * comparisonText({ extraM: 120, extraMinutes: 2, sameRoute: false, capped: false, avoided: { majorUnsignalised: 2, … } }, 1.5).zh;
 * // "安全路线多走 120 米（约 2 分钟），避开 2 处无信号灯的主干道过街。"
 */

import type { Bilingual } from '../catalogue';

export type { Bilingual };

/** The numbers of a route comparison that its sentence is made from. */
export interface ComparisonNumbers {
  extraM: number;
  extraMinutes: number;
  sameRoute: boolean;
  capped: boolean;
  uncappedLengthM: number | null;
  avoided: {
    majorUnsignalised: number;
    unsignalisedCrossings: number;
    stepFlights: number;
    alongMajorRoadM: number;
    noSidewalkM: number;
    costM: number;
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "The safer route is N m longer and avoids …", or "the shortest route is also the safest". */
export function comparisonText(c: ComparisonNumbers, cap: number): Bilingual {
  const capNote: Bilingual = c.capped
    ? {
        zh: `（最安全的路线长 ${c.uncappedLengthM} 米，超过最短路线的 ${cap} 倍，未采用。）`,
        en: ` (The safest route, ${c.uncappedLengthM} m, is more than ${cap}× the shortest and was not used.)`,
      }
    : { zh: '', en: '' };
  if (c.sameRoute) {
    return { zh: `最短路线就是最安全的路线。${capNote.zh}`, en: `The shortest route is also the safest.${capNote.en}` };
  }
  const zh: string[] = [];
  const en: string[] = [];
  const a = c.avoided;
  const otherUnsig = a.unsignalisedCrossings - Math.max(0, a.majorUnsignalised);
  if (a.majorUnsignalised > 0) {
    zh.push(`避开 ${a.majorUnsignalised} 处无信号灯的主干道过街`);
    en.push(`avoids ${plural(a.majorUnsignalised, 'crossing', 'crossings')} of a main road without traffic lights`);
  }
  if (otherUnsig > 0) {
    zh.push(`少过 ${otherUnsig} 处无信号灯的路口`);
    en.push(`has ${plural(otherUnsig, 'crossing', 'crossings')} fewer without lights`);
  }
  if (a.stepFlights > 0) {
    zh.push(`少走 ${a.stepFlights} 段台阶`);
    en.push(`climbs ${plural(a.stepFlights, 'flight', 'flights')} of steps fewer`);
  }
  if (a.alongMajorRoadM >= 20) {
    zh.push(`少沿主干道步行 ${a.alongMajorRoadM} 米`);
    en.push(`walks ${a.alongMajorRoadM} m less along main roads`);
  }
  if (a.noSidewalkM >= 20) {
    zh.push(`少走 ${a.noSidewalkM} 米无人行道的路段`);
    en.push(`walks ${a.noSidewalkM} m less where there is no sidewalk`);
  }
  if (zh.length === 0) {
    zh.push('更多走在人行道和步行道上');
    en.push('keeps more to footways and sidewalks');
  }
  const minutes = c.extraMinutes >= 0.5 ? Math.round(c.extraMinutes) : null;
  const zhExtra = c.extraM >= 1 ? `安全路线多走 ${c.extraM} 米${minutes ? `（约 ${minutes} 分钟）` : ''}，` : '安全路线与最短路线一样长，';
  const enExtra =
    c.extraM >= 1
      ? `The safer route is ${c.extraM} m longer${minutes ? ` (about ${minutes} min)` : ''} and `
      : 'The safer route is as long as the shortest and ';
  return {
    zh: `${zhExtra}${zh.join('，')}。${capNote.zh}`,
    en: `${enExtra}${joinEn(en)}.${capNote.en}`,
  };
}

function joinEn(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The climb of a route: "上坡 35 米，下坡 12 米" / "climb 35 m, descent 12 m" (metres rounded);
 * null when there is no elevation (slope not used), so nothing is said rather than "0 m".
 * @example climbText({ riseM: 34.6, fallM: 12.2 }, true).zh; // "上坡 35 米，下坡 12 米"
 */
export function climbText(climb: { riseM: number; fallM: number }, slopeUsed: boolean): Bilingual | null {
  if (!slopeUsed) return null;
  const up = Math.round(climb.riseM),
    down = Math.round(climb.fallM);
  return { zh: `上坡 ${up} 米，下坡 ${down} 米`, en: `climb ${up} m, descent ${down} m` };
}
