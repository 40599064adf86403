import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { CATEGORIES } from '../catalogue';
import { buildQml, DISTRICT_STYLE, facilityStyle, GAP_STYLE, qgisColour, xmlEscape } from './qml';
import { kmlColour, kmlHead, kmlPlacemark, kmlTail } from './kml';
import { csvCell, csvRow, UTF8_BOM } from './csv';
import { chinaDate, contentDisposition, exportFileName, fileNamePart } from './fileName';
import { metadataLines, type ExportMetadata } from './metadata';
import type { ExportField } from './types';

/** Parse XML strictly; returns the element names in document order. */
function elements(xml: string): string[] {
  const names: string[] = [];
  const p = new SaxesParser();
  p.on('opentag', (t) => names.push(t.name));
  p.on('error', (e) => {
    throw e;
  });
  p.write(xml.replace(/^<!DOCTYPE[^>]*>/, '')).close();
  return names;
}

const fields: ExportField[] = [
  { name: 'category', type: 'string', zh: '类别代码', en: 'Category code' },
  { name: 'district_name_zh', type: 'string', zh: '区县', en: 'District' },
  { name: 'capacity', type: 'integer', zh: '学位', en: 'Places' },
  { name: 'inclusive', type: 'boolean', zh: '普惠', en: 'Inclusive' },
];

describe('QGIS styles (.qml)', () => {
  it('colour facilities by category with the catalogue’s colours and shapes', () => {
    const qml = buildQml(facilityStyle(), 'Point', { names: new Map(), aliases: [{ field: 'category', alias: '类别代码 Category code' }] });
    const els = elements(qml);
    expect(els.filter((e) => e === 'category')).toHaveLength(CATEGORIES.length);
    for (const c of CATEGORIES) {
      expect(qml).toContain(`value="${c.id}" label="${xmlEscape(`${c.name.zh} ${c.name.en}`)}"`);
      expect(qml).toContain(`<Option name="color" type="QString" value="${qgisColour(c.colour)}"/>`);
      expect(qml).toContain(`<prop k="name" v="${c.shape}"/>`);
    }
    expect(qml).toContain('<layerGeometryType>0</layerGeometryType>');
    expect(qml).toContain('labelsEnabled="0"');
  });

  it('fill gaps in translucent red, outline and label districts, with DBF names where the file has them', () => {
    const gaps = buildQml(GAP_STYLE, 'MultiPolygon', { names: new Map(), aliases: [] });
    elements(gaps);
    expect(gaps).toContain('class="SimpleFill"');
    expect(gaps).toContain('value="220,38,38,115"');
    expect(gaps).toContain('<layerGeometryType>2</layerGeometryType>');
    const districts = buildQml(DISTRICT_STYLE, 'MultiPolygon', {
      names: new Map([['name_zh', 'nm_zh']]),
      aliases: [{ field: 'name_zh', alias: '区县 Name' }],
    });
    elements(districts);
    expect(districts).toContain('labelsEnabled="1"');
    expect(districts).toContain('fieldName="nm_zh"');
    expect(districts).toContain('<alias field="nm_zh" index="0" name="区县 Name"/>');
  });

  it('escapes text and drops characters XML 1.0 forbids', () => {
    expect(xmlEscape(`a<b>&"c'\u0001\u000b`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(qgisColour('#1d4ed8', 0.5)).toBe('29,78,216,128');
    expect(() => qgisColour('blue')).toThrow(/#rrggbb/);
  });
});

describe('KML', () => {
  const doc = {
    id: 'facilities',
    name: '设施 & <facilities>',
    description: '说明',
    fields,
    style: facilityStyle(),
    geometryType: 'Point' as const,
  };

  it('is well-formed with typed schema, styles and placemarks', () => {
    const xml =
      kmlHead(doc) +
      kmlPlacemark(doc, {
        id: 1,
        name: '大坪第一幼儿园',
        geometry: { type: 'Point', coordinates: [106.55, 29.55] },
        properties: { category: 'kindergarten', district_name_zh: '渝中区', capacity: 270, inclusive: true },
      }) +
      kmlPlacemark(doc, {
        id: 2,
        name: null,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
              [
                [0.2, 0.1],
                [0.3, 0.1],
                [0.3, 0.2],
                [0.2, 0.1],
              ],
            ],
          ],
        },
        properties: { category: 'nope', district_name_zh: null, capacity: null, inclusive: false },
      }) +
      kmlTail();
    const els = elements(xml);
    expect(els.filter((e) => e === 'Placemark')).toHaveLength(2);
    expect(els.filter((e) => e === 'SimpleField')).toHaveLength(4);
    expect(els.filter((e) => e === 'Style')).toHaveLength(CATEGORIES.length);
    expect(xml).toContain('<SimpleField name="capacity" type="int"><displayName>学位 Places</displayName></SimpleField>');
    expect(xml).toContain('<styleUrl>#facilities_c3</styleUrl>');
    expect(xml).toContain('<SimpleData name="inclusive">1</SimpleData>');
    expect(xml).toContain('<innerBoundaryIs>');
    expect(xml).not.toContain('<SimpleData name="capacity"></SimpleData>'); // nulls are left out
  });

  it('writes colours as aabbggrr', () => {
    expect(kmlColour('#dc2626', 0.45)).toBe('732626dc');
    expect(kmlColour('#1d4ed8')).toBe('ffd84e1d');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and guards formulas', () => {
    expect(csvRow(['名称', 'a,b', 'say "hi"', 'two\nlines', 3, -1.5, true, null])).toBe(
      '名称,"a,b","say ""hi""","two\nlines",3,-1.5,true,\r\n',
    );
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+86 23 6380 0000')).toBe("'+86 23 6380 0000");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(UTF8_BOM).toBe('\ufeff');
  });
});

