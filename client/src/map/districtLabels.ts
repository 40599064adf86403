/**
 * District names on the offline basemap, without a glyph server.
 *
 * MapLibre `symbol` text needs SDF glyphs from a `glyphs` URL, which we cannot download
 * offline. So each district name is an HTML element placed with `maplibregl.Marker` at
 * the district's `label_point`, rendered by the browser with the device's own fonts
 * (CJK included). With 38 districts that is cheap. A greedy pass after each zoom hides
 * labels that would overlap a more important one (central districts first, then by
 * population), the same idea as MapLibre's own symbol collision.
 *
 * Labels are `aria-hidden`: they are a visual aid; the list view and details panel carry
 * the district names for screen readers. `pointer-events: none` keeps the map clickable
 * under them.
 */
import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import type { DistrictFeature } from '../../../core/api';
import type { Lang } from '../i18n';

interface Label {
  props: DistrictFeature['properties'];
  el: HTMLDivElement;
  marker: Marker;
  width: number;
  height: number;
}

/** Pixels kept free around each label. */
const LABEL_PADDING_PX = 6;
/** Below this zoom only the central districts are named; below MIN_ZOOM none. */
const OUTER_MIN_ZOOM = 7.5;
const MIN_ZOOM = 6;

export class DistrictLabels {
  private labels: Label[] = [];
  private lang: Lang;
  private readonly onZoomEnd = () => this.place();

  constructor(
    private readonly map: MapLibreMap,
    lang: Lang,
  ) {
    this.lang = lang;
    map.on('zoomend', this.onZoomEnd);
    map.on('rotateend', this.onZoomEnd);
    map.on('resize', this.onZoomEnd);
  }

  setDistricts(features: readonly DistrictFeature[]): void {
    this.clear();
    // Priority order: central urban districts, then the most populous.
    const sorted = [...features].sort(
      (a, b) => Number(b.properties.central_urban) - Number(a.properties.central_urban) || (b.properties.population ?? 0) - (a.properties.population ?? 0),
    );
    for (const f of sorted) {
      const el = document.createElement('div');
      el.className = f.properties.central_urban ? 'district-label district-label--central' : 'district-label';
      el.setAttribute('aria-hidden', 'true');
      el.textContent = this.text(f.properties);
      const marker = new Marker({ element: el, anchor: 'center' }).setLngLat(f.properties.label_point).addTo(this.map);
      this.labels.push({ props: f.properties, el, marker, width: 0, height: 0 });
    }
    this.measure();
    this.place();
  }

  setLang(lang: Lang): void {
    if (lang === this.lang) return;
    this.lang = lang;
    for (const l of this.labels) l.el.textContent = this.text(l.props);
    this.measure();
    this.place();
  }

  remove(): void {
    this.map.off('zoomend', this.onZoomEnd);
    this.map.off('rotateend', this.onZoomEnd);
    this.map.off('resize', this.onZoomEnd);
    this.clear();
  }

  /** The map label: "渝中区" / "Yuzhong" ("District" is left off the map to save room). */
  private text(p: DistrictFeature['properties']): string {
    return this.lang === 'en' ? p.name_en.replace(/ District$/, '') : p.name_zh;
  }

  private clear(): void {
    for (const l of this.labels) l.marker.remove();
    this.labels = [];
  }

  private measure(): void {
    for (const l of this.labels) {
      l.width = l.el.offsetWidth;
      l.height = l.el.offsetHeight;
    }
  }

  /** Show each label unless the zoom is too low or it overlaps a label already shown. */
  private place(): void {
    const zoom = this.map.getZoom();
    const taken: [number, number, number, number][] = [];
    for (const l of this.labels) {
      let show = zoom >= MIN_ZOOM && (l.props.central_urban || zoom >= OUTER_MIN_ZOOM);
      if (show) {
        const p = this.map.project(l.props.label_point);
        const box: [number, number, number, number] = [
          p.x - l.width / 2 - LABEL_PADDING_PX,
          p.y - l.height / 2 - LABEL_PADDING_PX,
          p.x + l.width / 2 + LABEL_PADDING_PX,
          p.y + l.height / 2 + LABEL_PADDING_PX,
        ];
        show = !taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1]);
        if (show) taken.push(box);
      }
      l.el.classList.toggle('district-label--hidden', !show);
    }
  }
}
