import { describe, expect, it } from 'vitest';
import { createNamer, districtPrefixZh, districtShortEn, zhNumber } from './names';
import { createRng } from '../random';

describe('zhNumber', () => {
  it.each([
    [1, '一'],
    [3, '三'],
    [10, '十'],
    [12, '十二'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
  ])('%i → %s', (n, s) => expect(zhNumber(n)).toBe(s));

  it('rejects 0 and fractions', () => {
    expect(() => zhNumber(0)).toThrow(RangeError);
    expect(() => zhNumber(1.5)).toThrow(RangeError);
  });
});

describe('district name forms', () => {
  it('shortens autonomous counties only', () => {
    expect(districtPrefixZh('石柱土家族自治县')).toBe('石柱县');
    expect(districtPrefixZh('彭水苗族土家族自治县')).toBe('彭水县');
    expect(districtPrefixZh('渝中区')).toBe('渝中区');
    expect(districtPrefixZh('忠县')).toBe('忠县');
  });

  it('gives short English forms', () => {
    expect(districtShortEn('500108', "Nan'an District")).toBe("Nan'an");
    expect(districtShortEn('500240', 'Shizhu Tujia Autonomous County')).toBe('Shizhu');
    expect(districtShortEn('500233', 'Zhong County')).toBe('Zhongxian');
  });
});

describe('createNamer', () => {
  const d = { code: '500103', nameZh: '渝中区', nameEn: 'Yuzhong District' };

  it('names public kindergartens district + place + ordinal (渝中区大坪第三幼儿园)', () => {
    const namer = createNamer(d);
    const rng = createRng(1);
    const names = [1, 2, 3].map(() => namer.name({ category: 'kindergarten', place: '大坪', publicOwned: true, rng }));
    expect(names.map((n) => n.zh)).toEqual(['渝中区大坪幼儿园', '渝中区大坪第二幼儿园', '渝中区大坪第三幼儿园']);
    expect(names.map((n) => n.en)).toEqual(['Yuzhong Kindergarten No. 1', 'Yuzhong Kindergarten No. 2', 'Yuzhong Kindergarten No. 3']);
  });

  it('numbers repeated rooms as N号 and keeps every name unique within the district', () => {
    const namer = createNamer(d);
    const rng = createRng(2);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = namer.name({ category: 'mother_baby_room', place: '解放碑', publicOwned: false, venue: 'park', rng });
      expect(seen.has(n.zh)).toBe(false);
      seen.add(n.zh);
    }
    expect(seen.has('解放碑公园母婴室')).toBe(true);
    expect(seen.has('解放碑公园2号母婴室')).toBe(true);
    for (let i = 0; i < 50; i++) {
      const n = namer.name({ category: 'kindergarten', place: '大坪', publicOwned: false, rng });
      expect(seen.has(n.zh)).toBe(false);
      seen.add(n.zh);
    }
  });

  it('names the seat institutions once, then local ones', () => {
    const namer = createNamer(d);
    const rng = createRng(3);
    const ch = [1, 2, 3].map(() => namer.name({ category: 'child_health', place: '大坪', publicOwned: true, rng }).zh);
    expect(ch).toEqual(['渝中区妇幼保健院', '渝中区人民医院儿科', '大坪社区卫生服务中心儿科']);
    expect(namer.name({ category: 'protection_station', place: '大坪', townshipName: '大坪街道', publicOwned: true, rng }).zh).toBe(
      '大坪街道未成年人保护工作站',
    );
  });

  it('marks addresses as samples', () => {
    expect(createNamer(d).address('大坪', createRng(4))).toMatch(/^重庆市渝中区大坪.+\d+号（示例地址）$/);
  });
});