describe('file names', () => {
  const date = new Date('2026-11-28T16:30:00Z'); // 00:30 on the 29th in Chongqing

  it('say layer, filters, CRS and the China date', () => {
    expect(chinaDate(date)).toBe('2026-11-29');
    expect(exportFileName({ layer: 'gaps', parts: ['kindergarten', '500103'], crs: 'cgcs2000', date, ext: 'gpkg' })).toBe(
      'gaps_kindergarten_500103_cgcs2000_2026-11-29.gpkg',
    );
    expect(
      exportFileName({ layer: 'facilities', parts: [null, undefined, 'mother_baby_room'], crs: 'wgs84', date, ext: 'geojson.zip' }),
    ).toBe('facilities_mother-baby-room_wgs84_2026-11-29.geojson.zip');
  });

  it('carry nothing that could escape a folder or a header', () => {
    for (const evil of ['../../etc/passwd', '..\\..\\boot.ini', 'a"; filename=x.exe', '渝中区', '\u0000\r\nSet-Cookie: x']) {
      const name = exportFileName({ layer: 'facilities', parts: [evil], crs: 'wgs84', date, ext: 'csv' });
      expect(name).toMatch(/^[a-z0-9_.-]+$/);
      expect(name).not.toContain('..');
      expect(fileNamePart(evil)).toMatch(/^[a-z0-9-]*$/);
    }
    expect(contentDisposition('a b"c.csv')).toBe('attachment; filename="a_b_c.csv"');
  });
});

describe('metadata lines', () => {
  it('state CRS, category, norm, sources with dates, creation time and version', () => {
    const m: ExportMetadata = {
      schema: 'child-friendly-city-atlas/export/1',
      title: { zh: '幼儿园服务缺口', en: 'Kindergarten gaps' },
      layer: { id: 'gaps', name: { zh: '缺口', en: 'Gaps' }, description: { zh: '', en: '' }, geometry_type: 'MultiPolygon' },
      format: 'gpkg',
      file_name: 'x.gpkg',
      crs: { id: 'gcj02', epsg: null, name: { zh: 'GCJ-02', en: 'GCJ-02' }, note: { zh: '火星坐标', en: 'Mars coordinates' } },
      parameters: { category: ['kindergarten'], mode: 'network' },
      category: { id: 'kindergarten', zh: '幼儿园', en: 'Kindergarten' },
      mode: 'network',
      distance_m: 300,
      norm: { source: 'GB 50180-2018', citation: '表4.0.1' },
      fields: [],
      sources: [{ id: 'osm', description: 'OpenStreetMap', records: 12, sourceDate: '2026-10-01', loadedAt: '2026-11-01T00:00:00Z' }],
      dataset: {},
      created_at: '2026-11-29T01:00:00.000Z',
      app: { name: 'child-friendly-city-atlas', version: '0.1.0' },
      feature_count: 7,
      notes: [],
    };
    const text = new Map(metadataLines(m));
    expect(text.get('坐标系 CRS')).toBe('GCJ-02 / GCJ-02 (无 EPSG 代码 / no EPSG code)');
    expect(text.get('距离 Distance')).toBe('300 m');
    expect(text.get('标准 Norm')).toBe('GB 50180-2018: 表4.0.1');
    expect(text.get('数据来源 Source')).toBe('OpenStreetMap; 12 records; source date 2026-10-01, loaded 2026-11-01T00:00:00Z');
    expect(text.get('参数 Parameters')).toBe('category=kindergarten; mode=network');
    expect(text.get('软件版本 App')).toBe('child-friendly-city-atlas 0.1.0');
  });
});
