/**
 * Where the tools appear: the open tool's panel over the map area (each a lazy chunk),
 * the "我有建议 / Tell us" button and the "居民建议" layer switch on the map, and Esc to
 * close the open tool (captured before the atlas's own Esc handling). Also asks once who
 * is signed in. First-load weight: this file and tools.ts only.
 */
import { lazy, type RefObject, Suspense, useEffect, useRef } from 'react';
import { usePhone } from '../hooks';
import { useAtlas } from '../store';
import { isEditor, loadSession, useTools } from './tools';
import { ToolsMenu } from './ToolsMenu';
import './shell.css';

const FeedbackDialog = lazy(() => import('../feedback/FeedbackDialog'));
const SignIn = lazy(() => import('./SignIn'));
const ModerationQueue = lazy(() => import('./ModerationQueue'));
const FacilityEditor = lazy(() => import('./FacilityEditor'));
const ImportPanel = lazy(() => import('./ImportPanel'));
const ExportPanel = lazy(() => import('../export/ExportPanel'));
const IndicatorsView = lazy(() => import('../indicators-view/IndicatorsView'));
export const MapOverlays = lazy(() => import('./MapOverlays'));

const TEXT = {
  zh: { tell: '我有建议', layer: '居民建议' },
  en: { tell: 'Tell us', layer: "Residents' suggestions" },
};

function closeTool() {
  const kind = useTools.getState().tool?.kind;
  useTools.getState().close();
  requestAnimationFrame(() =>
    document
      .getElementById(kind === 'feedback' ? 'feedback-open' : kind === 'indicators' ? 'indicators-toggle' : 'tools-menu-button')
      ?.focus(),
  );
}

/**
 * Keeps `--map-bottom-controls` on `ref` at the height of MapLibre's tallest bottom control
 * corner (the scale, the credits with the sample-data notice), so the buttons stacked above
 * them never cover them, even when the folded credits are opened on a phone.
 */
function useBottomControlsClearance(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const corners = () => [...document.querySelectorAll('.maplibregl-ctrl-bottom-left, .maplibregl-ctrl-bottom-right')];
    const measure = () => {
      const h = Math.max(0, ...corners().map((c) => c.getBoundingClientRect().height));
      ref.current?.style.setProperty('--map-bottom-controls', `${Math.ceil(h)}px`);
    };
    let observer: ResizeObserver | undefined;
    // The corners exist once the map is created (lazily, after this mounts).
    const wait = window.setInterval(() => {
      const found = corners();
      if (found.length === 0) return;
      window.clearInterval(wait);
      observer = new ResizeObserver(measure);
      for (const c of found) observer.observe(c);
      measure();
    }, 250);
    return () => {
      window.clearInterval(wait);
      observer?.disconnect();
    };
  }, [ref]);
}

/** The open tool's panel (inside `.map-area`). */
export function ToolsHost() {
  const tool = useTools((s) => s.tool);
  const user = useTools((s) => s.user);
  const lang = useAtlas((s) => s.lang);
  const layerOn = useTools((s) => s.feedbackLayer);
  const phone = usePhone();
  const mapTools = useRef<HTMLDivElement>(null);
  useBottomControlsClearance(mapTools);

  useEffect(() => {
    void loadSession();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !useTools.getState().tool) return;
      e.preventDefault();
      e.stopPropagation();
      closeTool();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);

  const editorOnly =
    tool && (tool.kind === 'moderation' || tool.kind === 'edit' || tool.kind === 'add' || tool.kind === 'import') && !isEditor(user);
  return (
    <>
      {phone && (
        <div className="map-tools-menu">
          <ToolsMenu phone placement="map" />
        </div>
      )}
      <div className="map-tools" ref={mapTools}>
        <label className="map-tools__layer">
          <input type="checkbox" checked={layerOn} onChange={(e) => useTools.getState().setFeedbackLayer(e.target.checked)} />
          <span>{TEXT[lang].layer}</span>
        </label>
        <button
          type="button"
          id="feedback-open"
          className="map-tools__tell"
          aria-pressed={tool?.kind === 'feedback'}
          onClick={() => useTools.getState().open({ kind: 'feedback' })}
        >
          {TEXT[lang].tell}
        </button>
      </div>
      {tool && (
        <Suspense fallback={null}>
          {tool.kind === 'feedback' && <FeedbackDialog onClose={closeTool} />}
          {(tool.kind === 'signin' || editorOnly) && <SignIn onClose={closeTool} />}
          {!editorOnly && tool.kind === 'moderation' && <ModerationQueue onClose={closeTool} />}
          {!editorOnly && tool.kind === 'edit' && <FacilityEditor key={tool.facilityId} facilityId={tool.facilityId} onClose={closeTool} />}
          {!editorOnly && tool.kind === 'add' && <FacilityEditor key="add" facilityId={null} onClose={closeTool} />}
          {!editorOnly && tool.kind === 'import' && <ImportPanel onClose={closeTool} />}
          {tool.kind === 'export' && <ExportPanel onClose={closeTool} />}
          {tool.kind === 'indicators' && <IndicatorsView onClose={closeTool} />}
        </Suspense>
      )}
    </>
  );
}

/** "编辑 / Edit" in a facility's details, for editors only. */
export function EditFacilityButton({ id }: { id: number }) {
  const user = useTools((s) => s.user);
  const lang = useAtlas((s) => s.lang);
  if (!isEditor(user)) return null;
  return (
    <button type="button" className="button" id="facility-edit" onClick={() => useTools.getState().open({ kind: 'edit', facilityId: id })}>
      {lang === 'zh' ? '编辑' : 'Edit'}
    </button>
  );
}
