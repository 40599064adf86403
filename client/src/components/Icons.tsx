// biome-ignore-all lint/a11y/noSvgWithoutTitle: every icon is decorative (aria-hidden in the spread `common` props, which Biome cannot see); its button carries the label
import type { ReactNode } from 'react';

/** Small decorative line icons for buttons (the button text carries the meaning). */
const common = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  'aria-hidden': true,
  focusable: false,
} as const;

/** A decorative line icon of `size` px drawn by `children`, with round caps and joins unless `square`. */
export function LineIcon({ size = 18, square = false, children }: { size?: number; square?: boolean; children: ReactNode }) {
  return (
    <svg {...common} width={size} height={size} strokeLinecap={square ? undefined : 'round'} strokeLinejoin={square ? undefined : 'round'}>
      {children}
    </svg>
  );
}

export const ListIcon = () => (
  <svg {...common}>
    <path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" />
  </svg>
);
export const PinIcon = () => (
  <svg {...common}>
    <path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z" />
    <circle cx="12" cy="9.5" r="2.5" />
  </svg>
);
export const FilterIcon = () => (
  <svg {...common}>
    <path d="M3 5h18l-7 8v6l-4-2v-4z" />
  </svg>
);
export const GlobeIcon = () => (
  <svg {...common}>
    <circle cx="12" cy="12" r="9" />
    <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
  </svg>
);
export const CloseIcon = () => (
  <svg {...common}>
    <path d="M6 6l12 12M18 6L6 18" />
  </svg>
);
export const CrosshairIcon = () => (
  <svg {...common}>
    <circle cx="12" cy="12" r="7" />
    <path d="M12 2v4M12 18v4M2 12h4M18 12h4" />
  </svg>
);
export const SearchIcon = () => (
  <svg {...common}>
    <circle cx="11" cy="11" r="7" />
    <path d="M20 20l-4-4" />
  </svg>
);
