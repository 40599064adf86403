/**
 * Ring assembly for OpenStreetMap multipolygon relations: member ways are joined end to
 * end (by shared node id, either direction) into closed rings, as the OSM wiki's
 * "Relation:multipolygon/Algorithm" describes. Ways that cannot be closed — typically
 * because the extract cut the relation at its bounding box — are returned as `open`, so
 * the caller can count them instead of failing.
 *
 * @example
 * assembleRings([[1, 2, 3], [3, 4, 1]]); // { rings: [[1, 2, 3, 4, 1]], open: 0 }
 */

export interface AssembledRings {
  /** Closed rings of node ids (first id === last id). */
  rings: number[][];
  /** Member ways left over in chains that could not be closed. */
  open: number;
}

/** Join node-id sequences into closed rings. The input arrays are not modified. */
export function assembleRings(ways: readonly (readonly number[])[]): AssembledRings {
  const rings: number[][] = [];
  let open = 0;
  const used = new Uint8Array(ways.length);
  // endpoint id → indices of ways starting or ending there
  const byEnd = new Map<number, number[]>();
  const add = (id: number, i: number) => {
    const l = byEnd.get(id);
    if (l) l.push(i);
    else byEnd.set(id, [i]);
  };
  ways.forEach((w, i) => {
    if (w.length < 2) {
      used[i] = 1;
      return;
    }
    add(w[0], i);
    add(w[w.length - 1], i);
  });

  for (let start = 0; start < ways.length; start++) {
    if (used[start]) continue;
    used[start] = 1;
    const chain = ways[start].slice();
    let members = 1;
    while (chain[0] !== chain[chain.length - 1]) {
      const tail = chain[chain.length - 1];
      const next = (byEnd.get(tail) ?? []).find((i) => !used[i]);
      if (next === undefined) break;
      used[next] = 1;
      members++;
      const w = ways[next];
      if (w[0] === tail) for (let k = 1; k < w.length; k++) chain.push(w[k]);
      else for (let k = w.length - 2; k >= 0; k--) chain.push(w[k]);
    }
    if (chain.length >= 4 && chain[0] === chain[chain.length - 1]) rings.push(chain);
    else open += members;
  }
  return { rings, open };
}
