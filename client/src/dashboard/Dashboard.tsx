/**
 * The indicator dashboard (issue #5): the plan's targets district by district. An
 * overview (how many districts meet each target, the city total), the districts ×
 * indicators table (sortable), a page per district with what is missing and the trend
 * over saved snapshots, and CSV/XLSX downloads.
 *
 * Self-contained and lazily loadable: it fetches its own data, keeps its own state, and
 * imports nothing of the map. The host wires it in:
 *
 * @example
 * const Dashboard = lazy(() => import('./dashboard'));
 * <Dashboard lang="zh" onShowOnMap={(target) => (typeof target === 'string' ? flyToDistrict(target) : showFacilities(target))} />
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IndicatorsResponse, ShortfallItem } from '../../../core/indicators';
import { indicatorApi, downloadUrl } from './api';
import { IndicatorTable } from './IndicatorTable';
import { DistrictPage, type TrendState } from './DistrictPage';
import { StatusBadge } from './Status';
import {
  COVERAGE_POLL_MS,
  coveragePending,
  formatValue,
  indicatorsWithData,
  isComputing,
  sortDistricts,
  summarise,
  type SortDir,
  type SortKey,
} from './format';
import { translator, type Lang } from './i18n';
import './dashboard.css';

export interface DashboardProps {
  lang: Lang;
  /** Show facilities (ids) or frame a district (code) on the map. Without it, no map links are shown. */
  onShowOnMap?(target: number[] | string): void;
  /** Large venues are not facilities: show them (they carry a name and [lng, lat]). Falls back to framing the district. */
  onShowVenues?(venues: ShortfallItem[]): void;
  /** Open on this district's page. */
  initialDistrict?: string;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: IndicatorsResponse };

function focusSoon(selector: string) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
}

