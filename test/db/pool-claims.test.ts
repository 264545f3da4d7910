/**
 * Claims on pooled resources (`senlin_ts_pool_claim`) on every dialect: two connections
 * racing for the same candidates never get the same resource, claims of deleted nodes are
 * given up, and a release frees the resource for the next node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import {
  claimResource,
  claimsOfNode,
  dropStaleClaims,
  releaseClaim,
} from '../../src/db/queries/pool-claims.js';
import { testDialects } from './dialects.js';

const dialects = await testDialects();

async function addNode(db: Db, id: string): Promise<void> {
  await db.kysely
    .insertInto('node')
    .values({
      id,
      name: id,
      profile_id: 'prof',
      cluster_id: '',
      index: -1,
      status: 'INIT',
      user: 'u',
      project: 'p',
    } as never)
    .execute();
}

describe.each(dialects)('pool claims on $name', (dialect) => {
  let a: Db;
  let b: Db;
  beforeAll(async () => {
    const url = (await dialect.freshDatabase()).url;
    a = await openDatabase({ connection: url });
    await syncSchema(a);
    await a.kysely
      .insertInto('profile')
      .values({ id: 'prof', name: 'prof', type: 'os.nova.server-1.1', user: 'u', project: 'p' })
      .execute();
    b = await openDatabase({ connection: url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const request = (nodeId: string, candidates: string[]) => ({
    kind: 'volume',
    pool: 'volume:p1',
    candidates,
    nodeId,
    sticky: false,
    now: new Date(),
  });

  it('two engines claiming from one pool at the same time never share a resource', async () => {
    const candidates = Array.from({ length: 6 }, (_, i) => `vol-${i}`);
    const nodes = Array.from({ length: 8 }, (_, i) => `race-node-${i}`);
    for (const id of nodes) await addNode(a, id);
    const results = await Promise.all(
      nodes.map((id, i) =>
        (i % 2 === 0 ? a : b).retry((k) => claimResource(k, request(id, candidates))),
      ),
    );
    const won = results.filter((r): r is string => r !== null);
    expect(won).toHaveLength(6);
    expect(new Set(won).size).toBe(6);
    expect(results.filter((r) => r === null)).toHaveLength(2);
  });

  it('a released resource can be claimed by another node', async () => {
    await addNode(a, 'rel-1');
    await addNode(a, 'rel-2');
    expect(await a.retry((k) => claimResource(k, request('rel-1', ['only'])))).toBe('only');
    expect(await b.retry((k) => claimResource(k, request('rel-2', ['only'])))).toBeNull();
    await a.retry((k) => releaseClaim(k, 'volume', 'only', 'rel-2'));
    expect(await b.retry((k) => claimResource(k, request('rel-2', ['only'])))).toBeNull();
    await a.retry((k) => releaseClaim(k, 'volume', 'only', 'rel-1'));
    expect(await b.retry((k) => claimResource(k, request('rel-2', ['only'])))).toBe('only');
    expect(await a.retry((k) => claimsOfNode(k, 'rel-2'))).toEqual([
      { kind: 'volume', pool: 'volume:p1', resourceId: 'only', nodeId: 'rel-2', sticky: false },
    ]);
  });

  it('the claims of a node that no longer exists are given up', async () => {
    await addNode(a, 'stale-2');
    await a.retry((k) => claimResource(k, { ...request('stale-gone', ['s1']), sticky: true }));
    await a.retry((k) => dropStaleClaims(k, 'volume'));
    expect(await a.retry((k) => claimsOfNode(k, 'stale-gone'))).toEqual([]);
    expect(await b.retry((k) => claimResource(k, request('stale-2', ['s1'])))).toBe('s1');
  });
});
