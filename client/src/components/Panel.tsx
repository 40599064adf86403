import { forwardRef, type ReactNode } from 'react';
import { CloseIcon } from './Icons';

/**
 * The frame of the results panel: a heading (focusable from script, so focus can be
 * moved to it when the panel's content changes) and a close/back button.
 */
export const Panel = forwardRef<
  HTMLHeadingElement,
  {
    headingId: string;
    title: ReactNode;
    titleLang?: string;
    closeLabel: string;
    onClose: () => void;
    children: ReactNode;
    closeText?: string;
  }
>(function Panel({ headingId, title, titleLang, closeLabel, onClose, children, closeText }, headingRef) {
  return (
    <>
      <div className="panel-head">
        <h2 id={headingId} className="panel-title" tabIndex={-1} ref={headingRef} lang={titleLang}>
          {title}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={closeText ? undefined : closeLabel}>
          {closeText ? <span>{closeText}</span> : <CloseIcon />}
        </button>
      </div>
      <div className="panel-body">{children}</div>
    </>
  );
});
