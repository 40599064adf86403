/**
 * The planner's colours, shared by the deck.gl layers and the text legend, so the legend
 * always shows what the map draws. Every colour is paired with words in the legend
 * (colour is never the only signal); the fills are translucent so the district boundaries
 * and names stay readable underneath.
 */
export type Rgba = [number, number, number, number];

export const PLANNER_COLOURS = {
  /** Cell within the distance (primary measure). */
  covered: [13, 148, 136, 130] as Rgba,
  /** Cell beyond the distance where people live. */
  uncovered: [234, 88, 12, 155] as Rgba,
  /** Covered in a straight line but not on foot (both measures shown). */
  overstated: [192, 38, 211, 175] as Rgba,
  /** Cell farther than the access distance from any walkable edge. */
  noAccess: [107, 114, 128, 160] as Rgba,
  /** Outline of a dissolved gap polygon. */
  gapLine: [185, 28, 28, 255] as Rgba,
  gapFill: [220, 38, 38, 28] as Rgba,
  /** Near-black: distinct from every category colour and from the cell colours. */
  proposed: [17, 24, 39, 255] as Rgba,
  proposedRing: [17, 24, 39, 220] as Rgba,
  removed: [156, 163, 175, 255] as Rgba,
  removedLine: [185, 28, 28, 255] as Rgba,
  suggested: [250, 204, 21, 255] as Rgba,
  suggestedLine: [113, 63, 18, 255] as Rgba,
  facilityLine: [255, 255, 255, 255] as Rgba,
};

/** CSS colour of an RGBA (alpha 0–255). */
export function css([r, g, b, a]: Rgba, opaque = false): string {
  return `rgba(${r}, ${g}, ${b}, ${opaque ? 1 : +(a / 255).toFixed(3)})`;
}

/** A hex colour (#rrggbb) as RGBA. */
export function hexRgba(hex: string, alpha = 255): Rgba {
  const v = parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255, alpha];
}
