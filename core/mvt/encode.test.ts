import { describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { encodeTile, signedArea } from './encode';

const decode = (b: Uint8Array) => new VectorTile(new Pbf(b));

describe('encodeTile (lines and polygons)', () => {
  it('round-trips several layers of lines and polygons through an independent decoder', () => {
    const bytes = encodeTile([
      {
        name: 'roads',
        features: [
          {
            id: 1,
            geometry: {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [10, 0],
                [10, 0],
                [20, 30],
              ],
            },
            properties: { kind: 'path', kind_detail: 'steps', is_bridge: true },
          },
          {
            id: 2,
            geometry: {
              type: 'MultiLineString',
              coordinates: [
                [
                  [1, 1],
                  [2, 2],
                ],
                [
                  [5, 5],
                  [5, 5],
                ],
                [
                  [7, 7],
                  [9, 9],
                ],
              ],
            },
            properties: { kind: 'minor_road', name: '八一路' },
          },
        ],
      },
      { name: 'empty', features: [] },
      {
        name: 'buildings',
        features: [
          // exterior given counter-clockwise on screen, hole clockwise: both must be flipped
          {
            id: 3,
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [0, 100],
                  [100, 100],
                  [100, 0],
                  [0, 0],
                ],
                [
                  [10, 10],
                  [20, 10],
                  [20, 20],
                  [10, 20],
                  [10, 10],
                ],
              ],
            },
            properties: { kind: 'building', height: 25.5 },
          },
          // collapses to nothing after rounding: dropped
          {
            id: 4,
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [0.2, 0],
                  [0.2, 0.2],
                  [0, 0],
                ],
              ],
            },
            properties: { kind: 'building' },
          },
        ],
      },
    ]);
    const tile = decode(bytes);
    expect(Object.keys(tile.layers).sort()).toEqual(['buildings', 'roads']);
    const r = tile.layers.roads;
    expect(r.feature(0).type).toBe(2);
    expect(r.feature(0).loadGeometry()).toEqual([
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 20, y: 30 },
      ],
    ]);
    expect(r.feature(0).properties).toEqual({ kind: 'path', kind_detail: 'steps', is_bridge: true });
    // the zero-length part is dropped
    expect(r.feature(1).loadGeometry().length).toBe(2);
    const b = tile.layers.buildings;
    expect(b.length).toBe(1);
    const rings = b.feature(0).loadGeometry();
    expect(rings.length).toBe(2);
    // MVT 2.1 §4.3.4.4: exterior positive area (surveyor's formula, tile coordinates), holes negative
    expect(signedArea(rings[0].map((p) => [p.x, p.y]))).toBeGreaterThan(0);
    expect(signedArea(rings[1].map((p) => [p.x, p.y]))).toBeLessThan(0);
    expect(b.feature(0).properties).toEqual({ kind: 'building', height: 25.5 });
    // the decoder's own GeoJSON view agrees: a polygon with one hole
    const gj = b.feature(0).toGeoJSON(0, 0, 0);
    expect(gj.geometry.type).toBe('Polygon');
  });

  it('removes spikes left by snapping to the grid (A-B-A) from rings', () => {
    const ring = [
      [0, 0],
      [10, 0],
      [10, 10],
      [12, 12],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const b = decode(encodeTile([{ name: 'l', features: [{ geometry: { type: 'Polygon', coordinates: [ring] }, properties: {} }] }])).layers
      .l;
    const pts = b
      .feature(0)
      .loadGeometry()[0]
      .map((p) => [p.x, p.y]);
    expect(pts).not.toContainEqual([12, 12]);
    expect(pts.length).toBe(5); // 4 corners + closing point as decoded
  });

  it('gives an empty tile for no features', () => {
    expect(encodeTile([{ name: 'roads', features: [] }]).byteLength).toBe(0);
  });
});
