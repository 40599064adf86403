import { useEffect, useRef } from 'react';
import { useAtlas } from '../store';
import { useT } from '../hooks';
import { rememberFocus } from '../focus';
import { FacilityDetails } from './FacilityDetails';
import { ListView } from './ListView';
import { NearbyPanel } from './NearbyPanel';

/**
 * The panel over the map (desktop: at the right; phone: a bottom sheet): the list view
 * or near-me results, with the details of the selected facility on top of them. The list
 * stays mounted under the details, so "back" returns to the same place and focus.
 */
export function ResultsPanel({ onCloseDetails, onClosePanel }: { onCloseDetails: () => void; onClosePanel: () => void }) {
  const t = useT();
  const panel = useAtlas((s) => s.panel);
  const selectedId = useAtlas((s) => s.selectedId);
  const detailsHeading = useRef<HTMLHeadingElement>(null);
  const detailsOpen = selectedId !== null;

  // Opening details moves focus to their heading (remembering where it came from).
  useEffect(() => {
    if (selectedId === null) return;
    if (!detailsHeading.current?.contains(document.activeElement)) rememberFocus();
    detailsHeading.current?.focus({ preventScroll: true });
  }, [selectedId]);

  if (!panel && !detailsOpen) return null;
  return (
    <section
      id="results-panel"
      className="results-panel"
      data-map-overlay
      aria-labelledby={detailsOpen ? 'details-heading' : panel === 'list' ? 'list-heading' : 'nearby-heading'}
    >
      {panel === 'list' && (
        <div className="panel-view" hidden={detailsOpen}>
          <ListView onClose={onClosePanel} />
        </div>
      )}
      {panel === 'nearby' && (
        <div className="panel-view" hidden={detailsOpen}>
          <NearbyPanel onClose={onClosePanel} />
        </div>
      )}
      {detailsOpen && (
        <div className="panel-view">
          <FacilityDetails
            id={selectedId}
            onClose={onCloseDetails}
            backLabel={panel ? t('detailsBack') : undefined}
            headingRef={detailsHeading}
          />
        </div>
      )}
    </section>
  );
}
