/**
 * "前往已导入地区 / Go to an imported area": a small map control listing the areas whose
 * data was imported (the seeded 渝中 OpenStreetMap data, a city's extract …) from
 * `GET /api/extents`; choosing one fits the map to it. Also widens the map's max bounds to
 * the data held, so that an imported city elsewhere can be reached at all. A child of
 * `<AtlasMap>` (it gets the map from AtlasMapContext).
 */
import { useContext, useEffect, useId } from 'react';
import type { LngLatBoundsLike } from 'maplibre-gl';
import { AtlasMapContext } from '../map/AtlasMap';
import { useAtlas } from '../store';
import { useDataExtents } from './store';
import { useExtentT } from './messages';
import './extents.css';

/** The bounds before the extents arrive (Chongqing with a margin), kept inside the new ones. */
export const CHONGQING_MAX_BOUNDS: [number, number, number, number] = [103.5, 27.0, 112.0, 33.5];

/** `b` grown by half its size each way (at least 1°), clamped to the Web Mercator world. */
export function paddedBounds(b: readonly number[]): [number, number, number, number] {
  const w = Math.max(1, (b[2] - b[0]) / 2);
  const h = Math.max(1, (b[3] - b[1]) / 2);
  return [Math.max(-180, b[0] - w), Math.max(-85, b[1] - h), Math.min(180, b[2] + w), Math.min(85, b[3] + h)];
}

export default function GoToArea() {
  const map = useContext(AtlasMapContext);
  const extents = useDataExtents();
  const t = useExtentT();
  const lang = useAtlas((s) => s.lang);
  const id = useId();

  useEffect(() => {
    if (!map || !extents?.dataBounds) return;
    const d = extents.dataBounds;
    const c = CHONGQING_MAX_BOUNDS;
    const bounds = paddedBounds([Math.min(d[0], c[0]), Math.min(d[1], c[1]), Math.max(d[2], c[2]), Math.max(d[3], c[3])]);
    map.setMaxBounds([
      [bounds[0], bounds[1]],
      [bounds[2], bounds[3]],
    ] as LngLatBoundsLike);
  }, [map, extents]);

  const areas = extents?.areas ?? [];
  if (!map || areas.length === 0) return null;
  return (
    <div className="goto-area" data-map-overlay>
      <label htmlFor={id} className="visually-hidden">
        {t('goToLabel')}
      </label>
      <select
        id={id}
        className="text-input goto-area__select"
        value=""
        title={t('goToLabel')}
        onChange={(e) => {
          const a = areas.find((x) => x.id === e.target.value);
          if (!a) return;
          map.fitBounds(
            [
              [a.bbox[0], a.bbox[1]],
              [a.bbox[2], a.bbox[3]],
            ],
            { padding: 20, maxZoom: 16 },
          );
        }}
      >
        <option value="">{t('goToPlaceholder')}</option>
        {areas.map((a) => (
          <option key={a.id} value={a.id}>
            {(lang === 'en' ? a.name_en : a.name_zh) + (a.hasNetwork ? ` · ${t('goToNetwork')}` : '')}
          </option>
        ))}
      </select>
    </div>
  );
}
