import { useEffect, useMemo } from 'react';
import { CATEGORY_IDS } from '../../../core/catalogue';
import { useAtlas, LIST_LIMIT } from '../store';
import { useT } from '../hooks';
import { facilityName, langTag } from '../i18n';
import { FacilityItem } from './FacilityItem';
import { Panel } from './Panel';

/**
 * The facilities in the current map view as a list: the keyboard and screen-reader
 * alternative to the map. Reloads when the view settles or the categories change; the
 * count is announced politely.
 */
export function ListView({ onClose }: { onClose: () => void }) {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const list = useAtlas((s) => s.list);
  const viewBbox = useAtlas((s) => s.viewBbox);
  const categories = useAtlas((s) => s.categories);

  // biome-ignore lint/correctness/useExhaustiveDependencies: viewBbox and categories are the triggers; loadList reads them from the store
  useEffect(() => {
    void useAtlas.getState().loadList();
  }, [viewBbox, categories]);

  // Grouped by category (catalogue order), then by name with numbers in numeric order.
  const sorted = useMemo(() => {
    const collator = new Intl.Collator(langTag(lang), { numeric: true });
    return [...list.features].sort(
      (a, b) =>
        CATEGORY_IDS.indexOf(a.properties.category) - CATEGORY_IDS.indexOf(b.properties.category) ||
        collator.compare(facilityName(a.properties, lang), facilityName(b.properties, lang)),
    );
  }, [list.features, lang]);

  let status = '';
  if (categories.length === 0) status = t('listNoCategories');
  else if (list.status === 'loading' && list.features.length === 0) status = t('listLoading');
  else if (list.status === 'error' && list.error) status = t(list.error.key, list.error.params);
  else if (list.status === 'ready' || list.features.length > 0) {
    if (list.features.length === 0) status = t('listEmpty');
    else if (list.truncated) status = t('listCountTruncated', { n: LIST_LIMIT });
    else status = t('listCount', { n: list.features.length });
  }

  return (
    <Panel headingId="list-heading" title={t('listHeading')} closeLabel={t('closePanel')} onClose={onClose}>
      <p role="status" className="status-line" id="list-status">
        {status}
      </p>
      {list.status === 'error' && (
        <button type="button" className="button" onClick={() => void useAtlas.getState().loadList()}>
          {t('retry')}
        </button>
      )}
      {sorted.length > 0 && (
        <ul className="facility-list" aria-labelledby="list-heading" aria-describedby="list-status" aria-busy={list.status === 'loading'}>
          {sorted.map((f) => (
            <FacilityItem key={f.id} feature={f} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
