import { describe, expect, it } from 'vitest';
import { classifyBasemap, classifyBuilding, classifyRoad, closedWayIsArea, nameScript, parseHeightM } from './basemap';
import { BasemapExtract } from './basemapExtract';

describe('basemap classification (Protomaps schema v4)', () => {
  it('classifies roads by class with the highway value as kind_detail', () => {
    const cases: [Record<string, string>, string, string, number][] = [
      [{ highway: 'motorway' }, 'highway', 'motorway', 6],
      [{ highway: 'primary' }, 'major_road', 'primary', 8],
      [{ highway: 'tertiary' }, 'major_road', 'tertiary', 11],
      [{ highway: 'residential' }, 'minor_road', 'residential', 13],
      [{ highway: 'service' }, 'minor_road', 'service', 14],
      [{ highway: 'steps' }, 'path', 'steps', 14],
      [{ highway: 'footway' }, 'path', 'footway', 14],
      [{ highway: 'footway', footway: 'sidewalk' }, 'path', 'footway', 15],
      [{ highway: 'pedestrian' }, 'path', 'pedestrian', 14],
      [{ highway: 'platform' }, 'other', 'platform', 15],
    ];
    for (const [tags, kind, detail, minZoom] of cases) {
      const c = classifyRoad(tags)!;
      expect([c.kind, c.kind_detail, c.min_zoom], JSON.stringify(tags)).toEqual([kind, detail, minZoom]);
    }
    expect(classifyRoad({ highway: 'proposed' })).toBeNull();
    expect(classifyRoad({ highway: 'bus_stop' })).toBeNull();
    expect(classifyRoad({ building: 'yes' })).toBeNull();
  });

  it('sets is_link, is_bridge, is_tunnel and oneway only when true (the style tests with has)', () => {
    const link = classifyRoad({ highway: 'primary_link', bridge: 'yes', oneway: 'yes', layer: '1' })!;
    expect(link).toMatchObject({ kind: 'major_road', kind_detail: 'primary_link', min_zoom: 12 });
    expect(link.attrs).toEqual({ is_link: true, is_bridge: true, oneway: 'yes', layer: 1 });
    const plain = classifyRoad({ highway: 'residential', bridge: 'no', tunnel: 'building_passage', oneway: 'no' })!;
    expect(plain.attrs).toEqual({});
    expect(classifyRoad({ highway: 'secondary', tunnel: 'yes' })!.attrs).toEqual({ is_tunnel: true });
  });

  it('gives buildings a height from height or building:levels × 3 m', () => {
    expect(classifyBuilding({ building: 'yes', height: '25.5 m' })).toMatchObject({ kind: 'building', kind_detail: null, height_m: 25.5 });
    expect(classifyBuilding({ building: 'apartments', 'building:levels': '32' })).toMatchObject({
      kind_detail: 'apartments',
      height_m: 96,
    });
    expect(classifyBuilding({ building: 'yes', height: '80 ft', 'building:levels': '2' })!.height_m).toBe(6);
    expect(classifyBuilding({ building: 'yes' })!.height_m).toBeNull();
    expect(classifyBuilding({ 'building:part': 'yes', min_height: '10', height: '30' })).toMatchObject({
      kind: 'building_part',
      height_m: 30,
      attrs: { min_height: 10 },
    });
    expect(classifyBuilding({ building: 'no' })).toBeNull();
    expect(parseHeightM('abc')).toBeNull();
  });

  it('keeps names with the script the style needs (Han for Chinese, none for Latin)', () => {
    const [road] = classifyBasemap({ highway: 'pedestrian', name: '八一路', 'name:en': 'Bayi Road' }, 'line');
    expect(road).toMatchObject({ name: '八一路', name_en: 'Bayi Road', attrs: { script: 'Han' } });
    const [latin] = classifyBasemap({ highway: 'residential', name: 'Rue Grimaldi' }, 'line');
    expect(latin.name).toBe('Rue Grimaldi');
    expect(latin.attrs.script).toBeUndefined();
    expect(nameScript('解放碑 Jiefangbei')).toBe('Han');
  });

  it('turns areas into buildings, landuse, water and a POI for their label; nodes into places and POIs', () => {
    const park = classifyBasemap({ leisure: 'park', name: '鹅岭公园' }, 'area');
    expect(park.map((c) => `${c.layer}/${c.kind}`)).toEqual(['landuse/park', 'pois/park']);
    const school = classifyBasemap({ building: 'school', amenity: 'school', name: '巴蜀小学' }, 'area');
    expect(school.map((c) => `${c.layer}/${c.kind}`)).toEqual(['buildings/building', 'landuse/school', 'pois/school']);
    expect(classifyBasemap({ natural: 'water', water: 'lake' }, 'area').map((c) => `${c.layer}/${c.kind}`)).toEqual(['water/lake']);
    expect(classifyBasemap({ waterway: 'river', name: '嘉陵江' }, 'line').map((c) => `${c.layer}/${c.kind}`)).toEqual(['water/river']);
    expect(classifyBasemap({ place: 'suburb', name: '解放碑' }, 'point').map((c) => `${c.layer}/${c.kind}`)).toEqual(['places/macrohood']);
    expect(classifyBasemap({ amenity: 'cafe', name: 'Café' }, 'point')[0]).toMatchObject({ layer: 'pois', kind: 'cafe', min_zoom: 17 });
    // unnamed shops are no labels; unnamed toilets are kept (useful on foot)
    expect(classifyBasemap({ shop: 'bakery' }, 'point')).toEqual([]);
    expect(classifyBasemap({ amenity: 'toilets' }, 'point')[0].kind).toBe('toilets');
    expect(classifyBasemap({ boundary: 'administrative', admin_level: '6' }, 'line')[0]).toMatchObject({
      layer: 'boundaries',
      kind: 'county',
      attrs: { kind_detail: 6 },
    });
  });

  it('treats closed highways as lines unless area=yes', () => {
    expect(closedWayIsArea({ highway: 'residential' })).toBe(false);
    expect(closedWayIsArea({ highway: 'pedestrian', area: 'yes' })).toBe(true);
    expect(closedWayIsArea({ building: 'yes' })).toBe(true);
  });
});

