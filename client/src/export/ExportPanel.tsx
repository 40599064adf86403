/**
 * "导出 / Export": choose a layer (the server's list from `GET /api/export`, else the
 * known ones), a format and a CRS, each with a one-line explanation; the file is fetched,
 * and on success offered as an `<a download>` of an object URL with the server's file
 * name; on a 400 the server's message (which names the bad combination) is shown.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CATEGORY_IDS } from '../../../core/catalogue';
import { categoryName } from '../i18n';
import { useAtlas } from '../store';
import { getFile, getJson } from '../http';
import { api } from '../api';
import type { DistrictProperties } from '../../../core/api';
import { useToolT, type ToolKey } from '../editor/i18n';
import '../editor/tools.css';
import { ToolPanelHead } from '../editor/ToolPanelHead';

const FORMATS = ['geojson', 'gpkg', 'shp', 'kml', 'fgb', 'csv', 'xlsx'] as const;
const CRSS = ['wgs84', 'cgcs2000', 'webmercator', 'gcj02', 'bd09'] as const;
const KNOWN_LAYERS: Record<string, ToolKey> = { facilities: 'layerFacilities', districts: 'layerDistricts', feedback: 'layerFeedback' };

interface LayerInfo {
  id: string;
  name?: { zh: string; en: string };
}

/** The file name from `Content-Disposition` (RFC 6266 `filename*` first). */
export function fileNameOf(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

export default function ExportPanel({ onClose }: { onClose: () => void }) {
  const { t, lang } = useToolT();
  const categories = useAtlas((s) => s.categories);
  const [layers, setLayers] = useState<LayerInfo[]>(Object.keys(KNOWN_LAYERS).map((id) => ({ id })));
  const [layer, setLayer] = useState('facilities');
  const [format, setFormat] = useState<(typeof FORMATS)[number]>('geojson');
  const [crs, setCrs] = useState<(typeof CRSS)[number]>('wgs84');
  const [district, setDistrict] = useState('');
  const [districts, setDistricts] = useState<DistrictProperties[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<{ url: string; name: string; bytes: number } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => headingRef.current?.focus(), []);
  // The outcome is under the form: keep it in sight in a scrolled panel.
  useEffect(() => {
    if (error || file) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [error, file]);
  // Districts are chosen by name; the code goes to the server.
  useEffect(() => {
    const ac = new AbortController();
    api
      .districts(ac.signal)
      .then((fc) => setDistricts(fc.features.map((f) => f.properties)))
      .catch(() => undefined);
    return () => ac.abort();
  }, []);
  useEffect(() => {
    const ac = new AbortController();
    getJson<{ layers: LayerInfo[] }>('/api/export', {}, ac.signal)
      .then((r) => r.layers.length && setLayers(r.layers))
      .catch(() => undefined);
    return () => ac.abort();
  }, []);
  // An old object URL is released when a new one replaces it or the panel closes.
  useEffect(
    () => () => {
      if (file) URL.revokeObjectURL(file.url);
    },
    [file],
  );

  const query = useMemo(() => {
    const q = new URLSearchParams({ format, crs });
    if (layer === 'facilities' && categories.length < CATEGORY_IDS.length) q.set('category', categories.join(','));
    if (district && layer !== 'feedback') q.set('district', district);
    return q;
  }, [format, crs, layer, categories, district]);

  async function build() {
    setBusy(true);
    setError(null);
    setFile(null);
    try {
      const res = await getFile(`/api/export/${encodeURIComponent(layer)}?${query}`);
      const blob = await res.blob();
      const name = fileNameOf(res.headers.get('Content-Disposition'), `${layer}.${format}`);
      setFile({ url: URL.createObjectURL(blob), name, bytes: blob.size });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const layerName = (l: LayerInfo) => (KNOWN_LAYERS[l.id] ? t(KNOWN_LAYERS[l.id]) : (l.name?.[lang] ?? l.id));

  return (
    <section className="tool-panel" role="dialog" aria-labelledby="export-heading" data-map-overlay data-tool="export">
      <ToolPanelHead id="export-heading" title={t('exportTitle')} closeLabel={t('close')} onClose={onClose} headingRef={headingRef} />
      <form
        className="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          void build();
        }}
      >
        <div className="tool-field">
          <label htmlFor="ex-layer">{t('layer')}</label>
          <select id="ex-layer" value={layer} onChange={(e) => setLayer(e.target.value)}>
            {layers.map((l) => (
              <option key={l.id} value={l.id}>
                {layerName(l)}
              </option>
            ))}
          </select>
          {layer === 'facilities' && (
            <p className="tool-muted">
              {t('categoriesNow', { list: categories.map((c) => categoryName(c, lang)).join(lang === 'zh' ? '、' : ', ') || '—' })}
            </p>
          )}
        </div>
        {layer !== 'feedback' && (
          <div className="tool-field">
            <label htmlFor="ex-district">{t('onlyDistrict')}</label>
            <select id="ex-district" value={district} onChange={(e) => setDistrict(e.target.value)}>
              <option value="">{t('allDistricts')}</option>
              {districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {lang === 'zh' ? d.name_zh : d.name_en}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset className="tool-choices">
          <legend>{t('format')}</legend>
          {FORMATS.map((f) => (
            <label key={f}>
              <input type="radio" name="ex-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              <span>{t(`fmt_${f}` as ToolKey)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="tool-choices">
          <legend>{t('crs')}</legend>
          {CRSS.map((c) => (
            <label key={c}>
              <input type="radio" name="ex-crs" value={c} checked={crs === c} onChange={() => setCrs(c)} />
              <span>{t(`crs_${c}` as ToolKey)}</span>
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('exporting') : t('exportBuild')}
          </button>
        </div>
      </form>
      <div ref={resultRef}>
        {error && (
          <p className="tool-error" role="alert">
            {error}
          </p>
        )}
        {file && (
          <p className="tool-ok" role="status">
            {t('exportReady')}{' '}
            <a href={file.url} download={file.name} className="export-link">
              {t('download', { name: file.name })}
            </a>{' '}
            <span className="tool-muted">({Math.max(1, Math.round(file.bytes / 1024))} kB)</span>
          </p>
        )}
      </div>
    </section>
  );
}
