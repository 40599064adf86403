/** The head of a tool panel: its heading (the dialog's label) and the ✕ close button. */
import type { ReactNode, RefObject } from 'react';

export function ToolPanelHead({
  id,
  title,
  closeLabel,
  onClose,
  headingRef,
}: {
  /** The heading's id, which the panel's `aria-labelledby` names. */
  id: string;
  title: ReactNode;
  closeLabel: string;
  onClose: () => void;
  /** Given when focus moves to the heading (it is then focusable by script). */
  headingRef?: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <div className="tool-panel__head">
      <h2 id={id} tabIndex={headingRef ? -1 : undefined} ref={headingRef}>
        {title}
      </h2>
      <button type="button" className="icon-button" onClick={onClose} aria-label={closeLabel}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
