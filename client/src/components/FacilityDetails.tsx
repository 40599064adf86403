import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import { AMENITY_KEYS, type FacilityFeature } from '../../../core/api';
import { categoryById } from '../../../core/catalogue';
import { api } from '../api';
import { ApiError, isAbort } from '../http';
import { useAtlas } from '../store';
import { useT } from '../hooks';
import { categoryName, districtName, facilityName, formatDate, type Lang, type MessageKey } from '../i18n';
import { showOpeningHours } from '../openingHours';
import { CategoryIcon } from './CategoryIcon';
import { Panel } from './Panel';
import { PlanRouteButton } from '../routes/PlanRouteButton';
import { EditFacilityButton } from '../editor/ToolsHost';

type Load = { state: 'loading' } | { state: 'ready'; feature: FacilityFeature } | { state: 'missing' } | { state: 'error'; error: unknown };

/** Categories for which public/private and 普惠 status matter (plan §五, §六). */
const EARLY_YEARS = new Set(['nursery', 'kindergarten']);

function useFacility(id: number, known: FacilityFeature | null): Load {
  const [load, setLoad] = useState<Load>(known ? { state: 'ready', feature: known } : { state: 'loading' });
  useEffect(() => {
    if (known && known.id === id) {
      setLoad({ state: 'ready', feature: known });
      return;
    }
    const ac = new AbortController();
    setLoad({ state: 'loading' });
    api.facility(id, ac.signal).then(
      (feature) => setLoad({ state: 'ready', feature }),
      (error: unknown) => {
        if (isAbort(error)) return;
        setLoad(error instanceof ApiError && error.status === 404 ? { state: 'missing' } : { state: 'error', error });
      },
    );
    return () => ac.abort();
  }, [id, known]);
  return load;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="details-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * Opening hours in the UI's language with "open now / closed now" (China time, read when
 * the panel renders); a value the reader does not understand is shown as written.
 */
function Hours({ value, lang }: { value: string; lang: Lang }) {
  const t = useT();
  const shown = showOpeningHours(value, lang, new Date());
  return (
    <>
      {shown.openNow !== null && (
        <strong className={shown.openNow ? 'hours-now hours-now--open' : 'hours-now hours-now--closed'} id="hours-now">
          {t(shown.openNow ? 'openNow' : 'closedNow')}
        </strong>
      )}
      {shown.openNow !== null && ' '}
      <span id="hours-text">{shown.text}</span>
    </>
  );
}

/** Everything known about one facility; "sample data" is said plainly for demo rows. */
export function FacilityDetails({
  id,
  onClose,
  backLabel,
  headingRef,
}: {
  id: number;
  onClose: () => void;
  backLabel?: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const known = useAtlas((s) => (s.selectedFeature?.id === id ? s.selectedFeature : null));
  const load = useFacility(id, known);

  if (load.state !== 'ready') {
    const msg: MessageKey = load.state === 'loading' ? 'detailsLoading' : load.state === 'missing' ? 'detailsNotFound' : 'errorNetwork';
    return (
      <Panel
        headingId="details-heading"
        title={t('detailsHeading')}
        closeLabel={t('closePanel')}
        closeText={backLabel}
        onClose={onClose}
        ref={headingRef}
      >
        <p role="status" className="status-line">
          {t(msg)}
        </p>
      </Panel>
    );
  }

  const f = load.feature;
  const p = f.properties;
  const cat = categoryById(p.category);
  const name = facilityName(p, lang);
  const otherName = lang === 'en' ? (p.name_en ? p.name_zh : null) : p.name_en;
  const district = districtName(p, lang);
  const zhOnly = lang === 'en' ? 'zh-CN' : undefined;
  const demo = p.source === 'demo';
  const ageMin = p.age_min_years ?? cat.ageYears[0];
  const ageMax = p.age_max_years ?? cat.ageYears[1];
  const amenities = AMENITY_KEYS.filter((k) => p.amenities?.[k] !== undefined);
  const showOwnership = EARLY_YEARS.has(p.category) || p.ownership !== 'unknown';
  const ownershipKey: MessageKey =
    p.ownership === 'public' ? 'ownershipPublic' : p.ownership === 'private' ? 'ownershipPrivate' : 'ownershipUnknown';

  return (
    <Panel
      headingId="details-heading"
      title={name}
      titleLang={lang === 'en' && !p.name_en ? 'zh-CN' : undefined}
      closeLabel={t('closePanel')}
      closeText={backLabel}
      onClose={onClose}
      ref={headingRef}
    >
      {otherName && (
        <p className="details-other-name" lang={lang === 'en' ? 'zh-CN' : 'en'}>
          {otherName}
        </p>
      )}
      <p className="details-category">
        <CategoryIcon id={p.category} size={26} />
        <span>{categoryName(p.category, lang)}</span>
      </p>
      {demo && (
        <p className="note note--sample" role="note">
          {t('sampleNote')}
        </p>
      )}
      <dl className="details-list">
        <Row label={t('address')}>{p.address ? <span lang={zhOnly}>{p.address}</span> : t('unknown')}</Row>
        <Row label={t('district')}>{district ?? t('unknown')}</Row>
        <Row label={t('openingHours')}>{p.opening_hours ? <Hours value={p.opening_hours} lang={lang} /> : t('unknown')}</Row>
        {cat.hasCapacity && <Row label={t('capacity')}>{p.capacity !== null ? t('capacityValue', { n: p.capacity }) : t('unknown')}</Row>}
        <Row label={t('ageRange')}>
          {ageMax === null ? t('ageRangeFrom', { min: ageMin }) : t('ageRangeValue', { min: ageMin, max: ageMax })}
        </Row>
        {showOwnership && <Row label={t('ownership')}>{t(ownershipKey)}</Row>}
        {EARLY_YEARS.has(p.category) && (
          <Row label={t('inclusive')}>{p.inclusive === null ? t('unknown') : p.inclusive ? t('inclusiveYes') : t('inclusiveNo')}</Row>
        )}
        <Row label={t('amenities')}>
          {amenities.length === 0 ? (
            t('amenitiesNone')
          ) : (
            <ul className="amenity-list">
              {amenities.map((k) => {
                const has = !!p.amenities[k];
                return (
                  <li key={k} className={has ? 'amenity amenity--yes' : 'amenity amenity--no'}>
                    <span aria-hidden="true" className="amenity__mark">
                      {has ? '✓' : '✕'}
                    </span>
                    {t(`amenity_${k}` as MessageKey)}
                    {lang === 'zh' ? '：' : ': '}
                    {has ? t('amenityYes') : t('amenityNo')}
                  </li>
                );
              })}
            </ul>
          )}
        </Row>
        {p.phone && (
          <Row label={t('phone')}>
            <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>{p.phone}</a>
          </Row>
        )}
        <Row label={t('source')}>{demo ? t('sourceDemo') : p.source}</Row>
        <Row label={t('updated')}>{formatDate(p.source_updated_at ?? p.updated_at, lang)}</Row>
      </dl>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void useAtlas.getState().nearbyAt(f.geometry.coordinates, 'facility')}>
          {t('nearbyFromHere')}
        </button>
        <PlanRouteButton feature={f} />
        <EditFacilityButton id={f.id} />
      </div>
    </Panel>
  );
}
