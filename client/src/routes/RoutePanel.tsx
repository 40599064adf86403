/**
 * "上学路线 / Route to school": a parent picks a school (here, or from a school's details)
 * and their home (a click on the map, their location, or the map centre — the keyboard
 * way) and reads the safe walking route as text: length, time at a child's pace, crossings
 * by type, steps, stretches without sidewalk or lighting, and the detour against the
 * shortest route. The map draws it (safe route solid, shortest dashed).
 *
 * Planner view (a switch here): the school's route network — segments by children and
 * safety — and the five most-used unsafe segments, each of which can be shown on the map.
 * Editors can store the route as a recommended route; published ones are listed and drawn.
 */
import { useEffect, useId, useState } from 'react';
import type { FacilityFeature } from '../../../core/api';
import { api } from '../api';
import { isAbort } from '../http';
import { useAtlas } from '../store';
import { isEditor, useTools } from '../editor/tools';
import { facilityName, formatDistance, type Lang } from '../i18n';
import { Panel } from '../components/Panel';
import { PlaceChooser } from '../components/PlaceChooser';
import type { RouteAnswer, SchoolNetworkAnswer } from './api';
import { routesApi } from './api';
import { controlName, gradeText, reasonText, roadClassName, useRouteT, type RouteT } from './messages';
import { closeRoutes, useRoutes, type RouteError, type RouteSchool } from './store';
import { NoNetworkNotice } from '../extents/NoNetworkNotice';
import { useNetworkInView } from '../extents/store';
import './routes.css';

const SCHOOL_CATEGORIES = ['primary_school', 'middle_school'] as const;

function schoolName(s: RouteSchool, lang: Lang): string {
  return lang === 'en' && s.name_en ? s.name_en : s.name_zh;
}

function errorText(e: RouteError, t: RouteT, lang: Lang): string {
  if (e.kind === 'no_route') return t('errorNoRoute', { msg: lang === 'en' ? e.en : e.zh });
  if (e.kind === 'server') return t('errorServer', { code: e.code });
  return t('errorNetwork');
}

/** Primary and middle schools in the current view, for the school picker. */
function useSchoolsInView(enabled: boolean): { status: 'idle' | 'loading' | 'ready' | 'error'; schools: FacilityFeature[] } {
  const bbox = useAtlas((s) => s.viewBbox);
  const [state, setState] = useState<{ status: 'idle' | 'loading' | 'ready' | 'error'; schools: FacilityFeature[] }>({
    status: 'idle',
    schools: [],
  });
  useEffect(() => {
    if (!enabled || !bbox) return;
    const ac = new AbortController();
    setState((s) => ({ ...s, status: 'loading' }));
    api.facilities({ bbox, categories: SCHOOL_CATEGORIES, limit: 200 }, ac.signal).then(
      (fc) => setState({ status: 'ready', schools: fc.features }),
      (e: unknown) => {
        if (!isAbort(e)) setState({ status: 'error', schools: [] });
      },
    );
    return () => ac.abort();
  }, [enabled, bbox]);
  return state;
}

