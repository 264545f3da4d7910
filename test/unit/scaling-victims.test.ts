import { describe, expect, it } from 'vitest';
import {
  filterErrorNodes,
  nodesByAge,
  nodesByProfileAge,
  nodesByRandom,
  type VictimCandidate,
} from '../../src/common/scaling.js';

const day = (d: number): Date => new Date(Date.UTC(2024, 0, d));

function node(id: string, over: Partial<VictimCandidate> = {}): VictimCandidate {
  return { id, status: 'ACTIVE', tainted: false, createdAt: day(1), profileId: 'p1', ...over };
}

/** A random source that replays the given values. */
function replay(...values: number[]): () => number {
  let i = 0;
  return () => {
    const v = values[i++];
    if (v === undefined) throw new Error('random source exhausted');
    return v;
  };
}

const errored = node('err', { status: 'ERROR' });
const warned = node('warn', { status: 'WARNING' });
const tainted = node('taint', { tainted: true });
const unborn = node('unborn', { createdAt: null });

describe('filterErrorNodes', () => {
  it('puts ERROR, WARNING and tainted nodes in the bad list in their order', () => {
    const { bad } = filterErrorNodes([node('a'), tainted, errored, warned]);
    expect(bad).toEqual(['taint', 'err', 'warn']);
  });

  it('puts never-created nodes after the unhealthy ones', () => {
    const { bad } = filterErrorNodes([unborn, node('a'), errored]);
    expect(bad).toEqual(['err', 'unborn']);
  });

  it('counts a tainted node without creation time as unhealthy', () => {
    const { bad } = filterErrorNodes([unborn, node('x', { tainted: true, createdAt: null })]);
    expect(bad).toEqual(['x', 'unborn']);
  });

  it('keeps the healthy nodes as good', () => {
    const a = node('a');
    const b = node('b', { status: 'CREATING' });
    const { good } = filterErrorNodes([a, errored, b]);
    expect(good).toEqual([a, b]);
  });
});

describe('nodesByRandom', () => {
  it('returns only bad nodes when they are enough', () => {
    expect(nodesByRandom([node('a'), errored, warned], 1, replay())).toEqual(['err']);
  });

  it('draws the rest among good nodes without replacement', () => {
    const nodes = [node('a'), node('b'), node('c'), errored];
    // picks index 2 of [a, b, c], then index 0 of [a, b]
    expect(nodesByRandom(nodes, 3, replay(0.9, 0.1))).toEqual(['err', 'c', 'a']);
  });

  it('never picks the same node twice', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const picked = nodesByRandom(nodes, 3, replay(0, 0, 0));
    expect(picked).toEqual(['a', 'b', 'c']);
  });

  it('returns every node when asked for more than exist', () => {
    const nodes = [node('a'), unborn];
    expect(nodesByRandom(nodes, 5, replay(0.5))).toEqual(['unborn', 'a']);
  });

  it('returns nothing for a count of zero', () => {
    expect(nodesByRandom([errored, node('a')], 0, replay())).toEqual([]);
  });

  it('uses Math.random when no source is given', () => {
    const picked = nodesByRandom([node('a'), node('b'), node('c')], 2);
    expect(picked).toHaveLength(2);
    expect(new Set(picked).size).toBe(2);
  });
});

describe('nodesByAge', () => {
  const young = node('young', { createdAt: day(9) });
  const middle = node('middle', { createdAt: day(5) });
  const old = node('old', { createdAt: day(1) });

  it('picks the oldest nodes first when asked', () => {
    expect(nodesByAge([middle, young, old], 2, true)).toEqual(['old', 'middle']);
  });

  it('picks the youngest nodes first otherwise', () => {
    expect(nodesByAge([middle, old, young], 2, false)).toEqual(['young', 'middle']);
  });

  it('picks bad nodes before any healthy one', () => {
    expect(nodesByAge([old, unborn, young, tainted], 3, true)).toEqual(['taint', 'unborn', 'old']);
  });

  it('truncates the bad nodes to the count', () => {
    expect(nodesByAge([old, errored, warned], 1, true)).toEqual(['err']);
  });

  it('returns every node when asked for more than exist', () => {
    expect(nodesByAge([young, old], 4, false)).toEqual(['young', 'old']);
  });
});

describe('nodesByProfileAge', () => {
  const profiles = new Map<string, Date | null>([
    ['p-new', day(20)],
    ['p-old', day(2)],
  ]);
  const onNew = node('on-new', { profileId: 'p-new', createdAt: day(1) });
  const onOld = node('on-old', { profileId: 'p-old', createdAt: day(30) });
  const onGone = node('on-gone', { profileId: 'p-gone' });

  it('picks nodes of the oldest profile first', () => {
    expect(nodesByProfileAge([onNew, onOld], 1, profiles)).toEqual(['on-old']);
  });

  it('picks bad nodes before any healthy one', () => {
    expect(nodesByProfileAge([onOld, errored, onNew], 2, profiles)).toEqual(['err', 'on-old']);
  });

  it('treats a node with an unknown profile time as the oldest', () => {
    expect(nodesByProfileAge([onNew, onOld, onGone], 2, profiles)).toEqual(['on-gone', 'on-old']);
  });
});
