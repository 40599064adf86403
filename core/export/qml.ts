/**
 * QGIS layer styles (`.qml`), so exported layers open already coloured: facilities by
 * category in the catalogue's colours and marker shapes, gaps in a red fill, districts as
 * outlines labelled with their Chinese names. The same XML goes into a GeoPackage's
 * `layer_styles` table (where QGIS looks for a layer's default style) and next to files
 * in zips as `<basename>.qml` (which QGIS loads as the default style of `<basename>.shp`).
 *
 * The XML is the subset of what QGIS 3.22 itself writes (`QgsMapLayer::saveNamedStyle`)
 * that a renderer, labels and field aliases need; every symbol-layer property is written
 * both as an `<Option>` map (QGIS ≥ 3.16) and as a legacy `<prop>` (older 3.x), and
 * QGIS fills the rest with its defaults.
 *
 * @example
 * const qml = buildQml(facilityStyle(), 'Point', { names: new Map(), aliases: [] });
 */
import { CATEGORIES } from '../catalogue';
import { geometryFamily } from './geometry';
import type { ExportGeometryType, LayerStyle } from './types';

/** `#rrggbb` + opacity → QGIS's `r,g,b,a`. */
export function qgisColour(hex: string, opacity = 1): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16), Math.round(opacity * 255)].join(',');
}

/**
 * Text safe inside an XML 1.0 element or attribute: markup characters escaped, and the
 * control characters XML 1.0 forbids (§2.2) dropped.
 */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips exactly the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
  );
}

/** The style of the facilities layer: one class per catalogue category, its colour and marker shape. */
export function facilityStyle(): LayerStyle {
  return {
    kind: 'categorized',
    field: 'category',
    geometry: 'point',
    sizeMm: 3,
    classes: CATEGORIES.map((c) => ({ value: c.id, label: `${c.name.zh} ${c.name.en}`, colour: c.colour, shape: c.shape })),
  };
}

/** Coverage gaps: a translucent red fill with a dark red outline. */
export const GAP_STYLE: LayerStyle = {
  kind: 'single',
  geometry: 'polygon',
  fill: '#dc2626',
  fillOpacity: 0.45,
  stroke: '#991b1b',
  strokeWidthMm: 0.4,
};

/** Districts: a faint fill and a slate outline, labelled with the Chinese name. */
export const DISTRICT_STYLE: LayerStyle = {
  kind: 'single',
  geometry: 'polygon',
  fill: '#e2e8f0',
  fillOpacity: 0.25,
  stroke: '#334155',
  strokeWidthMm: 0.5,
  labelField: 'name_zh',
};

type Props = Record<string, string>;

function symbolLayer(cls: string, props: Props, indent: string): string {
  const opts = Object.entries(props)
    .map(([k, v]) => `${indent}    <Option name="${k}" type="QString" value="${xmlEscape(v)}"/>`)
    .join('\n');
  const legacy = Object.entries(props)
    .map(([k, v]) => `${indent}  <prop k="${k}" v="${xmlEscape(v)}"/>`)
    .join('\n');
  return `${indent}<layer class="${cls}" enabled="1" locked="0" pass="0">\n${indent}  <Option type="Map">\n${opts}\n${indent}  </Option>\n${legacy}\n${indent}</layer>`;
}

function symbol(
  name: string,
  family: 'point' | 'line' | 'polygon',
  style: { fill: string; fillOpacity: number; stroke: string; strokeWidthMm: number; shape?: string; sizeMm?: number },
): string {
  const ind = '        ';
  let layer: string;
  let type: string;
  if (family === 'point') {
    type = 'marker';
    layer = symbolLayer(
      'SimpleMarker',
      {
        name: style.shape ?? 'circle',
        color: qgisColour(style.fill, style.fillOpacity),
        outline_color: qgisColour(style.stroke),
        outline_style: 'solid',
        outline_width: String(style.strokeWidthMm),
        outline_width_unit: 'MM',
        size: String(style.sizeMm ?? 3),
        size_unit: 'MM',
        scale_method: 'diameter',
      },
      ind,
    );
  } else if (family === 'line') {
    type = 'line';
    layer = symbolLayer(
      'SimpleLine',
      { line_color: qgisColour(style.stroke), line_width: String(style.strokeWidthMm), line_width_unit: 'MM', line_style: 'solid' },
      ind,
    );
  } else {
    type = 'fill';
    layer = symbolLayer(
      'SimpleFill',
      {
        color: qgisColour(style.fill, style.fillOpacity),
        style: 'solid',
        outline_color: qgisColour(style.stroke),
        outline_style: 'solid',
        outline_width: String(style.strokeWidthMm),
        outline_width_unit: 'MM',
      },
      ind,
    );
  }
  return `      <symbol type="${type}" name="${name}" alpha="1" clip_to_extent="1" force_rhr="0">\n${layer}\n      </symbol>`;
}