function Facts({ r, t, lang }: { r: RouteAnswer; t: RouteT; lang: Lang }) {
  const f = r.route;
  const c = f.crossings;
  const m = (n: number) => formatDistance(n, lang);
  return (
    <>
      <dl className="details-list route-facts">
        <div className="details-row">
          <dt>{t('length')}</dt>
          <dd>{m(f.lengthM)}</dd>
        </div>
        <div className="details-row">
          <dt>{t('time')}</dt>
          <dd>{t('timeValue', { min: Math.max(1, Math.round(f.walkMinutes)), speed: r.parameters.walkSpeedMps })}</dd>
        </div>
        <div className="details-row">
          <dt>{t('score')}</dt>
          <dd>{t('scoreValue', { n: f.safetyScore })}</dd>
        </div>
        <div className="details-row">
          <dt>{t('crossings')}</dt>
          <dd>
            {c.total === 0
              ? t('crossingsNone')
              : t('crossingsValue', { total: c.total, signals: c.signals, marked: c.marked, unmarked: c.unmarked, unknown: c.unknown })}
            {c.majorRoad > 0 && <div>{t('majorValue', { major: c.majorRoad, unsig: c.majorUnsignalised })}</div>}
          </dd>
        </div>
        <div className="details-row">
          <dt>{t('steps')}</dt>
          <dd>
            {f.steps.flights === 0
              ? t('stepsNone')
              : f.steps.stepCount === null
                ? t('stepsValueUnknown', { flights: f.steps.flights })
                : t('stepsValue', { flights: f.steps.flights, count: f.steps.stepCount })}
          </dd>
        </div>
        <div className="details-row">
          <dt>{t('climb')}</dt>
          <dd>
            {r.climbText ? (lang === 'en' ? r.climbText.en : r.climbText.zh) : t('climbFlat')}
            {r.climbText && r.slope?.source && <div className="note">{t('climbSource', { source: r.slope.source })}</div>}
          </dd>
        </div>
        {f.noSidewalkM > 0 && (
          <div className="details-row">
            <dt>{t('noSidewalk')}</dt>
            <dd>{m(f.noSidewalkM)}</dd>
          </div>
        )}
        {f.unlitM > 0 && (
          <div className="details-row">
            <dt>{t('unlit')}</dt>
            <dd>{m(f.unlitM)}</dd>
          </div>
        )}
        {f.sidewalkUnknownM > 0 && (
          <div className="details-row">
            <dt>{t('sidewalkUnknown')}</dt>
            <dd>{m(f.sidewalkUnknownM)}</dd>
          </div>
        )}
      </dl>
      {f.crossingList.length > 0 && (
        <>
          <h4 className="route-subheading">{t('crossingListLabel')}</h4>
          <ol className="route-crossings">
            {f.crossingList.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list per route, rendered anew with it; items have no identity of their own
              <li key={i} className={`route-crossing route-crossing--${x.grade}`}>
                <span className="route-grade">{gradeText(x.grade, lang)}</span>{' '}
                {t('crossingItem', {
                  road: x.roadName ?? t('unnamedRoad'),
                  cls: roadClassName(x.roadClass, lang),
                  control: controlName(x.control, lang),
                })}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function SaveRoute({ t, lang }: { t: RouteT; lang: Lang }) {
  const school = useRoutes((s) => s.school);
  const home = useRoutes((s) => s.home);
  const profile = useRoutes((s) => s.profile);
  // the session is asked once, by the tools (editor/tools.ts loadSession)
  const editor = useTools((s) => isEditor(s.user));
  const [name, setName] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const nameId = useId();
  useEffect(() => {
    if (school) setName(`${school.name_zh}${lang === 'en' ? ' – safe route' : '安全上学路线'}`);
    setStatus(null);
  }, [school, lang]);
  if (!editor || !school || !home) return null;
  return (
    <form
      className="route-save"
      onSubmit={(e) => {
        e.preventDefault();
        routesApi.save({ name_zh: name.trim(), from: home, school_id: school.id, profile }).then(
          () => {
            setStatus({ ok: true, text: t('saveDone') });
            const bbox = useAtlas.getState().viewBbox;
            if (bbox) void useRoutes.getState().loadStored(bbox);
          },
          (err: unknown) => setStatus({ ok: false, text: t('saveFailed', { msg: err instanceof Error ? err.message : String(err) }) }),
        );
      }}
    >
      <label htmlFor={nameId} className="field-label">
        {t('saveName')}
      </label>
      <input id={nameId} className="text-input" value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="button" disabled={!name.trim()}>
        {t('saveButton')}
      </button>
      <p role="status" className="status-line">
        {status?.text ?? ''}
      </p>
    </form>
  );
}

function PlannerView({ t, lang }: { t: RouteT; lang: Lang }) {
  const network = useRoutes((s) => s.network);
  const school = useRoutes((s) => s.school);
  const focusRank = useRoutes((s) => s.focusRank);
  if (!school) return <p className="muted">{t('plannerNeedsSchool')}</p>;
  if (network.status === 'loading')
    return (
      <p role="status" className="status-line">
        {t('plannerLoading')}
      </p>
    );
  if (network.error)
    return (
      <p role="alert" className="status-line">
        {errorText(network.error, t, lang)}
      </p>
    );
  const n: SchoolNetworkAnswer | null = network.data;
  if (!n) return null;
  const round = (v: number) => Math.round(v);
  return (
    <div className="route-planner">
      <p>
        {t('plannerSummary', {
          radius: n.norm.radiusM,
          children: round(n.summary.children.inCatchment),
          major: round(n.summary.childrenCrossingMajorUnsignalised),
          steps: round(n.summary.childrenUsingSteps),
        })}
      </p>
      <p className="muted">
        {t('plannerPopulation')}：{lang === 'en' ? n.population.note.en : n.population.note.zh}
      </p>
      <p className="muted">{t('plannerLegend')}</p>
      <h4 className="route-subheading">{t('plannerTopHeading')}</h4>
      {n.topUnsafe.length === 0 ? (
        <p>{t('plannerTopEmpty')}</p>
      ) : (
        <ol className="route-top">
          {n.topUnsafe.map((u) => (
            <li
              key={u.rank}
              className={`route-top__item route-crossing--${u.grade}${u.rank === focusRank ? ' route-top__item--focus' : ''}`}
            >
              <span>
                {t('plannerTopItem', {
                  rank: u.rank,
                  name: u.name ?? t('unnamedRoad'),
                  what:
                    u.kind === 'crossing'
                      ? t('plannerCrossing', { control: controlName((u.control ?? 'unknown') as 'unknown', lang) })
                      : t('plannerSegment', { length: formatDistance(u.lengthM ?? 0, lang) }),
                  children: round(u.children),
                  grade: gradeText(u.grade, lang),
                })}
              </span>
              <span className="muted route-top__why">{u.reasons.map((r) => reasonText(r, lang)).join(lang === 'en' ? '; ' : '；')}</span>
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  useRoutes.getState().setFocusRank(u.rank);
                  const s = useAtlas.getState();
                  useAtlas.setState({ flyRequest: { center: u.coordinates, seq: (s.flyRequest?.seq ?? 0) + 1 } });
                }}
              >
                {t('plannerTopShow')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export default function RoutePanel() {
  const t = useRouteT();
  const lang = useAtlas((s) => s.lang);
  const { school, home, picking, profile, route, planner, stored } = useRoutes();
  const [changing, setChanging] = useState(false);
  const schools = useSchoolsInView(!school || changing);
  const selectId = useId();
  const [locError, setLocError] = useState<string | null>(null);
  // before anything is picked: say so when the view has no walking network
  const networkHere = useNetworkInView();
  const noNetwork = networkHere === 'no';
  useEffect(() => {
    if (noNetwork && useRoutes.getState().picking) useRoutes.getState().setPicking(false);
  }, [noNetwork]);

  const chooseSchool = (f: FacilityFeature) => {
    const p = f.properties;
    useRoutes
      .getState()
      .setSchool({ id: f.id, name_zh: p.name_zh, name_en: p.name_en, category: p.category, coordinates: f.geometry.coordinates });
    setChanging(false);
  };
  const locateMe = () => {
    setLocError(null);
    if (!('geolocation' in navigator)) return setLocError(t('errorNetwork'));
    navigator.geolocation.getCurrentPosition(
      (pos) => useRoutes.getState().setHome([pos.coords.longitude, pos.coords.latitude]),
      () => setLocError(lang === 'en' ? 'Your location is not available: click the map instead.' : '无法获取您的位置，请点击地图选择。'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  // focus the heading when the panel opens (it is a lazy chunk: the opener cannot)
  useEffect(() => {
    document.getElementById('route-heading')?.focus({ preventScroll: true });
  }, []);

  let status = '';
  if (route.status === 'loading') status = t('computing');
  else if (route.error) status = errorText(route.error, t, lang);
  else if (!home) status = t('homeNone');
  const r = route.status === 'ready' ? route.data : null;

  return (
    <section id="route-panel" className="results-panel route-panel" data-map-overlay aria-labelledby="route-heading">
      <div className="panel-view">
        <Panel
          headingId="route-heading"
          title={t('heading')}
          closeLabel={t('close')}
          onClose={() => {
            closeRoutes();
            requestAnimationFrame(() => document.getElementById('route-toggle')?.focus());
          }}
        >
          <p className="panel-intro">{t('intro')}</p>
          {noNetwork && <NoNetworkNotice kind="routes" />}

          <h3 className="route-subheading">{t('schoolLabel')}</h3>
          {school && !changing ? (
            <div className="route-school">
              <strong lang={lang === 'en' && !school.name_en ? 'zh-CN' : undefined}>{schoolName(school, lang)}</strong>
              <button type="button" className="button button--small button--quiet" onClick={() => setChanging(true)}>
                {t('schoolChange')}
              </button>
            </div>
          ) : (
            <>
              <label htmlFor={selectId} className="field-label">
                {t('schoolPickLabel')}
              </label>
              <select
                id={selectId}
                className="text-input"
                value=""
                onChange={(e) => {
                  const f = schools.schools.find((x) => String(x.id) === e.target.value);
                  if (f) chooseSchool(f);
                }}
              >
                <option value="">
                  {schools.status === 'loading'
                    ? t('schoolPickLoading')
                    : schools.schools.length
                      ? t('schoolPickPlaceholder')
                      : t('schoolPickEmpty')}
                </option>
                {schools.schools.map((f) => (
                  <option key={f.id} value={f.id}>
                    {facilityName(f.properties, lang)}
                  </option>
                ))}
              </select>
              <p className="muted">{t('schoolHint')}</p>
            </>
          )}

          <h3 className="route-subheading">{t('homeLabel')}</h3>
          <PlaceChooser
            labels={{ location: t('homeUseLocation'), centre: t('homeUseCentre'), pick: t('homePick') }}
            onLocation={locateMe}
            onCentre={() => useRoutes.getState().setHome(useAtlas.getState().viewCentre)}
            picking={picking}
            onPicking={(on) => useRoutes.getState().setPicking(on)}
            disabledBy={noNetwork ? 'no-network-routes' : undefined}
          />
          {locError && (
            <p role="alert" className="status-line">
              {locError}
            </p>
          )}
          {home && <p className="muted">{t('homeSet')}</p>}

          <fieldset className="scope route-profile">
            <legend>{t('profileLabel')}</legend>
            {(['child', 'step_free'] as const).map((p) => (
              <label key={p} className="radio">
                <input
                  type="radio"
                  name="route-profile"
                  value={p}
                  checked={profile === p}
                  onChange={() => useRoutes.getState().setProfile(p)}
                />
                <span>{t(p === 'child' ? 'profileChild' : 'profileStepFree')}</span>
              </label>
            ))}
          </fieldset>

          <p role="status" className="status-line">
            {status}
          </p>
          {r && (
            <div className="route-result" aria-live="polite">
              <h3 className="route-subheading">{t('routeHeading')}</h3>
              {r.comparison && <p className="note route-comparison">{lang === 'en' ? r.comparison.text.en : r.comparison.text.zh}</p>}
              <ul className="route-legend">
                <li>
                  <span className="route-swatch route-swatch--safest" aria-hidden="true" />
                  {t('legendSafest')}
                </li>
                {r.shortest && !r.comparison?.sameRoute && (
                  <li>
                    <span className="route-swatch route-swatch--shortest" aria-hidden="true" />
                    {t('legendShortest')}
                  </li>
                )}
              </ul>
              <Facts r={r} t={t} lang={lang} />
              {r.shortest && !r.comparison?.sameRoute && (
                <p className="muted">
                  {t('shortestLine', {
                    length: formatDistance(r.shortest.lengthM, lang),
                    crossings: r.shortest.crossings.total,
                    unsig: r.shortest.crossings.majorUnsignalised,
                  })}
                </p>
              )}
              <p className="muted">{t('dataNote')}</p>
              <SaveRoute t={t} lang={lang} />
            </div>
          )}

          <label className="switch route-planner-switch">
            <input
              type="checkbox"
              role="switch"
              aria-checked={planner}
              checked={planner}
              onChange={(e) => useRoutes.getState().setPlanner(e.target.checked)}
            />
            <span>{t('plannerSwitch')}</span>
          </label>
          {planner && <PlannerView t={t} lang={lang} />}

          <h3 className="route-subheading">{t('storedHeading')}</h3>
          {stored?.features.length ? (
            <ul className="route-stored">
              {stored.features.map((f) => (
                <li key={f.properties.id}>
                  {t('storedItem', {
                    name: lang === 'en' && f.properties.name_en ? f.properties.name_en : f.properties.name_zh,
                    length: formatDistance(f.properties.length_m, lang),
                  })}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('storedNone')}</p>
          )}
        </Panel>
      </div>
    </section>
  );
}