export function Dashboard({ lang, onShowOnMap, onShowVenues, initialDistrict }: DashboardProps) {
  const t = useMemo(() => translator(lang), [lang]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<string | null>(initialDistrict ?? null);
  const [sortKey, setSortKey] = useState<SortKey>('code');
  const [sortDir, setSortDir] = useState<SortDir>('ascending');
  const [onlyWithData, setOnlyWithData] = useState(false);
  const [trend, setTrend] = useState<TrendState>({ state: 'loading' });
  const lastOpened = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the retry trigger (the Retry button bumps it)
  useEffect(() => {
    const ac = new AbortController();
    setLoad({ state: 'loading' });
    indicatorApi.indicators(ac.signal).then(
      (data) => setLoad({ state: 'ok', data }),
      (e: unknown) => {
        if (!ac.signal.aborted) setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => ac.abort();
  }, [attempt]);

  // while walking coverage computes in the background, ask again (quietly: the table stays)
  const pending = load.state === 'ok' && coveragePending([...load.data.districts, ...(load.data.city ? [load.data.city] : [])]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load is the trigger: each answer still pending schedules the next ask
  useEffect(() => {
    if (!pending) return;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      indicatorApi.indicators(ac.signal).then(
        (data) => setLoad({ state: 'ok', data }),
        () => undefined,
      );
    }, COVERAGE_POLL_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [pending, load]);

  useEffect(() => {
    if (!selected) return;
    const ac = new AbortController();
    setTrend({ state: 'loading' });
    indicatorApi.snapshots(selected, ac.signal).then(
      (r) => setTrend({ state: 'ok', snapshots: r.snapshots }),
      () => {
        if (!ac.signal.aborted) setTrend({ state: 'error' });
      },
    );
    return () => ac.abort();
  }, [selected]);

  const onSort = useCallback(
    (key: SortKey) => {
      if (key === sortKey) setSortDir((d) => (d === 'ascending' ? 'descending' : 'ascending'));
      else {
        setSortKey(key);
        setSortDir(key === 'district' ? 'ascending' : 'descending');
      }
    },
    [sortKey],
  );

  const openDistrict = useCallback((code: string) => {
    lastOpened.current = code;
    setSelected(code);
    focusSoon(`#ind-district-${code}`);
  }, []);

  const back = useCallback(() => {
    setSelected(null);
    if (lastOpened.current) focusSoon(`[data-district="${lastOpened.current}"]`);
  }, []);

  if (load.state === 'loading') {
    return (
      <div className="ind-dashboard" aria-busy="true">
        <p role="status">{t('loading')}</p>
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <div className="ind-dashboard">
        <p role="alert">{t('loadError', { message: load.message })}</p>
        <button type="button" className="ind-button" onClick={() => setAttempt((n) => n + 1)}>
          {t('retry')}
        </button>
      </div>
    );
  }

  const { data } = load;
  const allIds = data.definitions.map((d) => d.id);
  const rows = [...data.districts, ...(data.city ? [data.city] : [])];
  const withData = indicatorsWithData(rows, allIds);
  // no value yet because walking coverage is still computing: said as such, not as "no data"
  const computing = allIds.filter((id) => !withData.includes(id) && rows.some((d) => isComputing(d.indicators.find((r) => r.id === id))));
  const withoutData = allIds.filter((id) => !withData.includes(id) && !computing.includes(id));
  const names = (ids: string[]) => ids.map((id) => data.definitions.find((d) => d.id === id)!.name[lang]).join(lang === 'zh' ? '、' : '; ');
  const visibleIds = onlyWithData ? withData : allIds;
  const definitions = data.definitions.filter((d) => visibleIds.includes(d.id));
  const district = selected ? data.districts.find((d) => d.code === selected) : undefined;
  const computedAt = new Date(data.computed_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });

  return (
    <div className="ind-dashboard" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header className="ind-header">
        <h1 className="ind-title">{t('title')}</h1>
        <p className="ind-muted">{t('subtitle')}</p>
        <p className="ind-sample">{t('sampleData')}</p>
        <p className="ind-muted">{t('computedAt', { time: computedAt })}</p>
      </header>

      {district ? (
        <DistrictPage
          lang={lang}
          t={t}
          district={district}
          definitions={data.definitions}
          trend={trend}
          onBack={back}
          onShowOnMap={onShowOnMap}
          onShowVenues={onShowVenues}
        />
      ) : (
        <>
          <section aria-labelledby="ind-summary-heading" className="ind-summary">
            <h2 id="ind-summary-heading">{t('summaryHeading')}</h2>
            <ul className="ind-cards">
              {summarise(data.districts, withData).map((s) => {
                const def = data.definitions.find((d) => d.id === s.id)!;
                const city = data.city?.indicators.find((r) => r.id === s.id);
                return (
                  <li key={s.id} className="ind-card">
                    <span className="ind-card__name">{def.name[lang]}</span>
                    {city && <StatusBadge result={city} lang={lang} />}
                    {s.judged > 0 && <span>{t('summaryMet', { met: s.met, judged: s.judged })}</span>}
                    {city && city.value !== null && (
                      <span className="ind-muted">
                        {t('summaryCity', { value: `${formatValue(city.value, lang)} ${city.unit[lang]}` })}
                        {city.shortfall ? ` · ${city.shortfall.text[lang]}` : ''}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
            {computing.length > 0 && (
              <p className="ind-muted" id="ind-summary-computing">
                {t('summaryComputing', { list: names(computing) })}
              </p>
            )}
            {withoutData.length > 0 && <p className="ind-muted">{t('summaryWithoutData', { list: names(withoutData) })}</p>}
          </section>

          <div className="ind-toolbar">
            <label className="ind-check">
              <input type="checkbox" checked={onlyWithData} onChange={(e) => setOnlyWithData(e.target.checked)} />
              {t('onlyWithData')}
            </label>
            <span className="ind-downloads" role="group" aria-label={t('download')}>
              <a className="ind-button" href={downloadUrl('csv', lang)} download title={t('downloadHint')}>
                {t('downloadCsv')}
              </a>
              <a className="ind-button" href={downloadUrl('xlsx', lang)} download title={t('downloadHint')}>
                {t('downloadXlsx')}
              </a>
            </span>
          </div>

          <IndicatorTable
            lang={lang}
            t={t}
            districts={sortDistricts(data.districts, sortKey, sortDir, lang)}
            city={data.city}
            definitions={definitions}
            sortKey={sortKey}
            sortDir={sortDir}
            onSort={onSort}
            onOpenDistrict={openDistrict}
          />
        </>
      )}
    </div>
  );
}

export default Dashboard;
