import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { parse } from '../../http/validate';
import { numberParam } from '../../http/schemas';
import type { DistrictFeature, DistrictProperties } from '../../../core/api';

const DistrictsQuery = z.object({
  /**
   * Simplification tolerance in degrees. The default 0.0005° (≈ 50 m) is half the
   * source's own quantisation (1/1024° ≈ 100 m), so nothing real is lost.
   */
  simplify: numberParam(z.number({ message: 'must be a number' }).min(0, 'must be ≥ 0').max(0.05, 'must be ≤ 0.05')).default(0.0005),
});

/** A district row: the API properties, with the label point as two columns, and the geometry. */
interface DistrictRow extends Omit<DistrictProperties, 'label_point'> {
  label_lng: number;
  label_lat: number;
  geometry: DistrictFeature['geometry'];
}

export function districtRoutes(api: Router, ctx: AppContext): void {
  api.get('/districts', async (req, res) => {
    const q = parse(DistrictsQuery, req.query);
    // 38 rows: the whole table is the bounded result.
    const r = await ctx.db.query<DistrictRow>(
      `SELECT code, name_zh, name_en, central_urban, population, children_0_14, area_km2,
              ST_X(label_point) AS label_lng, ST_Y(label_point) AS label_lat,
              ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(geom, $1)), 6)::json AS geometry
         FROM districts ORDER BY code`,
      [q.simplify],
    );
    const features: DistrictFeature[] = r.rows.map(({ label_lng, label_lat, geometry, ...p }) => ({
      type: 'Feature',
      id: p.code,
      geometry,
      properties: { ...p, label_point: [label_lng, label_lat] },
    }));
    res.set('Cache-Control', 'public, max-age=300').json({ type: 'FeatureCollection', features });
  });
}
