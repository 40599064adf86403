/**
 * The map's style helpers (client/src/map/style.ts) on the real server style
 * (server/features/style/style.ts): turning the basemap's language touches only label
 * layers' `text-field`; a glyph-less online style gets our glyphs; district label points.
 */
import { describe, expect, it } from 'vitest';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { districtLabelPoints, districtLabelText, labelLanguageChanges, withGlyphs } from '../../client/src/map/style';
import { basemapStyle } from '../../server/features/style/style';
import type { DistrictFeature } from '../../core/api';

const style = (lang: 'zh' | 'en') =>
  basemapStyle({ origin: 'http://atlas.test', lang, flavor: 'light', pmtiles: false, buildings3d: false }) as unknown as StyleSpecification;

describe('map style helpers', () => {
  it('switches the basemap language by changing only the symbol layers’ text-field', () => {
    const zh = style('zh').layers as LayerSpecification[];
    const en = style('en').layers as LayerSpecification[];
    const changes = labelLanguageChanges(zh, en);
    expect(changes.length).toBeGreaterThan(5);
    const types = new Map(zh.map((l) => [l.id, l.type]));
    for (const c of changes) {
      expect(types.get(c.layer), c.layer).toBe('symbol');
      expect(c.property, c.layer).toBe('text-field');
    }
    expect(changes.map((c) => c.layer)).toEqual(
      expect.arrayContaining(['roads_labels_minor', 'roads_labels_major', 'places_locality', 'pois']),
    );
    expect(JSON.stringify(changes.find((c) => c.layer === 'roads_labels_minor')!.value)).toContain('name:en');
    // nothing to do when the language is the same; layers the map lacks are skipped
    expect(labelLanguageChanges(zh, zh)).toEqual([]);
    expect(
      labelLanguageChanges(
        zh.filter((l) => l.id !== 'pois'),
        en,
      ).some((c) => c.layer === 'pois'),
    ).toBe(false);
  });

  it('gives a style without glyphs our glyph endpoint and keeps a style’s own', () => {
    const raster: StyleSpecification = { version: 8, sources: {}, layers: [] };
    expect(withGlyphs(raster, 'https://atlas.example.cn').glyphs).toBe(
      'https://atlas.example.cn/api/basemap/fonts/{fontstack}/{range}.pbf',
    );
    expect(withGlyphs({ ...raster, glyphs: 'https://x/{fontstack}/{range}.pbf' }, 'https://a').glyphs).toBe(
      'https://x/{fontstack}/{range}.pbf',
    );
  });

  it('makes one label point per district, short English names', () => {
    const f = {
      type: 'Feature',
      id: '500103',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: {
        code: '500103',
        name_zh: '渝中区',
        name_en: 'Yuzhong District',
        central_urban: true,
        population: 589_000,
        children_0_14: 1,
        area_km2: 22,
        label_point: [106.56, 29.55],
      },
    } as unknown as DistrictFeature;
    const fc = districtLabelPoints([f]);
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].geometry.coordinates).toEqual([106.56, 29.55]);
    expect(fc.features[0].properties).toMatchObject({ label_zh: '渝中区', label_en: 'Yuzhong', central_urban: true });
    expect(districtLabelText('en')).toEqual(['get', 'label_en']);
    expect(districtLabelText('zh')).toEqual(['get', 'label_zh']);
  });
});
