import { describe, expect, it } from 'vitest';
import { edgeAttributes, isCrossingNode, isWalkableWay } from './walkable';

describe('walkable ways', () => {
  it.each([
    [{ highway: 'footway' }, true],
    [{ highway: 'steps' }, true],
    [{ highway: 'primary', sidewalk: 'no' }, true],
    [{ highway: 'service', access: 'private' }, false],
    [{ highway: 'service', access: 'private', foot: 'yes' }, true],
    [{ highway: 'footway', foot: 'no' }, false],
    [{ highway: 'motorway' }, false],
    [{ highway: 'trunk', foot: 'yes' }, true],
    [{ highway: 'trunk', sidewalk: 'both' }, true],
    [{ highway: 'cycleway' }, false],
    [{ highway: 'cycleway', foot: 'designated' }, true],
    [{ highway: 'construction' }, false],
    [{ building: 'yes' }, false],
  ])('%j → %s', (tags, want) => {
    expect(isWalkableWay(tags)).toBe(want);
  });

  it('keeps the attributes routing needs', () => {
    expect(edgeAttributes({ highway: 'steps', step_count: '24', incline: 'up', handrail: 'yes', name: '十八梯' })).toMatchObject({
      highway: 'steps',
      is_steps: true,
      step_count: 24,
      incline: 'up',
      name: '十八梯',
      oneway_foot: false,
      tags: { handrail: 'yes' },
    });
    expect(edgeAttributes({ highway: 'footway', footway: 'crossing', 'crossing:signals': 'yes' }).crossing).toBe('traffic_signals');
    expect(edgeAttributes({ highway: 'footway', footway: 'crossing', crossing: 'uncontrolled' }).crossing).toBe('uncontrolled');
    expect(edgeAttributes({ highway: 'primary', oneway: 'yes' }).oneway_foot).toBe(false); // cars' oneway does not bind walkers
    expect(edgeAttributes({ highway: 'footway', oneway: '-1' })).toMatchObject({ oneway_foot: true, reverse: true });
    expect(isCrossingNode({ highway: 'crossing', crossing: 'zebra' })).toBe(true);
    expect(isCrossingNode({ highway: 'traffic_signals' })).toBe(false);
  });
});
