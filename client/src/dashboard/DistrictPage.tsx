/**
 * One district: what is missing ("needs 1,240 more nursery places", "3 large venues
 * without a mother-and-baby room", with "show on map" links), which indicators lack data
 * and why, and every indicator with its target, clause and trend over the snapshots.
 */
import type {
  DistrictIndicatorsView,
  IndicatorDefinitionView,
  IndicatorResultView,
  ShortfallItem,
  SnapshotPoint,
} from '../../../core/indicators';
import { StatusBadge } from './Status';
import { Sparkline } from './Sparkline';
import { formatCount, formatValue } from './format';
import { downloadUrl } from './api';
import type { Lang, T } from './i18n';

export type TrendState = { state: 'loading' } | { state: 'error' } | { state: 'ok'; snapshots: SnapshotPoint[] };

/** Facility ids to show, or a district code to frame. */
export type ShowOnMap = (target: number[] | string) => void;

export interface DistrictPageProps {
  lang: Lang;
  t: T;
  district: DistrictIndicatorsView;
  definitions: readonly IndicatorDefinitionView[];
  trend: TrendState;
  onBack(): void;
  onShowOnMap?: ShowOnMap;
  /** Venues are not facilities: when given, their links call this; otherwise they frame the district. */
  onShowVenues?(venues: ShortfallItem[]): void;
}

const MAX_ITEMS = 8;

