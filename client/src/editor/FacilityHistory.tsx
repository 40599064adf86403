/** The facility's recent versions, each older one with "revert to this version". */
import type { HistoryEntry } from './useFacilityEditing';
import { useToolT } from './i18n';

export function FacilityHistory({
  history,
  currentVersion,
  busy,
  onRevert,
}: {
  history: HistoryEntry[] | null;
  /** The version being edited (null when there is none: nothing to revert). */
  currentVersion: number | null;
  busy: boolean;
  onRevert: (version: number) => void;
}) {
  const { t, lang } = useToolT();
  return (
    <section aria-labelledby="ed-history" className="tool-history">
      <h3 id="ed-history">{t('history')}</h3>
      {!history ? (
        <p className="tool-muted">{t('historyLoading')}</p>
      ) : (
        <ol>
          {history.map((h) => (
            <li key={h.version} data-version={h.version}>
              <span>
                {t('historyEntry', {
                  v: h.version,
                  action: h.action,
                  by: h.changed_by,
                  at: new Date(h.changed_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'),
                })}
              </span>
              {currentVersion !== null && h.version < currentVersion ? (
                <button type="button" className="button button--small" onClick={() => onRevert(h.version)} disabled={busy}>
                  {t('revert')}
                </button>
              ) : (
                <span className="tool-muted"> ({t('current')})</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