function labeling(field: string, family: 'point' | 'line' | 'polygon'): string {
  // placement 0 = around point, 1 = over point (centroid of polygons), 2 = line
  const placement = family === 'polygon' ? 1 : family === 'line' ? 2 : 0;
  return `  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="${xmlEscape(field)}" isExpression="0" fontFamily="Microsoft YaHei" fontSize="10" fontSizeUnit="Point" textColor="30,41,59,255" textOpacity="1" namedStyle="Regular" fontWeight="50">
        <families><family name="Microsoft YaHei"/><family name="Noto Sans CJK SC"/><family name="PingFang SC"/><family name="Sans Serif"/></families>
        <text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
      </text-style>
      <placement placement="${placement}" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0" priority="5"/>
      <rendering drawLabels="1" obstacle="1" labelPerPart="0" upsidedownLabels="0" displayAll="0" scaleVisibility="0"/>
    </settings>
  </labeling>`;
}

/** QGIS `layerGeometryType`: 0 point, 1 line, 2 polygon. */
const GEOMETRY_CODE = { point: 0, line: 1, polygon: 2 } as const;

export interface QmlFields {
  /** Field name → name in the file, where they differ (DBF's 10-character names). */
  names: ReadonlyMap<string, string>;
  /** Aliases QGIS shows in the attribute table and forms, by field name (in file order). */
  aliases: readonly { field: string; alias: string }[];
}

/**
 * The `.qml` document for `style` on a layer of geometry type `geometryType`. Field names in
 * the renderer and labels are translated through `fields.names`, so the same style works on
 * a shapefile whose columns were shortened.
 */
export function buildQml(style: LayerStyle, geometryType: ExportGeometryType, fields: QmlFields): string {
  const family = geometryFamily(geometryType);
  const fileName = (f: string) => fields.names.get(f) ?? f;
  let renderer: string;
  let labelField: string | undefined;
  if (style.kind === 'categorized') {
    const cats = style.classes
      .map((c, i) => `      <category symbol="${i}" value="${xmlEscape(c.value)}" label="${xmlEscape(c.label)}" render="true"/>`)
      .join('\n');
    const syms = style.classes
      .map((c, i) =>
        symbol(String(i), family, {
          fill: c.colour,
          fillOpacity: 1,
          stroke: '#ffffff',
          strokeWidthMm: 0.3,
          shape: c.shape,
          sizeMm: style.sizeMm,
        }),
      )
      .join('\n');
    renderer = `  <renderer-v2 type="categorizedSymbol" attr="${xmlEscape(fileName(style.field))}" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
${cats}
    </categories>
    <symbols>
${syms}
    </symbols>
  </renderer-v2>`;
  } else {
    labelField = style.labelField;
    renderer = `  <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
    <symbols>
${symbol('0', family, style)}
    </symbols>
  </renderer-v2>`;
  }
  const aliases = fields.aliases
    .map((a, i) => `    <alias field="${xmlEscape(fileName(a.field))}" index="${i}" name="${xmlEscape(a.alias)}"/>`)
    .join('\n');
  return `<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="${labelField ? 1 : 0}">
${renderer}
${labelField ? `${labeling(fileName(labelField), family)}\n` : ''}  <aliases>
${aliases}
  </aliases>
  <layerGeometryType>${GEOMETRY_CODE[family]}</layerGeometryType>
</qgis>
`;
}
