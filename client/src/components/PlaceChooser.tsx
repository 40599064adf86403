/**
 * The three ways to give a place that the near-me panel and the route-to-school panel share:
 * the device's location, the map's centre, or a tap on the map (a switch while it is on).
 */
import { CrosshairIcon, PinIcon } from './Icons';

export interface PlaceChooserProps {
  labels: { location: string; centre: string; pick: string };
  onLocation(): void;
  onCentre(): void;
  picking: boolean;
  onPicking(on: boolean): void;
  /** The location button as the panel's primary action. */
  primaryLocation?: boolean;
  /** All three off, with the id of the element that says why. */
  disabledBy?: string;
}

export function PlaceChooser({ labels, onLocation, onCentre, picking, onPicking, primaryLocation, disabledBy }: PlaceChooserProps) {
  const disabled = disabledBy !== undefined;
  return (
    <>
      <div className="button-row">
        <button
          type="button"
          className={primaryLocation ? 'button button--primary' : 'button'}
          onClick={onLocation}
          disabled={disabled}
          aria-describedby={disabledBy}
        >
          <PinIcon />
          <span>{labels.location}</span>
        </button>
        <button type="button" className="button" onClick={onCentre} disabled={disabled} aria-describedby={disabledBy}>
          <CrosshairIcon />
          <span>{labels.centre}</span>
        </button>
      </div>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={picking && !disabled}
          checked={picking && !disabled}
          disabled={disabled}
          onChange={(e) => onPicking(e.target.checked)}
        />
        <span>{labels.pick}</span>
      </label>
    </>
  );
}
