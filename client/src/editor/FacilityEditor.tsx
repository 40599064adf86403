/**
 * Edit (or add) a facility: attributes, position (click the map), save with the version
 * that was edited — a 409 shows what the other editor saved beside the form's values and
 * lets this editor re-apply on top of it or take theirs — retire, and the history with
 * "revert to this version". Only changed fields are sent.
 *
 * State and actions live in {@link useFacilityEditing}; the form's values in ./facilityForm.ts.
 */
import { useEffect, useRef } from 'react';
import type { LngLat } from '../../../core/api';
import { useToolT } from './i18n';
import { useTools, type ToolsState } from './tools';
import { useFacilityEditing } from './useFacilityEditing';
import { FacilityConflict } from './FacilityConflict';
import { FacilityFields } from './FacilityFields';
import { FacilityHistory } from './FacilityHistory';
import './tools.css';
import { ToolPanelHead } from './ToolPanelHead';

/** Where the facility is (or will be), and the button to move it on the map. */
function PositionField({
  position,
  pick,
  adding,
  current,
}: {
  position: LngLat | null;
  pick: ToolsState['pick'];
  adding: boolean;
  current: LngLat | null;
}) {
  const { t } = useToolT();
  return (
    <div className="tool-field">
      <span className="tool-label">{t('position')}</span>
      <p className="tool-muted">
        {position ? t('positionValue', { lng: position[0].toFixed(5), lat: position[1].toFixed(5) }) : t('pickAdd')}
        {pick && pick.purpose !== 'feedback' && <span> — {adding ? t('pickAdd') : t('moveHint')}</span>}
      </p>
      {!adding && (
        <button
          type="button"
          className="button button--small"
          aria-pressed={pick?.purpose === 'move'}
          onClick={() => (pick ? useTools.getState().stopPick() : useTools.getState().startPick('move', current))}
        >
          {t('moveOnMap')}
        </button>
      )}
    </div>
  );
}

export default function FacilityEditor({ facilityId, onClose }: { facilityId: number | null; onClose: () => void }) {
  const { t } = useToolT();
  const ed = useFacilityEditing(facilityId);
  const { adding, base, form, busy, message } = ed;
  const headingRef = useRef<HTMLHeadingElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to the heading each time another facility opens
  useEffect(() => headingRef.current?.focus(), [facilityId]);

  return (
    <section className="tool-panel" role="dialog" aria-labelledby="ed-heading" data-map-overlay data-tool="editor">
      <ToolPanelHead
        id="ed-heading"
        title={
          adding && !base ? t('addTitle') : `${t('editTitle')}${base ? ` · ${base.properties.name_zh} (v${base.properties.version})` : ''}`
        }
        closeLabel={t('close')}
        onClose={onClose}
        headingRef={headingRef}
      />

      {ed.conflict && <FacilityConflict theirs={ed.conflict} form={form} onResolve={ed.resolveConflict} />}

      <form
        className="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ed.save();
        }}
      >
        <FacilityFields form={form} setField={ed.setField} />
        <PositionField position={ed.position} pick={ed.pick} adding={adding} current={base?.geometry.coordinates ?? null} />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy || (!base && !adding)}>
            {busy ? t('saving') : t('save')}
          </button>
          {base && base.properties.status !== 'retired' && (
            <button type="button" className="button" onClick={() => void ed.retire()} disabled={busy}>
              {t('retire')}
            </button>
          )}
        </div>
        {message?.text && (
          <p className={message.kind === 'ok' ? 'tool-ok' : 'tool-error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </form>

      {!adding || base ? (
        <FacilityHistory
          history={ed.history}
          currentVersion={base?.properties.version ?? null}
          busy={busy}
          onRevert={(v) => void ed.revert(v)}
        />
      ) : null}
    </section>
  );
}
