/**
 * KML 2.2 (OGC 07-147r2) written piece by piece, so a layer streams out feature by
 * feature: {@link kmlHead} (document, styles, schema), one {@link kmlPlacemark} per
 * feature, {@link kmlTail}.
 *
 * Attributes travel as typed `<SchemaData>` (§9.4, read by GDAL's LIBKML driver, Google
 * Earth and QGIS), with each field's Chinese and English title as its `displayName`.
 * Styles follow the layer's style: one `<Style>` per category (icon colour), or one
 * polygon/line style. No icon images are referenced, so nothing is fetched from the web.
 *
 * KML coordinates are longitude,latitude by definition (§6.2, WGS84); the export refuses
 * projected CRSs for KML, and writes GCJ-02/BD-09 offsets only with a note saying so.
 *
 * @example
 * kmlHead({ id: 'facilities', name: '设施', description: '…', fields, style: facilityStyle(), geometryType: 'Point' });
 */
import type { Geometry, Position } from 'geojson';
import { geometryFamily } from './geometry';
import { xmlEscape } from './qml';
import type { ExportField, ExportGeometryType, FieldValue, LayerStyle } from './types';

/** `#rrggbb` + opacity → KML's `aabbggrr`. */
export function kmlColour(hex: string, opacity = 1): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const a = Math.round(opacity * 255)
    .toString(16)
    .padStart(2, '0');
  return `${a}${m[3]}${m[2]}${m[1]}`.toLowerCase();
}

const KML_TYPE: Record<ExportField['type'], string> = {
  string: 'string',
  integer: 'int',
  real: 'double',
  boolean: 'bool',
  date: 'string',
  datetime: 'string',
};

export interface KmlDocument {
  /** Layer id: the schema and the style ids derive from it. */
  id: string;
  name: string;
  description: string;
  fields: readonly ExportField[];
  style: LayerStyle | null;
  geometryType: ExportGeometryType;
}

function styleXml(
  id: string,
  family: 'point' | 'line' | 'polygon',
  fill: string,
  fillOpacity: number,
  stroke: string,
  widthMm: number,
): string {
  const widthPx = Math.max(1, Math.round(widthMm * 3.78 * 10) / 10); // 1 mm ≈ 3.78 px at 96 dpi
  if (family === 'point') {
    return `<Style id="${id}"><IconStyle><color>${kmlColour(fill, fillOpacity)}</color><scale>0.9</scale></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>`;
  }
  const line = `<LineStyle><color>${kmlColour(stroke)}</color><width>${widthPx}</width></LineStyle>`;
  return family === 'line'
    ? `<Style id="${id}">${line}</Style>`
    : `<Style id="${id}">${line}<PolyStyle><color>${kmlColour(fill, fillOpacity)}</color></PolyStyle></Style>`;
}

/** The style id a feature uses, given its properties. */
export function kmlStyleId(doc: Pick<KmlDocument, 'id' | 'style'>, props: Readonly<Record<string, FieldValue>>): string | null {
  const s = doc.style;
  if (!s) return null;
  if (s.kind === 'single') return `${doc.id}_style`;
  const i = s.classes.findIndex((c) => c.value === props[s.field]);
  return i < 0 ? null : `${doc.id}_c${i}`;
}

/** XML declaration, `<Document>` with name and description, styles and the attribute schema. */
export function kmlHead(doc: KmlDocument): string {
  const family = geometryFamily(doc.geometryType);
  const styles: string[] = [];
  if (doc.style?.kind === 'categorized') {
    for (const [i, c] of doc.style.classes.entries()) styles.push(styleXml(`${doc.id}_c${i}`, family, c.colour, 1, '#ffffff', 0.3));
  } else if (doc.style) {
    const s = doc.style;
    styles.push(styleXml(`${doc.id}_style`, family, s.fill, s.fillOpacity, s.stroke, s.strokeWidthMm));
  }
  const fields = doc.fields
    .map(
      (f) =>
        `<SimpleField name="${f.name}" type="${KML_TYPE[f.type]}"><displayName>${xmlEscape(`${f.zh} ${f.en}`)}</displayName></SimpleField>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document id="${doc.id}">
<name>${xmlEscape(doc.name)}</name>
<description>${xmlEscape(doc.description)}</description>
${styles.join('\n')}
<Schema name="${doc.id}" id="${doc.id}_schema">
${fields}
</Schema>
<Folder><name>${xmlEscape(doc.name)}</name>
`;
}

const coords = (ps: readonly Position[]): string => ps.map((p) => `${p[0]},${p[1]}`).join(' ');

function polygonXml(rings: readonly Position[][]): string {
  const [outer, ...holes] = rings;
  return (
    `<Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(outer ?? [])}</coordinates></LinearRing></outerBoundaryIs>` +
    holes.map((h) => `<innerBoundaryIs><LinearRing><coordinates>${coords(h)}</coordinates></LinearRing></innerBoundaryIs>`).join('') +
    '</Polygon>'
  );
}

/** A geometry as KML (`coordinates` are `x,y` as given). */
export function kmlGeometry(g: Geometry): string {
  switch (g.type) {
    case 'Point':
      return `<Point><coordinates>${g.coordinates[0]},${g.coordinates[1]}</coordinates></Point>`;
    case 'LineString':
      return `<LineString><coordinates>${coords(g.coordinates)}</coordinates></LineString>`;
    case 'Polygon':
      return polygonXml(g.coordinates);
    case 'MultiPoint':
      return `<MultiGeometry>${g.coordinates.map((p) => kmlGeometry({ type: 'Point', coordinates: p })).join('')}</MultiGeometry>`;
    case 'MultiLineString':
      return `<MultiGeometry>${g.coordinates.map((l) => kmlGeometry({ type: 'LineString', coordinates: l })).join('')}</MultiGeometry>`;
    case 'MultiPolygon':
      return `<MultiGeometry>${g.coordinates.map(polygonXml).join('')}</MultiGeometry>`;
    case 'GeometryCollection':
      return `<MultiGeometry>${g.geometries.map(kmlGeometry).join('')}</MultiGeometry>`;
  }
}

/** One `<Placemark>`: its name, style, typed attributes (nulls left out) and geometry. */
export function kmlPlacemark(
  doc: Pick<KmlDocument, 'id' | 'style' | 'fields'>,
  f: { id: number | string; name: string | null; geometry: Geometry | null; properties: Readonly<Record<string, FieldValue>> },
): string {
  const styleId = kmlStyleId(doc, f.properties);
  const data = doc.fields
    .map((fd) => {
      const v = f.properties[fd.name];
      if (v === null || v === undefined) return '';
      return `<SimpleData name="${fd.name}">${xmlEscape(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}</SimpleData>`;
    })
    .join('');
  return (
    `<Placemark id="${xmlEscape(`${doc.id}.${f.id}`)}">` +
    (f.name ? `<name>${xmlEscape(f.name)}</name>` : '') +
    (styleId ? `<styleUrl>#${styleId}</styleUrl>` : '') +
    `<ExtendedData><SchemaData schemaUrl="#${doc.id}_schema">${data}</SchemaData></ExtendedData>` +
    (f.geometry ? kmlGeometry(f.geometry) : '') +
    '</Placemark>\n'
  );
}

export function kmlTail(): string {
  return '</Folder>\n</Document>\n</kml>\n';
}
