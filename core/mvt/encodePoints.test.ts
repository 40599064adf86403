import { describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { encodePointTile, mercatorToTilePixels } from './encodePoints';

function decode(bytes: Uint8Array) {
  return new VectorTile(new Pbf(bytes));
}

describe('encodePointTile', () => {
  it('round-trips ids, positions and typed properties through an independent decoder', () => {
    const bytes = encodePointTile({
      name: 'facilities',
      features: [
        { id: 7, x: 10, y: 4000, properties: { category: 'park', name_zh: '鹅岭公园', capacity: 120, ratio: 0.5, open: true } },
        { id: 8, x: 4100, y: -20, properties: { category: 'park', name_zh: '佛图关公园', offset: -3, none: null } },
      ],
    });
    const layer = decode(bytes).layers.facilities;
    expect(layer.length).toBe(2);
    expect(layer.extent).toBe(4096);
    const a = layer.feature(0);
    expect(a.id).toBe(7);
    expect(a.type).toBe(1);
    expect(a.loadGeometry()).toEqual([[{ x: 10, y: 4000 }]]);
    expect(a.properties).toEqual({ category: 'park', name_zh: '鹅岭公园', capacity: 120, ratio: 0.5, open: true });
    const b = layer.feature(1);
    expect(b.loadGeometry()).toEqual([[{ x: 4100, y: -20 }]]);
    expect(b.properties).toEqual({ category: 'park', name_zh: '佛图关公园', offset: -3 });
  });

  it('gives an empty tile for no features', () => {
    expect(encodePointTile({ name: 'facilities', features: [] }).byteLength).toBe(0);
  });

  it('does not mutate its input', () => {
    const features = [{ id: 1, x: 1.4, y: 2.6, properties: { a: 'b' } }];
    const copy = structuredClone(features);
    encodePointTile({ name: 'l', features });
    expect(features).toEqual(copy);
  });
});

describe('mercatorToTilePixels', () => {
  it('maps the tile corners to 0 and extent, y downwards', () => {
    const b = [0, 0, 100, 100] as const;
    expect(mercatorToTilePixels(0, 100, b)).toEqual([0, 0]);
    expect(mercatorToTilePixels(100, 0, b)).toEqual([4096, 4096]);
    expect(mercatorToTilePixels(50, 25, b, 512)).toEqual([256, 384]);
  });
});
