/**
 * Health registrations shared by health managers through the database, on every dialect:
 * atomic claims, load spread over the live managers, takeover of a crashed manager's
 * registrations and hand-back by a stopping one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/codec.js';
import { HealthManager } from '../../src/health/index.js';
import { claimOrphans, takeFrom } from '../../src/health/registry-store.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { testConfig, testServices } from '../support/engine.js';
import { heartbeatingRow, owners, registeredClusters } from './registry-support.js';
import { until } from './support.js';

const dialects = await testDialects();
const PERIOD = 1;

describe.each(dialects)('health registrations on $name', (dialect) => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  async function services() {
    const db = await openFresh(dialect);
    return testServices(db, { config: testConfig({ DEFAULT: { periodic_interval: PERIOD } }) });
  }

  function manager(svc: ReturnType<typeof testServices>, serviceId: string): HealthManager {
    const m = new HealthManager({ services: svc, serviceId });
    stops.push(() => m.stop());
    m.start();
    return m;
  }

  it('gives each row to exactly one of several managers claiming at the same time', async () => {
    const svc = await services();
    await registeredClusters(svc, 30);
    const live = ['m-1', 'm-2', 'm-3'];
    const claimed = await Promise.all(live.map((id) => claimOrphans(svc.db, id, live)));
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(30);
    const counts = await owners(svc.db);
    expect(counts.get(null)).toBeUndefined();
    expect([...counts.keys()].every((k) => k !== null && live.includes(k))).toBe(true);
    expect(
      live.map((id) => counts.get(id) ?? 0),
      'what each claim reported is what it got',
    ).toEqual(claimed);
  });

  it('claims rows of managers that are not live and leaves those of live ones', async () => {
    const svc = await services();
    await registeredClusters(svc, 4);
    await claimOrphans(svc.db, 'live-one', ['live-one']);
    expect(await takeFrom(svc.db, 'dead-one', 'live-one', 2)).toBe(2);
    expect(await claimOrphans(svc.db, 'me', ['me', 'live-one'])).toBe(2);
    const counts = await owners(svc.db);
    expect(counts.get('me')).toBe(2);
    expect(counts.get('live-one')).toBe(2);
    expect(counts.get('dead-one')).toBeUndefined();
  });

  it('spreads the registrations over the live managers and takes over a crashed one', async () => {
    const svc = await services();
    const clusters = await registeredClusters(svc, 7);
    const rowA = await heartbeatingRow(svc.db, PERIOD / 2);
    const rowB = await heartbeatingRow(svc.db, PERIOD / 2);
    stops.push(async () => {
      rowA.stopHeartbeat();
      rowB.stopHeartbeat();
    });

    const a = manager(svc, rowA.id);
    await until('A to own everything', async () => (await owners(svc.db)).get(rowA.id) === 7);
    await until('A to watch every cluster', () => a.snapshot().length === 7);

    const b = manager(svc, rowB.id);
    await until('the load to be shared', async () => {
      const counts = await owners(svc.db);
      const shares = [counts.get(rowA.id) ?? 0, counts.get(rowB.id) ?? 0].sort();
      return shares[0] === 3 && shares[1] === 4;
    });
    await until('the watches to follow', () => a.snapshot().length + b.snapshot().length === 7);
    const watched = [...a.snapshot(), ...b.snapshot()].map((s) => s.clusterId).sort();
    expect(watched).toEqual([...clusters].sort());

    // A crashes: no more heartbeats, its watches stop, its rows stay its own.
    rowA.stopHeartbeat();
    await a.stop({ release: false });
    expect((await owners(svc.db)).get(rowA.id)).toBeGreaterThan(0);
    await until('B to own everything', async () => (await owners(svc.db)).get(rowB.id) === 7);
    await until('B to watch every cluster', () => b.snapshot().length === 7);
    await until('the dead manager row to be removed', async () => {
      const row = await svc.db.retry((k) =>
        k.selectFrom('service').select('id').where('id', '=', rowA.id).executeTakeFirst(),
      );
      return !row;
    });
  });

  it('hands the registrations of a stopping manager to the others at once', async () => {
    const svc = await services();
    await registeredClusters(svc, 4);
    const rowA = await heartbeatingRow(svc.db, PERIOD / 2);
    const rowB = await heartbeatingRow(svc.db, PERIOD / 2);
    stops.push(async () => {
      rowA.stopHeartbeat();
      rowB.stopHeartbeat();
    });
    const a = manager(svc, rowA.id);
    const b = manager(svc, rowB.id);
    await until('the load to be shared', async () => {
      const counts = await owners(svc.db);
      return counts.get(rowA.id) === 2 && counts.get(rowB.id) === 2;
    });
    await b.stop();
    // B's heartbeat goes on (its row looks live) yet A gets everything: B gave its rows back.
    await until('A to own everything', async () => (await owners(svc.db)).get(rowA.id) === 4);
    await until('A to watch every cluster', () => a.snapshot().length === 4);
  });

  it('judges a manager dead only when its heartbeat is older than two intervals', async () => {
    const svc = await services();
    await registeredClusters(svc, 2);
    const stale = await heartbeatingRow(svc.db, PERIOD);
    stale.stopHeartbeat();
    const recent = new Date(Date.now() - (PERIOD * 1000) / 2);
    await svc.db.retry((k) =>
      k
        .updateTable('service')
        .set({ updated_at: toDbTime(recent) })
        .where('id', '=', stale.id)
        .execute(),
    );
    await claimOrphans(svc.db, stale.id, [stale.id]);
    const me = await heartbeatingRow(svc.db, PERIOD / 2);
    stops.push(async () => me.stopHeartbeat());
    // Swept by hand (not started), so that only these sweeps claim anything.
    const m = new HealthManager({ services: svc, serviceId: me.id });
    stops.push(() => m.stop());
    const first = await m.sweep();
    // A live manager keeps its registrations but shares: one moves, one stays.
    expect(first).toMatchObject({ claimed: 0, taken: 1 });
    expect((await owners(svc.db)).get(stale.id)).toBe(1);
    await until('the stale manager to be judged dead', async () => {
      await m.sweep();
      return (await owners(svc.db)).get(me.id) === 2;
    });
  });
});
