/**
 * A 409 on save: what the other editor saved beside this form's values, field by field,
 * with "re-apply my changes on top of theirs" and "take theirs".
 */
import { useEffect, useRef } from 'react';
import type { FacilityFeature } from '../../../core/api';
import { useToolT } from './i18n';
import { conflictingFields, FIELD_LABEL, type Form } from './facilityForm';

const shown = (v: unknown) => (v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function FacilityConflict({
  theirs,
  form,
  onResolve,
}: {
  theirs: FacilityFeature;
  form: Form;
  onResolve: (how: 'reapply' | 'discard') => void;
}) {
  const { t } = useToolT();
  const ref = useRef<HTMLDivElement>(null);
  // A conflict is shown at the top of the panel: bring it into view and move focus there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: theirs is the trigger: a new conflict moves focus again
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' });
    ref.current?.focus();
  }, [theirs]);
  return (
    <div className="tool-conflict" role="alert" ref={ref} tabIndex={-1}>
      <h3>{t('conflictTitle')}</h3>
      <p>{t('conflictBody', { v: theirs.properties.version })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('theirValue')}</th>
            <th scope="col">{t('yourValue')}</th>
          </tr>
        </thead>
        <tbody>
          {conflictingFields(theirs, form).map((d) => (
            <tr key={d.key}>
              <th scope="row">{t(FIELD_LABEL[d.key])}</th>
              <td>{shown(d.theirs)}</td>
              <td>{shown(d.mine)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="button-row">
        <button type="button" className="button button--primary" onClick={() => onResolve('reapply')}>
          {t('conflictReapply')}
        </button>
        <button type="button" className="button" onClick={() => onResolve('discard')}>
          {t('conflictDiscard')}
        </button>
      </div>
    </div>
  );
}
