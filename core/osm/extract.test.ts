import { describe, expect, it } from 'vitest';
import { OsmExtract, sortedIndexOf } from './extract';

/** A small street grid fed the way a reader feeds it: tagged nodes, ways, then coordinates. */
function build(
  nodes: Record<number, [number, number]>,
  ways: { id: number; refs: number[]; tags: Record<string, string> }[],
  tagged: Record<number, Record<string, string>> = {},
) {
  const ex = new OsmExtract();
  for (const [id, [lon, lat]] of Object.entries(nodes)) ex.addNode(Number(id), lon, lat, tagged[Number(id)] ?? null);
  for (const w of ways) ex.addWay(w);
  ex.prepareNodeLookup();
  for (const [id, [lon, lat]] of Object.entries(nodes)) ex.setNodeCoord(Number(id), lon, lat);
  ex.countMissing();
  return ex;
}

describe('OsmExtract network', () => {
  const nodes: Record<number, [number, number]> = { 1: [0, 0], 2: [0.001, 0], 3: [0.002, 0], 4: [0.001, 0.001], 5: [0.001, -0.001] };

  it('splits ways at intersections and ends only', () => {
    const ex = build(nodes, [
      { id: 10, refs: [1, 2, 3], tags: { highway: 'residential' } },
      { id: 11, refs: [4, 2, 5], tags: { highway: 'footway' } },
    ]);
    const edges = [...ex.edges()].map((e) => [e.way_id, e.seq, e.from_node, e.to_node]);
    expect(edges).toEqual([
      [10, 0, 1, 2],
      [10, 1, 2, 3],
      [11, 0, 4, 2],
      [11, 1, 2, 5],
    ]);
    expect([...ex.networkNodes()].map((n) => n.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops nodes missing from the extract and splits there (ways cut at the bbox)', () => {
    const ex = new OsmExtract();
    ex.addWay({ id: 20, refs: [1, 2, 99, 3, 4], tags: { highway: 'path' } });
    ex.prepareNodeLookup();
    for (const id of [1, 2, 3, 4]) ex.setNodeCoord(id, nodes[id][0], nodes[id][1]);
    ex.countMissing();
    expect(ex.stats).toMatchObject({ nodeRefs: 5, missingNodeRefs: 1, waysCut: 1 });
    expect([...ex.edges()].map((e) => [e.seq, e.from_node, e.to_node])).toEqual([
      [0, 1, 2],
      [1, 3, 4],
    ]);
  });

  it('splits at crossing nodes, reverses oneway:foot=-1, and keeps seq stable under the extent filter', () => {
    const ex = build(nodes, [{ id: 30, refs: [1, 2, 3], tags: { highway: 'footway', 'oneway:foot': '-1' } }], {
      2: { highway: 'crossing', crossing: 'zebra' },
    });
    const all = [...ex.edges((c) => c[0] < 0.0015)];
    expect(all.map((e) => [e.seq, e.from_node, e.to_node, e.attrs.oneway_foot])).toEqual([[0, 2, 1, true]]);
    expect(ex.stats.edgesOutsideExtent).toBe(1);
    expect([...ex.networkNodes()].find((n) => n.id === 2)?.tags).toEqual({ highway: 'crossing', crossing: 'zebra' });
  });

  it('a closed footway ring is one self-loop edge; lengths are geodesic', () => {
    const ex = build(nodes, [{ id: 40, refs: [1, 2, 4, 1], tags: { highway: 'footway' } }]);
    const [e] = [...ex.edges()];
    expect([e.from_node, e.to_node]).toEqual([1, 1]);
    expect(e.length_m).toBeGreaterThan(300);
    expect(e.coords).toHaveLength(8);
  });

  it('binary-searches sorted ids', () => {
    const ids = new Float64Array([1, 5, 9, 12_345_678_901]);
    expect(sortedIndexOf(ids, 12_345_678_901)).toBe(3);
    expect(sortedIndexOf(ids, 6)).toBe(-1);
  });
});

describe('OsmExtract facilities', () => {
  it('an outline cut by the extract keeps a marker at the mean of its nodes, flagged', () => {
    const ex = new OsmExtract({ network: false });
    ex.addWay({ id: 50, refs: [1, 2, 3, 99, 1], tags: { leisure: 'park', name: 'Cut Park' } });
    ex.prepareNodeLookup();
    ex.setNodeCoord(1, 0, 0);
    ex.setNodeCoord(2, 1, 0);
    ex.setNodeCoord(3, 1, 1);
    const { facilities, rejected } = ex.facilities();
    expect(rejected).toEqual([]);
    expect(facilities[0]).toMatchObject({ source_id: 'way/50', footprint: null, attributes: { outline_incomplete: true } });
  });

  it('a facility none of whose nodes are in the extract is rejected with a reason', () => {
    const ex = new OsmExtract({ network: false });
    ex.addWay({ id: 51, refs: [7, 8, 9, 7], tags: { leisure: 'park' } });
    const { facilities, rejected } = ex.facilities();
    expect(facilities).toEqual([]);
    expect(rejected[0]).toMatchObject({ source_id: 'way/51', code: 'no_geometry' });
  });
});