describe('BasemapExtract', () => {
  const coords: Record<number, [number, number]> = {
    1: [106.57, 29.55],
    2: [106.571, 29.55],
    3: [106.571, 29.551],
    4: [106.57, 29.551],
    5: [106.5702, 29.5502],
    6: [106.5708, 29.5502],
    7: [106.5708, 29.5508],
    8: [106.5702, 29.5508],
    9: [106.572, 29.552],
  };
  function run(feed: (bm: BasemapExtract) => void, members?: { id: number; refs: number[] }[]) {
    const bm = new BasemapExtract();
    feed(bm);
    if (bm.needsMemberWays) for (const w of members ?? []) bm.addMemberWay({ ...w, tags: null });
    bm.prepareNodeLookup();
    for (const [id, [x, y]] of Object.entries(coords)) bm.setNodeCoord(Number(id), x, y);
    return [...bm.features()];
  }

  it('builds lines, polygons with holes and label points', () => {
    const out = run(
      (bm) => {
        bm.addNode(9, ...coords[9], { place: 'neighbourhood', name: '较场口' });
        bm.addWay({ id: 10, refs: [1, 2, 3], tags: { highway: 'steps', name: '十八梯' } });
        bm.addWay({ id: 11, refs: [1, 2, 3, 4, 1], tags: { building: 'yes', 'building:levels': '5' } });
        bm.addRelation({
          id: 20,
          tags: { type: 'multipolygon', leisure: 'park', name: '中山公园' },
          members: [
            { type: 'way', ref: 30, role: 'outer' },
            { type: 'way', ref: 31, role: 'inner' },
          ],
        });
      },
      [
        { id: 30, refs: [1, 2, 3, 4, 1] },
        { id: 31, refs: [5, 6, 7, 8, 5] },
      ],
    );
    const byKey = Object.fromEntries(out.map((f) => [`${f.osm_type}/${f.osm_id}/${f.layer}`, f]));
    expect(Object.keys(byKey).sort()).toEqual([
      'node/9/places',
      'relation/20/landuse',
      'relation/20/pois',
      'way/10/roads',
      'way/11/buildings',
    ]);
    expect(byKey['way/10/roads']).toMatchObject({ kind: 'path', kind_detail: 'steps', name: '十八梯', geometry: { type: 'LineString' } });
    expect(byKey['way/11/buildings']).toMatchObject({ height_m: 15, geometry: { type: 'Polygon' } });
    const park = byKey['relation/20/landuse'].geometry;
    expect(park.type).toBe('Polygon');
    expect((park.coordinates as unknown[]).length).toBe(2); // outer + hole
    const label = byKey['relation/20/pois'].geometry;
    expect(label.type).toBe('Point');
    // the label is inside the park, not in its hole
    const [x, y] = label.coordinates as [number, number];
    expect(x > 106.5702 && x < 106.5708 && y > 29.5502 && y < 29.5508).toBe(false);
    expect(x >= 106.57 && x <= 106.571 && y >= 29.55 && y <= 29.551).toBe(true);
  });

  it('cuts lines where nodes are missing and drops areas that are cut open', () => {
    const bm = new BasemapExtract();
    bm.addWay({ id: 10, refs: [1, 2, 99, 3, 4], tags: { highway: 'residential' } });
    bm.addWay({ id: 11, refs: [1, 2, 99, 4, 1], tags: { building: 'yes' } });
    bm.prepareNodeLookup();
    for (const [id, [x, y]] of Object.entries(coords)) bm.setNodeCoord(Number(id), x, y);
    const out = [...bm.features()];
    expect(out.map((f) => f.geometry.type)).toEqual(['MultiLineString']);
    expect(bm.stats).toMatchObject({ linesCut: 1, areasIncomplete: 1 });
  });
});
