/**
 * The planner's side panel: the question (facility type, distance measure, distance with
 * its norm and citation, districts, cell size), the answer in words (who is not covered,
 * how much straight lines overstate it, places per 1,000 children), a text + colour legend,
 * the district table (a real, sortable <table>), and the what-if controls.
 *
 * Loaded with React.lazy from App: none of this, nor the worker, is in the first load.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { NoNetworkMark, NoNetworkNotice } from '../extents/NoNetworkNotice';
import { useDataExtents, useNetworkInView } from '../extents/store';
import { extentText } from '../extents/messages';
import { CATEGORIES, categoryById } from '../../../core/catalogue';
import { COVERAGE_NORMS } from '../../../core/coverage/norms';
import { useAtlas } from '../store';
import { categoryName } from '../i18n';
import { ageLabel, ageShort, formatCount, formatShare, inSentence, plannerText, type PlannerKey } from './messages';
import { css, PLANNER_COLOURS } from './colours';
import { OFFERED_CELL_SIZES_M } from '../../../core/api/coverage';
import { plannerView, usePlanner, type SortKey, type PlannerView } from './store';
import type { CoverageRow } from '../../../core/api';
import type { PlannerMode } from './types';
import './planner.css';

function useTp() {
  const lang = useAtlas((s) => s.lang);
  return useMemo(() => {
    const tp = (key: PlannerKey, params?: Record<string, string | number>) => plannerText(lang, key, params);
    return { lang, tp };
  }, [lang]);
}

const CIRCLE_KEY: Record<string, PlannerKey> = { '5-minute': 'circle5', '10-minute': 'circle10', '15-minute': 'circle15' };

function Swatch({ fill, line, round }: { fill: string; line?: string; round?: boolean }) {
  return (
    <span
      className={round ? 'planner-swatch planner-swatch--round' : 'planner-swatch'}
      style={{ background: fill, borderColor: line ?? 'rgba(0,0,0,0.35)' }}
      aria-hidden="true"
    />
  );
}

/** The question: what, how measured, how far, where, how fine. */
function QuestionForm() {
  const { lang, tp } = useTp();
  const category = usePlanner((s) => s.category);
  const mode = usePlanner((s) => s.mode);
  const radiusM = usePlanner((s) => s.radiusM);
  const districts = usePlanner((s) => s.districts);
  const cellSizeM = usePlanner((s) => s.cellSizeM);
  const options = usePlanner((s) => s.districtOptions);
  const slopeCompare = usePlanner((s) => s.slopeCompare);
  const { setCategory, setMode, setRadius, toggleDistrict, setCellSize, setSlopeCompare } = usePlanner.getState();
  const norm = COVERAGE_NORMS[category];
  const [radiusText, setRadiusText] = useState(String(radiusM ?? norm.radiusM));
  useEffect(() => setRadiusText(String(radiusM ?? norm.radiusM)), [radiusM, norm.radiusM]);
  const circle = tp(norm.lifeCircle ? CIRCLE_KEY[norm.lifeCircle] : 'circleNone');
  const chosen = new Set(districts);
  // which chosen districts have no walking network: said next to the mode, before computing
  const extents = useDataExtents();
  const withNetwork = new Set(extents?.networkDistricts ?? []);
  const withoutNetwork = extents ? options.filter((d) => chosen.has(d.code) && !withNetwork.has(d.code)) : [];
  const noneHasNetwork = districts.length > 0 && withoutNetwork.length === districts.length;
  // before any district is chosen, the area is the map view (GET /api/network/coverage, as the route button asks)
  const viewHere = useNetworkInView();
  const viewWithout = districts.length === 0 && viewHere === 'no';
  const warnNetwork = viewWithout || withoutNetwork.length > 0;
  const networkWarning = warnNetwork ? extentText(lang, 'noNetworkTitle') : undefined;
  const groups = [
    { key: 'districtsCentral' as const, list: options.filter((d) => d.central_urban) },
    { key: 'districtsOther' as const, list: options.filter((d) => !d.central_urban) },
  ];

  return (
    <form className="planner-form" onSubmit={(e) => e.preventDefault()}>
      <div className="planner-row">
        <div className="planner-field planner-field--grow">
          <label className="field-label" htmlFor="planner-category">
            {tp('categoryLabel')}
          </label>
          <select
            id="planner-category"
            className="text-input"
            value={category}
            onChange={(e) => setCategory(e.target.value as typeof category)}
          >
            {CATEGORIES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="planner-field">
          <label className="field-label" htmlFor="planner-radius">
            {tp('radiusLabel')}
          </label>
          <input
            id="planner-radius"
            className="text-input planner-radius"
            type="number"
            inputMode="numeric"
            min={50}
            max={5000}
            step={50}
            value={radiusText}
            onChange={(e) => {
              setRadiusText(e.target.value);
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isFinite(v) && v >= 50 && v <= 5000) setRadius(v);
            }}
            aria-describedby="planner-norm"
          />
        </div>
        <div className="planner-field">
          <label className="field-label" htmlFor="planner-cell-size">
            {tp('cellSizeLabel')}
          </label>
          <select id="planner-cell-size" className="text-input" value={cellSizeM} onChange={(e) => setCellSize(Number(e.target.value))}>
            {OFFERED_CELL_SIZES_M.map((n) => (
              <option key={n} value={n}>
                {tp('cellSizeOption', { n })}
              </option>
            ))}
          </select>
        </div>
      </div>

      <fieldset className="planner-fieldset">
        <legend className="field-label">{tp('modeLegend')}</legend>
        <div className="planner-modes">
          {(
            [
              ['euclidean', 'modeEuclidean'],
              ['network', 'modeNetwork'],
              ['both', 'modeBoth'],
            ] as [PlannerMode, PlannerKey][]
          ).map(([m, key]) => (
            <label key={m} className="radio" title={m !== 'euclidean' ? networkWarning : undefined} data-mode={m}>
              <input
                type="radio"
                name="planner-mode"
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
                disabled={m === 'network' && noneHasNetwork && mode !== 'network'}
                aria-describedby={m !== 'euclidean' && warnNetwork ? 'no-network-planner' : undefined}
              />
              <span>{tp(key)}</span>
              {m !== 'euclidean' && warnNetwork && <NoNetworkMark />}
            </label>
          ))}
        </div>
        {warnNetwork && (
          <NoNetworkNotice kind="planner" districts={withoutNetwork} withNetwork={options.filter((d) => withNetwork.has(d.code))} />
        )}
        {mode !== 'euclidean' && (
          <label className="checkbox">
            <input type="checkbox" checked={slopeCompare} onChange={(e) => setSlopeCompare(e.target.checked)} />{' '}
            <span>{tp('slopeCompare')}</span>
          </label>
        )}
      </fieldset>

      <div id="planner-norm" className="planner-norm">
        <p>
          {tp(norm.source === 'GB 50180-2018' ? 'normLine' : 'normLineDefault', {
            radius: norm.radiusM,
            circle,
            age: ageLabel(lang, norm.ageGroup),
          })}{' '}
          <span className="muted">{tp(norm.source === 'GB 50180-2018' ? 'normSourceGb' : 'normSourceDefault')}</span>
          {radiusM !== null && (
            <>
              {' '}
              <button type="button" className="button button--small" onClick={() => setRadius(null)}>
                {tp('radiusReset')}
              </button>
            </>
          )}
        </p>
        <details>
          <summary>{tp('normCitation')}</summary>
          <p className="planner-citation" lang="zh-CN">
            {norm.citation}
          </p>
        </details>
      </div>

      <fieldset className="planner-fieldset">
        <legend className="field-label">
          {tp('districtsLegend')} · <span>{districts.length ? tp('districtsChosen', { n: districts.length }) : tp('districtsNone')}</span>
        </legend>
        <div className="planner-districts">
          {groups.map((g) =>
            g.list.length ? (
              <div key={g.key} role="group" aria-label={tp(g.key)}>
                <p className="planner-district-group">{tp(g.key)}</p>
                <ul>
                  {g.list.map((d) => (
                    <li key={d.code}>
                      <label className="category-option">
                        <input type="checkbox" value={d.code} checked={chosen.has(d.code)} onChange={() => toggleDistrict(d.code)} />
                        <span>{lang === 'zh' ? d.name_zh : d.name_en}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null,
          )}
        </div>
      </fieldset>
    </form>
  );
}

function areaName(lang: 'zh' | 'en', rows: CoverageRow[], tp: (k: PlannerKey, p?: Record<string, string | number>) => string): string {
  if (rows.length === 1) return lang === 'zh' ? rows[0].name_zh : rows[0].name_en;
  return tp('areaSeveral', { n: rows.length });
}

/** The answer in sentences: headline, straight-line vs walking, capacity. */
function Findings({ view }: { view: PlannerView }) {
  const { lang, tp } = useTp();
  const summary = usePlanner((s) => s.summary)!;
  const mode = usePlanner((s) => s.mode);
  const norm = summary.norm;
  const age = ageLabel(lang, norm.ageGroup);
  const cat = inSentence(lang, categoryName(summary.category, lang));
  const p = view.rows[view.primary]!;
  const t = p.total;
  const modeWord = tp(view.primary === 'network' ? 'headlineModeNetwork' : 'headlineModeEuclidean');
  const area = areaName(lang, p.districts, tp);
  const headline =
    t.children !== null
      ? tp('headline', {
          area,
          age,
          children: formatCount(lang, t.children),
          uncovered: formatCount(lang, t.uncoveredChildren),
          share: formatShare(lang, t.children ? (t.uncoveredChildren ?? 0) / t.children : null),
          mode: modeWord,
          radius: norm.radiusM,
          category: cat,
        })
      : tp('headlineArea', {
          area,
          share: formatShare(lang, t.shareCoveredArea === null ? null : 1 - t.shareCoveredArea),
          mode: modeWord,
          radius: norm.radiusM,
          category: cat,
        });

  let comparison: string | null = null;
  if (view.secondary) {
    const e = view.rows.euclidean!.total,
      n = view.rows.network!.total;
    if (e.coveredChildren !== null && n.coveredChildren !== null) {
      const diff = e.coveredChildren - n.coveredChildren;
      comparison =
        Math.round(diff) === 0
          ? tp('comparisonSame')
          : tp('comparison', {
              e: formatCount(lang, e.coveredChildren),
              n: formatCount(lang, n.coveredChildren),
              radius: norm.radiusM,
              diff: formatCount(lang, diff),
              points: e.children ? ((100 * diff) / e.children).toFixed(1) : '0',
            });
    } else comparison = tp('comparisonArea', { e: e.coveredAreaKm2.toFixed(2), n: n.coveredAreaKm2.toFixed(2) });
  }
  const cap = summary.capacity;
  return (
    <div className="planner-findings">
      <p className="planner-headline" id="planner-headline">
        {headline}
      </p>
      {mode !== 'euclidean' && !summary.network && <p className="planner-notice">{tp('noNetwork')}</p>}
      {!summary.method.population.available && <p className="planner-notice">{tp('noPopulation')}</p>}
      {comparison && (
        <p className="planner-comparison" id="planner-comparison">
          {comparison}
        </p>
      )}
      {summary.network && summary.slope && (
        <p className="planner-slope" id="planner-slope">
          {summary.slopeComparison && summary.slopeComparison.flat.total.coveredChildren !== null
            ? `${tp('slopeComparison', { flat: formatCount(lang, summary.slopeComparison.flat.total.coveredChildren), slope: formatCount(lang, summary.slopeComparison.slope.total.coveredChildren) })} `
            : ''}
          <span className="muted">{summary.slope.used ? tp('slopeUsed', { source: summary.slope.source ?? '' }) : tp('slopeNone')}</span>
        </p>
      )}
      {cap && (
        <p className="planner-capacity">
          {cap.facilitiesWithCapacity > 0
            ? tp('capacityLine', {
                age,
                radius: norm.radiusM,
                mode: tp(cap.mode === 'network' ? 'headlineModeNetwork' : 'headlineModeEuclidean'),
                value: cap.total.placesPer1000Children === null ? '—' : formatCount(lang, cap.total.placesPer1000Children),
              })
            : tp('capacityNone')}
        </p>
      )}
    </div>
  );
}

function Legend({ view }: { view: PlannerView }) {
  const { tp } = useTp();
  const category = usePlanner((s) => s.category);
  const whatIf = usePlanner((s) => s.whatIf.status);
  const C = PLANNER_COLOURS;
  const items: [ReactNode, PlannerKey][] = [
    [<Swatch key="c" fill={css(C.covered)} />, 'legendCovered'],
    [<Swatch key="u" fill={css(C.uncovered)} />, 'legendUncovered'],
  ];
  if (view.secondary) items.push([<Swatch key="o" fill={css(C.overstated)} />, 'legendOverstated']);
  if (view.primary === 'network') items.push([<Swatch key="n" fill={css(C.noAccess)} />, 'legendNoAccess']);
  items.push([<Swatch key="g" fill={css(C.gapFill)} line={css(C.gapLine)} />, 'legendGap']);
  items.push([<Swatch key="e" round fill={categoryById(category).colour} line="#ffffff" />, 'legendExisting']);
  if (whatIf === 'ready') {
    items.push([<Swatch key="p" round fill={css(C.proposed)} line="#ffffff" />, 'legendProposed']);
    items.push([<Swatch key="r" round fill={css(C.removed)} line={css(C.removedLine)} />, 'legendRemoved']);
    items.push([<Swatch key="s" round fill={css(C.suggested)} line={css(C.suggestedLine)} />, 'legendSuggested']);
  }
  return (
    <section className="planner-legend" aria-labelledby="planner-legend-heading">
      <h3 id="planner-legend-heading" className="planner-subheading">
        {tp('legendHeading')}
      </h3>
      <ul>
        {items.map(([sw, key]) => (
          <li key={key}>
            {sw}
            <span>{tp(key)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface TableRow {
  key: string;
  name: string;
  row: CoverageRow;
  overstated: number | null;
  places: number | null;
}

/** The district table: sortable by any column, uncovered children first by default. */
function DistrictTable({ view }: { view: PlannerView }) {
  const { lang, tp } = useTp();
  const sort = usePlanner((s) => s.sort);
  const summary = usePlanner((s) => s.summary)!;
  const setSort = usePlanner.getState().setSort;
  const age = ageShort(lang, summary.norm.ageGroup);
  const p = view.rows[view.primary]!;
  const e = view.secondary ? view.rows.euclidean : null;
  const cap = summary.capacity;
  const kids = p.total.children !== null;
  const overstatedOf = (i: number | null) => {
    if (!e) return null;
    const er = i === null ? e.total : e.districts[i];
    const nr = i === null ? p.total : p.districts[i];
    return er.coveredChildren === null || nr.coveredChildren === null ? null : er.coveredChildren - nr.coveredChildren;
  };
  const rows: TableRow[] = p.districts.map((row, i) => ({
    key: row.code ?? String(i),
    name: lang === 'zh' ? row.name_zh : row.name_en,
    row,
    overstated: overstatedOf(i),
    places: cap ? (cap.districts[i]?.placesPer1000Children ?? null) : null,
  }));
  const value = (r: TableRow, k: SortKey): number | string | null => {
    switch (k) {
      case 'name':
        return r.name;
      case 'children':
        return r.row.children;
      case 'uncoveredChildren':
        return kids ? r.row.uncoveredChildren : r.row.areaKm2 - r.row.coveredAreaKm2;
      case 'shareCoveredChildren':
        return kids ? r.row.shareCoveredChildren : r.row.shareCoveredArea;
      case 'uncoveredPopulation':
        return r.row.uncoveredPopulation;
      case 'noAccessChildren':
        return r.row.noAccessChildren;
      case 'overstatedChildren':
        return r.overstated;
      case 'places':
        return r.places;
    }
  };
  const sorted = [...rows].sort((a, b) => {
    const x = value(a, sort.key),
      y = value(b, sort.key);
    if (x === y) return a.key < b.key ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'string' ? x.localeCompare(String(y), lang === 'zh' ? 'zh-CN' : 'en') : x - (y as number);
    return sort.dir === 'asc' ? c : -c;
  });
  const columns: {
    key: SortKey;
    label: string;
    show: boolean;
    cell: (r: TableRow | { row: CoverageRow; overstated: number | null; places: number | null }) => string;
  }[] = [
    { key: 'children', label: tp('colChildren', { age }), show: kids, cell: (r) => formatCount(lang, r.row.children) },
    { key: 'uncoveredChildren', label: tp('colUncoveredChildren'), show: kids, cell: (r) => formatCount(lang, r.row.uncoveredChildren) },
    {
      key: 'shareCoveredChildren',
      label: tp('colShare'),
      show: true,
      cell: (r) => formatShare(lang, kids ? r.row.shareCoveredChildren : r.row.shareCoveredArea),
    },
    // only when somebody is cut off from the network
    {
      key: 'noAccessChildren',
      label: tp('colNoAccess'),
      show: view.primary === 'network' && kids && (p.total.noAccessChildren ?? 0) >= 0.5,
      cell: (r) => formatCount(lang, r.row.noAccessChildren),
    },
    { key: 'overstatedChildren', label: tp('colOverstated'), show: e !== null && kids, cell: (r) => formatCount(lang, r.overstated) },
    // one district: its places are already in the capacity sentence above
    {
      key: 'places',
      label: tp('colPlaces'),
      show: cap !== null && rows.length > 1,
      cell: (r) => (r.places === null ? '—' : formatCount(lang, r.places)),
    },
    {
      key: 'uncoveredPopulation',
      label: tp('colUncoveredPeople'),
      show: p.total.population !== null,
      cell: (r) => formatCount(lang, r.row.uncoveredPopulation),
    },
  ];
  const shown = columns.filter((c) => c.show);
  const ariaSort = (k: SortKey) => (sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
  const header = (k: SortKey, label: string) => (
    <th key={k} scope="col" aria-sort={ariaSort(k)}>
      <button type="button" className="planner-sort" onClick={() => setSort(k)}>
        {label}
        <span aria-hidden="true" className="planner-sort__mark">
          {sort.key === k ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
  return (
    <div className="planner-table-wrap" tabIndex={0} role="region" aria-labelledby="planner-table-caption">
      <table className="planner-table" id="planner-table">
        <caption id="planner-table-caption">{tp('tableCaption')}</caption>
        <thead>
          <tr>
            {header('name', tp('colDistrict'))}
            {shown.map((c) => header(c.key, c.label))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              {shown.map((c) => (
                <td key={c.key}>{c.cell(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
        {rows.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">{tp('rowTotal')}</th>
              {shown.map((c) => (
                <td key={c.key}>
                  {c.cell({ row: p.total, overstated: overstatedOf(null), places: cap?.total.placesPer1000Children ?? null })}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function Method() {
  const { tp, lang } = useTp();
  const summary = usePlanner((s) => s.summary)!;
  const m = summary.method;
  return (
    <details className="planner-method">
      <summary>{tp('methodSummary')}</summary>
      <p lang="en">{m.population.text}</p>
      {m.population.details.length > 0 && (
        <ul lang="en">
          {m.population.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      <h4>{tp('methodCoverage')}</h4>
      <p>{m.coverage.euclidean[lang]}</p>
      <p>{m.coverage.network[lang]}</p>
      {summary.capacity && <p>{summary.capacity.method[lang]}</p>}
      <h4>{tp('methodLimitations')}</h4>
      <p>{m.coverage.limitations[lang]}</p>
    </details>
  );
}

/** Add, remove, undo, reset, suggest: the what-if session in the worker. */
function WhatIf({ view }: { view: PlannerView }) {
  const { lang, tp } = useTp();
  const w = usePlanner((s) => s.whatIf);
  const summary = usePlanner((s) => s.summary)!;
  const viewCentre = useAtlas((s) => s.viewCentre);
  const { addAt, removeFacility, undo, reset, suggest, acceptSuggestion, select } = usePlanner.getState();
  const [toRemove, setToRemove] = useState('');
  const cat = inSentence(lang, categoryName(summary.category, lang));
  const age = ageLabel(lang, summary.norm.ageGroup);
  if (w.status === 'off') return null;
  const body = (() => {
    if (w.status === 'loading') return <p className="muted">{tp('whatIfLoading')}</p>;
    if (w.status === 'unavailable' || w.status === 'error')
      return <p className="planner-notice">{tp('whatIfUnavailable', { reason: w.reason ?? '' })}</p>;
    const r = w.result!;
    const f = r.facilities;
    const names = w.facilities!;
    // existing facilities by name; proposed ones numbered in the order they were added
    const nameOf = (i: number) =>
      i < names.count ? (lang === 'en' && names.name_en[i]) || names.name_zh[i] : tp('proposedItem', { n: i - names.count + 1 });
    const proposedIdx: number[] = [];
    for (let i = names.count; i < f.count; i++) if (f.active[i]) proposedIdx.push(i);
    const total = view.rows[view.primary]!.total;
    const now = total.uncoveredChildren;
    const before = w.baselineUncovered;
    const delta = now !== null && before !== null ? now - before : null;
    const existingActive: number[] = [];
    for (let i = 0; i < names.count; i++) if (f.active[i]) existingActive.push(i);
    const removed = [];
    for (let i = 0; i < names.count; i++) if (!f.active[i]) removed.push(i);
    const sel = w.selected;
    return (
      <>
        <p className="muted">{tp('whatIfIntro', { category: cat })}</p>
        <p className="planner-change" id="planner-change" role="status" aria-live="polite">
          {now !== null && before !== null
            ? tp('changeLine', {
                before: formatCount(lang, before),
                after: formatCount(lang, now),
                delta: (delta! > 0 ? '+' : delta! < 0 ? '−' : '±') + formatCount(lang, Math.abs(delta!)),
              })
            : ''}{' '}
          <span className="muted">
            {r.edits ? tp('edits', { n: r.edits }) : tp('editsNone')}
            {r.edits ? ` · ${tp('lastUpdate', { ms: r.ms.toFixed(1) })}` : ''}
          </span>
        </p>
        <div className="button-row">
          <button
            type="button"
            className="button"
            id="planner-add-centre"
            disabled={w.busy}
            onClick={() => void addAt(viewCentre[0], viewCentre[1])}
          >
            {tp('addAtCentre')}
          </button>
          <button type="button" className="button" disabled={w.busy || !r.edits} onClick={() => void undo()}>
            {tp('undo')}
          </button>
          <button type="button" className="button" disabled={w.busy || !r.edits} onClick={() => void reset()}>
            {tp('reset')}
          </button>
        </div>
        {sel !== null && f.active[sel] === 1 && (
          <p className="planner-selected">
            {tp('selectedExisting', { name: nameOf(sel) })}{' '}
            <button type="button" className="button button--small" onClick={() => void removeFacility(sel)}>
              {sel < names.count ? tp('removeExisting') : tp('removeProposed')}
            </button>{' '}
            <button type="button" className="button button--small button--quiet" onClick={() => select(null)}>
              ✕
            </button>
          </p>
        )}
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            id="planner-suggest"
            disabled={w.busy || w.suggestionStatus === 'loading'}
            onClick={() => void suggest()}
          >
            {w.suggestionStatus === 'loading' ? tp('suggesting') : tp('suggest')}
          </button>
        </div>
        {w.suggestionStatus === 'ready' && (
          <p className="planner-suggestion" id="planner-suggestion" role="status">
            {w.suggestion
              ? tp('suggestion', {
                  place: tp(w.suggestionStreet ? 'sitePlaceStreet' : 'sitePlace', {
                    district: (lang === 'zh' ? w.suggestion.name_zh : w.suggestion.name_en) ?? '',
                    street: w.suggestionStreet?.name ?? '',
                    coords: `${w.suggestion.lng.toFixed(4)}, ${w.suggestion.lat.toFixed(4)}`,
                  }),
                  n: formatCount(lang, w.suggestion.addedChildren),
                  age,
                  radius: summary.norm.radiusM,
                  mode: tp(w.suggestion.mode === 'network' ? 'headlineModeNetwork' : 'headlineModeEuclidean'),
                })
              : tp('suggestionNone')}{' '}
            {w.suggestion && w.suggestionStreet === undefined && <span className="muted">{tp('siteStreetLooking')} </span>}
            {w.suggestion && (
              <button type="button" className="button button--small" onClick={() => void acceptSuggestion()}>
                {tp('suggestionAdd')}
              </button>
            )}
          </p>
        )}
        {proposedIdx.length > 0 && (
          <div>
            <h4 className="planner-subheading">{tp('proposedList')}</h4>
            <ul className="planner-proposed">
              {proposedIdx.map((i) => (
                <li key={i}>
                  <span>
                    {nameOf(i)} · {f.lng[i].toFixed(4)}, {f.lat[i].toFixed(4)}
                  </span>
                  <button type="button" className="button button--small" onClick={() => void removeFacility(i)}>
                    {tp('removeProposed')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {existingActive.length > 0 && (
          <div className="planner-remove-row">
            <label className="field-label" htmlFor="planner-remove">
              {tp('removeExistingLabel')}
            </label>
            <div className="search-row">
              <select id="planner-remove" className="text-input" value={toRemove} onChange={(e) => setToRemove(e.target.value)}>
                <option value="">{tp('removeExistingPlaceholder')}</option>
                {existingActive.map((i) => (
                  <option key={i} value={i}>
                    {nameOf(i)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button"
                disabled={toRemove === '' || w.busy}
                onClick={() => {
                  void removeFacility(Number(toRemove));
                  setToRemove('');
                }}
              >
                {tp('removeExisting')}
              </button>
            </div>
          </div>
        )}
        {removed.length > 0 && (
          <ul className="planner-removed">
            {removed.map((i) => (
              <li key={i}>{tp('removedNote', { name: nameOf(i) })}</li>
            ))}
          </ul>
        )}
      </>
    );
  })();
  return (
    <section className="planner-whatif" aria-labelledby="planner-whatif-heading">
      <h3 id="planner-whatif-heading" className="planner-subheading">
        {tp('whatIfHeading')}
      </h3>
      {body}
    </section>
  );
}

export default function PlannerPanel({ onClose }: { onClose?: () => void }) {
  const { tp } = useTp();
  const status = usePlanner((s) => s.status);
  const error = usePlanner((s) => s.error);
  const districts = usePlanner((s) => s.districts);
  const summary = usePlanner((s) => s.summary);
  const gaps = usePlanner((s) => s.gaps);
  const cells = usePlanner((s) => s.cells);
  const whatIf = usePlanner((s) => s.whatIf);
  const mode = usePlanner((s) => s.mode);
  const view = useMemo(() => plannerView({ mode, summary, gaps, cells, whatIf }), [mode, summary, gaps, cells, whatIf]);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void usePlanner.getState().loadDistrictOptions();
    headingRef.current?.focus();
  }, []);

  let statusText = '';
  if (status === 'loading') statusText = tp('computing');
  else if (status === 'error') statusText = tp('errorPrefix') + (error ?? '');
  else if (status === 'ready' && summary) statusText = tp('computed', { ms: Math.round(summary.computedMs) });
  else if (districts.length === 0) statusText = tp('pickDistrict');

  return (
    <section className="sidebar-section planner" aria-labelledby="planner-heading">
      <div className="planner-head">
        <h2 id="planner-heading" className="section-heading" tabIndex={-1} ref={headingRef}>
          {tp('heading')}
        </h2>
        {onClose && (
          <button type="button" className="button button--small" onClick={onClose}>
            {tp('closePlanner')}
          </button>
        )}
      </div>
      <p className="muted planner-intro">{tp('intro')}</p>
      <QuestionForm />
      <p role="status" className="status-line" id="planner-status">
        {statusText}
      </p>
      {view && summary && (
        <div className={status === 'loading' ? 'planner-results planner-results--stale' : 'planner-results'}>
          <Findings view={view} />
          <Legend view={view} />
          <DistrictTable view={view} />
          <WhatIf view={view} />
          <Method />
        </div>
      )}
    </section>
  );
}
