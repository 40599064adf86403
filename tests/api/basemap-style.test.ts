/**
 * The basemap style and its assets (server/features/style): the style is the Protomaps
 * layers for the asked language over one same-origin source, every URL in it same-origin
 * and answered; glyph ranges carried and not carried; sprites; the PMTiles archive by HTTP
 * range requests. No SQL here, so one database target is enough (apiTargets()[0]).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { layers, namedFlavor } from '@protomaps/basemaps';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { STAIRS_LAYER, BUILDINGS_3D_LAYER } from '../../server/features/style/style';
import { loadConfig } from '../../server/config';

interface Style {
  version: number;
  glyphs: string;
  sprite: string;
  sources: Record<string, { type: string; url: string; attribution?: string }>;
  layers: { id: string; type: string; source?: string; layout?: Record<string, unknown>; filter?: unknown }[];
}

const target = apiTargets()[0];

describe('basemap style and assets', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(target);
  });
  afterAll(() => api?.close());

  it('answers the Protomaps light layers for the language, with our stairs layer below the labels', async () => {
    const zh = await api.json('/api/style.json?lang=zh');
    expect(zh.status).toBe(200);
    const s = zh.body as Style;
    expect(s.version).toBe(8);
    const expected = layers('protomaps', namedFlavor('light'), { lang: 'zh-Hans' });
    const ids = s.layers.map((l) => l.id);
    // every Protomaps layer, in its order, none hand-written
    expect(ids.filter((id) => !id.startsWith('atlas_'))).toEqual(expected.map((l) => l.id));
    const minorLabels = s.layers.find((l) => l.id === 'roads_labels_minor')!;
    expect(JSON.stringify(minorLabels.layout!['text-field'])).toContain('name:zh-Hans');
    const stairs = ids.indexOf(STAIRS_LAYER);
    expect(stairs).toBeGreaterThan(ids.indexOf('roads_minor'));
    expect(stairs).toBeLessThan(s.layers.findIndex((l) => l.type === 'symbol'));
    expect(JSON.stringify(s.layers[stairs].filter)).toContain('steps');
    expect(ids).not.toContain(BUILDINGS_3D_LAYER);

    const en = (await api.json('/api/style.json?lang=en&buildings3d=true')).body as Style;
    const enLabels = en.layers.find((l) => l.id === 'roads_labels_minor')!;
    expect(JSON.stringify(enLabels.layout!['text-field'])).toContain('name:en');
    expect(JSON.stringify(enLabels.layout!['text-field'])).not.toContain('zh-Hans');
    expect(en.layers.map((l) => l.id)).toContain(BUILDINGS_3D_LAYER);
  });

  it('puts only same-origin URLs in the style, and each of them answers', async () => {
    const s = (await api.json('/api/style.json')).body as Style;
    const origin = api.url;
    expect(s.sources.protomaps).toMatchObject({ type: 'vector', url: `${origin}/api/tiles/basemap.json` });
    expect(s.sources.protomaps.attribution).toContain('© OpenStreetMap contributors');
    expect(s.glyphs).toBe(`${origin}/api/basemap/fonts/{fontstack}/{range}.pbf`);
    expect(s.sprite).toBe(`${origin}/api/basemap/sprites/v4/light`);
    // every font a layer names (Devanagari, for Devanagari names only, is not carried: empty answer)
    const fonts = new Set<string>();
    for (const l of s.layers) for (const m of JSON.stringify(l.layout ?? {}).matchAll(/"(Noto Sans [^"]+)"/g)) fonts.add(m[1]);
    expect([...fonts].sort()).toEqual(['Noto Sans Devanagari Regular v1', 'Noto Sans Italic', 'Noto Sans Medium', 'Noto Sans Regular']);
    for (const font of ['Noto Sans Regular', 'Noto Sans Medium', 'Noto Sans Italic']) {
      const r = await api.get(s.glyphs.replace(origin, '').replace('{fontstack}', encodeURIComponent(font)).replace('{range}', '0-255'));
      expect(r.status, font).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/x-protobuf');
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(bytes.length, font).toBeGreaterThan(10_000);
      // PBF `glyphs` message: field 1 (fontstack), length-delimited
      expect(bytes[0]).toBe(0x0a);
    }
    for (const f of ['.json', '.png', '@2x.json', '@2x.png']) {
      const r = await api.get(s.sprite.replace(origin, '') + f);
      expect(r.status, f).toBe(200);
      if (f.endsWith('.json')) {
        const sheet = (await r.json()) as Record<string, unknown>;
        // the icons the Protomaps POI and place layers ask for
        for (const icon of ['school', 'library', 'park', 'bus_stop', 'train_station', 'townspot']) expect(sheet, icon).toHaveProperty(icon);
      } else {
        expect(r.headers.get('content-type')).toBe('image/png');
      }
    }
  });

  it('answers an empty glyph PBF for a range or font not carried, and 400 for a malformed range', async () => {
    // CJK ideographs are drawn locally (localIdeographFontFamily): the range is not carried
    const cjk = await api.get('/api/basemap/fonts/Noto%20Sans%20Regular/19968-20223.pbf');
    expect(cjk.status).toBe(200);
    expect((await cjk.arrayBuffer()).byteLength).toBe(0);
    const deva = await api.get(`/api/basemap/fonts/${encodeURIComponent('Noto Sans Devanagari Regular v1')}/2304-2559.pbf`);
    expect(deva.status).toBe(200);
    expect((await deva.arrayBuffer()).byteLength).toBe(0);
    // a fontstack falls through to the first font carried
    const stack = await api.get(`/api/basemap/fonts/${encodeURIComponent('Arial Unicode MS Regular,Noto Sans Medium')}/0-255.pbf`);
    expect((await stack.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    for (const bad of ['0-256', '1-256', 'abc', '65536-65791']) {
      const r = await api.json(`/api/basemap/fonts/Noto%20Sans%20Regular/${bad}.pbf`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.field).toBe('range');
    }
    expect((await api.get('/api/basemap/sprites/v4/dark.json')).status).toBe(404);
    expect((await api.get('/api/basemap/sprites/v4/..%2F..%2Ffonts%2FOFL.txt')).status).toBe(404);
    const badLang = await api.json('/api/style.json?lang=fr');
    expect(badLang.status).toBe(400);
    expect(badLang.body.error.field).toBe('lang');
  });

  it('has no PMTiles route unless BASEMAP_PMTILES is set', async () => {
    expect((await api.get('/api/basemap.pmtiles')).status).toBe(404);
  });
});

describe('basemap from a PMTiles archive (BASEMAP_PMTILES)', () => {
  let api: TestApi;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atlas-pmtiles-'));
  const file = path.join(dir, 'city.pmtiles');
  // Range serving does not look inside the archive: 1000 known bytes stand in for one.
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  writeFileSync(file, bytes);

  beforeAll(async () => {
    api = await startTestApi(target, undefined, { basemapPmtiles: file });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('points the style at the archive through the pmtiles protocol', async () => {
    const s = (await api.json('/api/style.json')).body as Style;
    expect(s.sources.protomaps.url).toBe(`pmtiles://${api.url}/api/basemap.pmtiles`);
  });

  it('serves byte ranges: 206, Content-Range, Accept-Ranges, ETag, If-Range, 416', async () => {
    const whole = await api.get('/api/basemap.pmtiles');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const etag = whole.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await fetch(`${api.url}/api/basemap.pmtiles`, { headers: { Range: 'bytes=0-126' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 0-126/1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(0, 127))).toBe(true);

    const tail = await fetch(`${api.url}/api/basemap.pmtiles`, { headers: { Range: 'bytes=900-', 'If-Range': etag! } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(900))).toBe(true);

    const stale = await fetch(`${api.url}/api/basemap.pmtiles`, { headers: { Range: 'bytes=900-', 'If-Range': '"not-the-etag"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();

    const beyond = await fetch(`${api.url}/api/basemap.pmtiles`, { headers: { Range: 'bytes=5000-6000' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');

    const notModified = await fetch(`${api.url}/api/basemap.pmtiles`, {
      // (fetch itself adds Cache-Control: no-cache to a conditional request unless one is given)
      headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' },
    });
    expect(notModified.status).toBe(304);
  });

  it('fails fast at start-up when BASEMAP_PMTILES names no file', () => {
    expect(() => loadConfig({ BASEMAP_PMTILES: path.join(dir, 'missing.pmtiles') })).toThrow(/BASEMAP_PMTILES: no such file/);
    expect(loadConfig({ BASEMAP_PMTILES: file }).BASEMAP_PMTILES).toBe(file);
    expect(() => loadConfig({ BASEMAP_ORIGINS: 'ftp://x' })).toThrow(/BASEMAP_ORIGINS/);
    expect(loadConfig({ BASEMAP_ORIGINS: 'https://*.tianditu.gov.cn, https://a.example.org' }).BASEMAP_ORIGINS).toEqual([
      'https://*.tianditu.gov.cn',
      'https://a.example.org',
    ]);
  });
});
