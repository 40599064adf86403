/**
 * GeoJSON, streamed feature by feature. In WGS84 it is RFC 7946 GeoJSON. In other CRSs it
 * carries the 2008 `crs` member (`urn:ogc:def:crs:EPSG::4490`, `…::3857`), which GDAL,
 * QGIS and ArcGIS still read; GCJ-02/BD-09 have no code to name, so the file has no `crs`
 * member and the `metadata` member says which offset it is in. `metadata` (a foreign
 * member, RFC 7946 §6.1) comes first; `feature_count` follows the features. Polygon rings
 * follow the right-hand rule (§3.1.6: exteriors counter-clockwise, holes clockwise).
 */
import { rightHandRule } from '../../../../core/export/geometry';
import type { ExportJob } from '../job';
import { TextChunker } from './buffer';

export async function* writeGeoJson(job: ExportJob): AsyncGenerator<Uint8Array> {
  const c = new TextChunker();
  const crs =
    job.crs.id !== 'wgs84' && job.crs.epsg ? `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${job.crs.epsg}"}},` : '';
  const { feature_count: _count, ...meta } = job.metadata;
  c.add(`{"type":"FeatureCollection","name":${JSON.stringify(job.layer.id)},${crs}"metadata":${JSON.stringify(meta)},"features":[\n`);
  let first = true;
  for await (const f of job.features) {
    const chunk = c.add(
      (first ? '' : ',\n') +
        JSON.stringify({ type: 'Feature', id: f.id, properties: f.properties, geometry: f.geometry && rightHandRule(f.geometry) }),
    );
    first = false;
    if (chunk) yield chunk;
  }
  c.add(`\n],"feature_count":${job.metadata.feature_count ?? 0}}\n`);
  const last = c.flush();
  if (last) yield last;
}
