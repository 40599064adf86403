import { describe, expect, it } from 'vitest';
import { analyseCategory } from './coverage';
import { dasymetricPopulation, facilitiesNearCells, streetLengthPerCell } from './dasymetric';
import { euclideanPairs, networkPairs, twoStepFca } from './fca';
import { coverageGaps } from './gaps';
import { buildWalkingGraph, graphSegments, joinCells, networkFromGeoJSON } from './graph';
import { buildGrid, cellsFromGrid } from './grid';
import { loadFixture } from './fixtures/load';
import { syntheticCity } from './synthetic';
import { addFacilities, createScenario, removeFacilities, suggestSites } from './whatif';

// Turf's habit: inputs are never mutated, and a test proves it. Every public operation runs
// on deep copies' originals and the originals must equal their copies afterwards.
describe('inputs are never mutated', () => {
  it('grid, dasymetric, coverage, 2SFCA, gaps and what-if leave their inputs alone', () => {
    const fx = loadFixture('river-one-bridge');
    const city = syntheticCity({ seed: 5, widthM: 2000, heightM: 2000, facilityCount: 12 });
    const inputs = {
      fc: fx.fc,
      districts: city.districts,
      network: city.network!,
      facilities: city.facilities,
      cells: city.cells,
      grid: city.grid,
    };
    const before = structuredClone(inputs);

    const grid = buildGrid(inputs.districts, { cellSizeM: 200 });
    const graph = buildWalkingGraph(inputs.network);
    buildWalkingGraph(networkFromGeoJSON(inputs.fc));
    const streets = streetLengthPerCell(inputs.grid, graphSegments(graph));
    const near = facilitiesNearCells(inputs.grid, inputs.facilities, 500);
    const census = inputs.districts.map(() => ({ population: 1000, urbanShare: 0.7, children: { children_3_5: 30 } }));
    dasymetricPopulation(inputs.grid, census, { streetLengthM: streets, facilityCount: near });
    cellsFromGrid(grid, new Float64Array(grid.count));
    const join = joinCells(graph, inputs.cells);
    const a = analyseCategory({ category: 'kindergarten', cells: inputs.cells, facilities: inputs.facilities, graph, join });
    twoStepFca(inputs.cells, inputs.facilities, euclideanPairs(inputs.cells, inputs.facilities, 300), { ageGroup: 'children_3_5' });
    twoStepFca(inputs.cells, inputs.facilities, networkPairs(graph, join, inputs.facilities, 300), { ageGroup: 'children_3_5' });
    coverageGaps(inputs.cells, a.network!.cells, { ageGroup: 'children_3_5' });
    for (const mode of ['euclidean', 'network'] as const) {
      const s = createScenario({ mode, cells: inputs.cells, facilities: inputs.facilities, radiusM: 300, graph, join });
      const s2 = addFacilities(s, [[inputs.facilities.lng[0] + 0.001, inputs.facilities.lat[0]]]).scenario;
      removeFacilities(s2, [0, 12]);
      suggestSites(s, { k: 2, ageGroup: 'children_3_5' });
    }
    expect(inputs).toEqual(before);
  });
});
