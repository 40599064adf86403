import { describe, expect, it } from 'vitest';
import {
  CONTROL,
  LIT,
  ROAD,
  SIDEWALK,
  controlOf,
  crossingGrade,
  crossingPenaltyM,
  edgeFactor,
  edgeGrade,
  edgeReasons,
  litOf,
  roadClassOf,
  sidewalkOf,
} from './safety';

describe('the safety rule', () => {
  it('orders road classes by traffic risk, links as their road', () => {
    expect(roadClassOf('primary_link')).toBe(ROAD.PRIMARY);
    expect(roadClassOf('residential')).toBe(ROAD.MINOR);
    expect(roadClassOf('footway')).toBe(ROAD.FOOT);
    expect(roadClassOf('steps')).toBe(ROAD.FOOT);
    expect(ROAD.PRIMARY).toBeGreaterThan(ROAD.SECONDARY);
  });

  it('prices crossings: primary unmarked 300, zebra 150, lights 60; residential 30 / 6', () => {
    expect(crossingPenaltyM(ROAD.PRIMARY, CONTROL.UNMARKED, false)).toBe(300);
    expect(crossingPenaltyM(ROAD.PRIMARY, CONTROL.MARKED, false)).toBe(150);
    expect(crossingPenaltyM(ROAD.PRIMARY, CONTROL.SIGNALS, false)).toBe(60);
    expect(crossingPenaltyM(ROAD.MINOR, CONTROL.UNMARKED, false)).toBe(30);
    expect(crossingPenaltyM(ROAD.MINOR, CONTROL.SIGNALS, false)).toBeCloseTo(6);
    expect(crossingPenaltyM(ROAD.PRIMARY, CONTROL.UNMARKED, true)).toBe(225);
    expect(crossingPenaltyM(ROAD.FOOT, CONTROL.UNMARKED, false)).toBe(0);
  });

  it('prices walking along: sidewalks are safe, main roads without are not, unlit adds 0.1', () => {
    expect(edgeFactor({ cls: ROAD.FOOT, sidewalk: SIDEWALK.UNKNOWN, lit: LIT.UNKNOWN })).toBe(1);
    expect(edgeFactor({ cls: ROAD.PRIMARY, sidewalk: SIDEWALK.NO, lit: LIT.UNKNOWN })).toBe(3);
    expect(edgeFactor({ cls: ROAD.PRIMARY, sidewalk: SIDEWALK.SEPARATE, lit: LIT.UNKNOWN })).toBe(3);
    expect(edgeFactor({ cls: ROAD.SECONDARY, sidewalk: SIDEWALK.UNKNOWN, lit: LIT.NO })).toBeCloseTo(1.6);
    expect(edgeFactor({ cls: ROAD.MINOR, sidewalk: SIDEWALK.YES, lit: LIT.YES })).toBe(1);
  });

  it('reads crossing controls from OSM tags', () => {
    expect(controlOf({ highway: 'crossing', crossing: 'traffic_signals' })).toBe(CONTROL.SIGNALS);
    expect(controlOf({ highway: 'crossing', 'crossing:signals': 'yes' })).toBe(CONTROL.SIGNALS);
    expect(controlOf({ highway: 'traffic_signals' })).toBe(CONTROL.SIGNALS);
    expect(controlOf({ highway: 'crossing', crossing: 'zebra' })).toBe(CONTROL.MARKED);
    expect(controlOf({ highway: 'crossing', crossing: 'uncontrolled' })).toBe(CONTROL.MARKED);
    expect(controlOf({ highway: 'crossing', crossing_ref: 'zebra' })).toBe(CONTROL.MARKED);
    expect(controlOf({ highway: 'crossing', crossing: 'unmarked' })).toBe(CONTROL.UNMARKED);
    expect(controlOf({ highway: 'crossing' })).toBe(CONTROL.UNKNOWN);
    expect(controlOf({})).toBe(CONTROL.NONE);
  });

  it('reads sidewalk and lit values', () => {
    expect(sidewalkOf('both')).toBe(SIDEWALK.YES);
    expect(sidewalkOf('none')).toBe(SIDEWALK.NO);
    expect(sidewalkOf('separate')).toBe(SIDEWALK.SEPARATE);
    expect(sidewalkOf(null)).toBe(SIDEWALK.UNKNOWN);
    expect(litOf('no')).toBe(LIT.NO);
    expect(litOf('24/7')).toBe(LIT.YES);
  });

  it('grades segments and crossings in words, steps at least "caution"', () => {
    expect(edgeGrade(1, false)).toBe('safe');
    expect(edgeGrade(1, true)).toBe('caution');
    expect(edgeGrade(1.8, false)).toBe('unsafe');
    expect(edgeGrade(3, false)).toBe('dangerous');
    expect(crossingGrade(6)).toBe('safe');
    expect(crossingGrade(60)).toBe('caution');
    expect(crossingGrade(150)).toBe('unsafe');
    expect(crossingGrade(300)).toBe('dangerous');
    expect(edgeReasons({ cls: ROAD.PRIMARY, sidewalk: SIDEWALK.NO, lit: LIT.NO, isSteps: false })).toEqual([
      'no_sidewalk',
      'major_road',
      'unlit',
    ]);
  });
});
