import { CATEGORY_IDS } from '../../../core/catalogue';
import { useAtlas } from '../store';
import { useT } from '../hooks';
import { categoryName } from '../i18n';
import { FacilityItem } from './FacilityItem';
import { Panel } from './Panel';
import { PlaceChooser } from './PlaceChooser';

/**
 * "Near me": a query point from the device's location, a click on the map (pick mode,
 * on while this panel is open; right-click / long-press works any time) or the map
 * centre (the keyboard way); results of the selected categories, closest first.
 */
export function NearbyPanel({ onClose }: { onClose: () => void }) {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const nearby = useAtlas((s) => s.nearby);
  const categories = useAtlas((s) => s.categories);
  const { locateMe, nearbyAt, setPicking } = useAtlas.getState();

  let status = '';
  if (nearby.error) status = t(nearby.error.key, nearby.error.params);
  else if (nearby.status === 'locating') status = t('nearbyLocating');
  else if (nearby.status === 'loading') status = t('nearbyLoading');
  else if (!nearby.point) status = t('nearbyNoPoint');
  else if (nearby.status === 'ready') status = nearby.results.length ? t('nearbyCount', { n: nearby.results.length }) : t('nearbyEmpty');

  const categoryText =
    categories.length === CATEGORY_IDS.length
      ? t('nearbyAllCategories')
      : t('nearbyCategories', { list: categories.map((c) => categoryName(c, lang)).join(lang === 'zh' ? '、' : ', ') });

  return (
    <Panel headingId="nearby-heading" title={t('nearbyHeading')} closeLabel={t('closePanel')} onClose={onClose}>
      <p className="panel-intro">{t('nearbyIntro')}</p>
      <PlaceChooser
        labels={{ location: t('nearbyUseLocation'), centre: t('nearbyUseCentre'), pick: t('nearbyPick') }}
        onLocation={locateMe}
        onCentre={() => void nearbyAt(useAtlas.getState().viewCentre, 'centre')}
        picking={nearby.picking}
        onPicking={setPicking}
        primaryLocation
      />
      <p className="muted">{categories.length ? categoryText : t('nearbyNoCategories')}</p>
      <p role="status" className="status-line">
        {status}
      </p>
      {nearby.status === 'error' && nearby.point && nearby.error?.key.startsWith('error') && (
        <button type="button" className="button" onClick={() => void useAtlas.getState().refreshNearby()}>
          {t('retry')}
        </button>
      )}
      {nearby.results.length > 0 && nearby.status !== 'error' && (
        <ol className="facility-list" aria-label={t('nearbyResultsLabel')} aria-busy={nearby.status === 'loading'}>
          {nearby.results.map((f, i) => (
            <FacilityItem key={f.id} feature={f} showDistance number={i + 1} />
          ))}
        </ol>
      )}
    </Panel>
  );
}