function ItemList({ items, lang, t }: { items: ShortfallItem[]; lang: Lang; t: T }) {
  const first = items.slice(0, MAX_ITEMS);
  const rest = items.slice(MAX_ITEMS);
  return (
    <>
      <ul className="ind-items">
        {first.map((it) => (
          <li key={`${it.kind}-${it.id}`}>{it.name[lang]}</li>
        ))}
      </ul>
      {rest.length > 0 && (
        <details className="ind-more">
          <summary>{t('andMore', { n: rest.length })}</summary>
          <ul className="ind-items">
            {rest.map((it) => (
              <li key={`${it.kind}-${it.id}`}>{it.name[lang]}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function showTarget(
  r: IndicatorResultView,
  districtCode: string,
  p: Pick<DistrictPageProps, 'onShowOnMap' | 'onShowVenues'>,
): (() => void) | null {
  if (!p.onShowOnMap) return null;
  const items = r.shortfall?.items ?? [];
  const facilityIds = items.filter((i) => i.kind === 'facility').map((i) => Number(i.id));
  const venues = items.filter((i) => i.kind === 'venue');
  if (venues.length && p.onShowVenues) {
    const show = p.onShowVenues;
    return () => show(venues);
  }
  if (facilityIds.length && !venues.length) return () => p.onShowOnMap!(facilityIds);
  return () => p.onShowOnMap!(districtCode);
}

export function DistrictPage(p: DistrictPageProps) {
  const { lang, t, district: d } = p;
  const name = lang === 'zh' ? d.name_zh : d.name_en;
  const defs = new Map(p.definitions.map((x) => [x.id, x]));
  const missing = d.indicators.filter((r) => r.status === 'not_met' && r.shortfall);
  const noData = d.indicators.filter((r) => r.status === 'no_data');
  const headingId = `ind-district-${d.code}`;

  return (
    <section className="ind-district" aria-labelledby={headingId}>
      <div className="ind-district__bar">
        <button type="button" className="ind-button" onClick={p.onBack}>
          <span aria-hidden="true">← </span>
          {t('back')}
        </button>
        <span className="ind-downloads">
          <a className="ind-button" href={downloadUrl('csv', lang, d.code)} download>
            {t('downloadCsv')}
          </a>
          <a className="ind-button" href={downloadUrl('xlsx', lang, d.code)} download>
            {t('downloadXlsx')}
          </a>
        </span>
      </div>
      <h2 id={headingId} tabIndex={-1} className="ind-district__title">
        {t('districtHeading', { name })}
      </h2>
      {d.population !== null && <p className="ind-muted">{t('population', { n: formatCount(d.population, lang) })}</p>}
      {p.onShowOnMap && (
        <p>
          <button type="button" className="ind-button" onClick={() => p.onShowOnMap!(d.code)}>
            {t('showDistrictOnMap', { name })}
          </button>
        </p>
      )}

      <h3>{t('missingHeading')}</h3>
      {missing.length === 0 ? (
        <p>{t('missingNone')}</p>
      ) : (
        <ul className="ind-missing">
          {missing.map((r) => {
            const show = showTarget(r, d.code, p);
            return (
              <li key={r.id} className="ind-missing__item">
                <StatusBadge result={r} lang={lang} />
                <span className="ind-missing__text">
                  <strong>{r.shortfall!.text[lang]}</strong>
                  <span className="ind-muted">
                    {' — '}
                    {t('missingDetail', {
                      name: r.name[lang],
                      value: formatValue(r.value, lang),
                      target: formatValue(r.target, lang),
                      unit: r.unit[lang],
                      clause: r.clause,
                    })}
                  </span>
                </span>
                {show && (
                  <button
                    type="button"
                    className="ind-button ind-button--small"
                    onClick={show}
                    aria-label={t('showOnMapFor', { what: r.shortfall!.text[lang] })}
                  >
                    {t('showOnMap')}
                  </button>
                )}
                {r.shortfall!.items && r.shortfall!.items.length > 0 && <ItemList items={r.shortfall!.items} lang={lang} t={t} />}
              </li>
            );
          })}
        </ul>
      )}

      {noData.length > 0 && (
        <>
          <h3>{t('noDataHeading')}</h3>
          <ul className="ind-nodata">
            {noData.map((r) => (
              <li key={r.id}>{r.note ? t('nameAndNote', { name: r.name[lang], note: r.note[lang] }) : r.name[lang]}</li>
            ))}
          </ul>
        </>
      )}

      <h3>{t('detailsHeading')}</h3>
      <div className="ind-scroll" role="region" aria-labelledby={`${headingId}-caption`} tabIndex={0}>
        <table className="ind-table ind-table--details">
          <caption id={`${headingId}-caption`}>{t('detailsCaption', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('columnIndicator')}</th>
              <th scope="col">{t('columnValue')}</th>
              <th scope="col">{t('columnTarget')}</th>
              <th scope="col">{t('columnStatus')}</th>
              <th scope="col">{t('columnShortfall')}</th>
              <th scope="col">{t('columnClause')}</th>
              <th scope="col">{t('columnTrend')}</th>
            </tr>
          </thead>
          <tbody>
            {d.indicators.map((r) => {
              const def = defs.get(r.id);
              return (
                <tr key={r.id}>
                  <th scope="row" className="ind-rowhead ind-rowhead--wide">
                    {r.name[lang]}
                    {def && (
                      <details className="ind-formula">
                        <summary>{t('howComputed')}</summary>
                        <p>{t('formula', { formula: def.formula[lang] })}</p>
                        <p>{t('dataNeeded', { data: def.dataNeeded[lang] })}</p>
                      </details>
                    )}
                  </th>
                  <td className="ind-num">
                    {formatValue(r.value, lang)} {r.value !== null && <span className="ind-muted">{r.unit[lang]}</span>}
                  </td>
                  <td className="ind-num">{formatValue(r.target, lang)}</td>
                  <td>
                    <StatusBadge result={r} lang={lang} />
                    {r.note && <div className="ind-muted ind-note">{r.note[lang]}</div>}
                  </td>
                  <td>{r.shortfall ? r.shortfall.text[lang] : '—'}</td>
                  <td>{r.clause}</td>
                  <td>
                    {p.trend.state === 'loading' ? (
                      <span className="ind-muted">{t('trendLoading')}</span>
                    ) : p.trend.state === 'error' ? (
                      <span className="ind-muted">{t('trendError')}</span>
                    ) : (
                      <Sparkline snapshots={p.trend.snapshots} id={r.id} target={r.target} lang={lang} t={t} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
