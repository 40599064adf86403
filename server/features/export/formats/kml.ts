/**
 * KML 2.2, streamed placemark by placemark (core/export/kml.ts). The document's
 * description is the export's metadata as text; styles colour the features as in QGIS.
 */
import { kmlHead, kmlPlacemark, kmlTail } from '../../../../core/export/kml';
import { metadataText } from '../../../../core/export/metadata';
import type { ExportJob } from '../job';
import { TextChunker } from './buffer';

export async function* writeKml(job: ExportJob): AsyncGenerator<Uint8Array> {
  const c = new TextChunker();
  const doc = {
    id: job.layer.id,
    name: `${job.metadata.title.zh} / ${job.metadata.title.en}`,
    description: metadataText(job.metadata),
    fields: job.fields,
    style: job.style,
    geometryType: job.geometryType,
  };
  c.add(kmlHead(doc));
  const titleField = job.layer.titleField;
  for await (const f of job.features) {
    const name = titleField ? f.properties[titleField] : null;
    const chunk = c.add(
      kmlPlacemark(doc, {
        id: f.id,
        name: name === null || name === undefined ? null : String(name),
        geometry: f.geometry,
        properties: f.properties,
      }),
    );
    if (chunk) yield chunk;
  }
  c.add(kmlTail());
  const last = c.flush();
  if (last) yield last;
}
