/**
 * Where keyboard focus goes back to when a panel closes: the element that opened it
 * (a list item, a toolbar button), or a fallback when that element is gone.
 */
let returnTo: HTMLElement | null = null;

export function rememberFocus(): void {
  const a = document.activeElement;
  if (a instanceof HTMLElement && a !== document.body) returnTo = a;
}

export function restoreFocus(fallbackSelector?: string): void {
  const el = returnTo;
  returnTo = null;
  if (el?.isConnected && el.offsetParent !== null) {
    el.focus();
    return;
  }
  if (fallbackSelector) document.querySelector<HTMLElement>(fallbackSelector)?.focus();
}
