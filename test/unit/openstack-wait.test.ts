import { describe, expect, it } from 'vitest';
import { waitForStatus, waitTiming } from '../../src/drivers/openstack/wait.js';
import { CloudError, CloudNotFound, CloudWaitFailed } from '../../src/drivers/types.js';

interface Thing {
  status: string;
  why?: string;
}

/** Reads the given statuses in turn (the last one forever); counts the reads. */
function reader(...statuses: (string | Error)[]) {
  let reads = 0;
  const read = async (): Promise<Thing> => {
    const next = statuses[Math.min(reads, statuses.length - 1)];
    reads += 1;
    if (next instanceof Error) throw next;
    return { status: String(next), why: 'disk full' };
  };
  return { read, reads: () => reads };
}

const status = (t: Thing): string => t.status;

describe('the wait for a status of the OpenStack drivers', () => {
  it('polls until one of the statuses is reached, whatever its case', async () => {
    const r = reader('BUILD', 'BUILD', 'active');
    const done = await waitForStatus(r.read, status, {
      until: ['ACTIVE'],
      timeoutMs: 5_000,
      intervalMs: 1,
      what: 'Server s',
    });
    expect(done.status).toBe('active');
    expect(r.reads()).toBe(3);
  });

  it('fails at once on a failure status, with the reason', async () => {
    const r = reader('BUILD', 'ERROR', 'ACTIVE');
    const error = await waitForStatus(r.read, status, {
      until: ['ACTIVE'],
      failOn: ['ERROR'],
      timeoutMs: 5_000,
      intervalMs: 1,
      what: 'Server s',
      reasonOf: (t) => t.why ?? null,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect((error as Error).message).toBe('Server s went to status ERROR: disk full.');
    expect(r.reads()).toBe(2);
  });

  it('times out with the last status seen', async () => {
    const r = reader('BUILD');
    const error = await waitForStatus(r.read, status, {
      until: ['ACTIVE'],
      timeoutMs: 30,
      intervalMs: 5,
      what: 'Server s',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect((error as Error).message).toMatch(
      /^Timed out after .*s waiting for Server s to be ACTIVE \(status BUILD\)\.$/,
    );
    expect(r.reads()).toBeGreaterThan(1);
  });

  it('rejects with the reason of the signal as soon as it aborts', async () => {
    const r = reader('BUILD');
    const controller = new AbortController();
    const reason = new Error('action cancelled');
    const pending = waitForStatus(r.read, status, {
      until: ['ACTIVE'],
      timeoutMs: 60_000,
      intervalMs: 60_000,
      what: 'Server s',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(r.reads()).toBe(1);
  });

  it('rejects without reading when the signal has already aborted', async () => {
    const r = reader('ACTIVE');
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(
      waitForStatus(r.read, status, {
        until: ['ACTIVE'],
        timeoutMs: 1_000,
        what: 'x',
        signal: controller.signal,
      }),
    ).rejects.toThrow('gone');
    expect(r.reads()).toBe(0);
  });

  it('ends a wait for deletion when the resource is not found', async () => {
    const r = reader('DELETING', new CloudNotFound('gone'));
    const done = await waitForStatus(r.read, status, {
      until: ['DELETED'],
      timeoutMs: 5_000,
      intervalMs: 1,
      what: 'Volume v',
      notFoundIsDone: true,
    });
    expect(done).toBeNull();
  });

  it('passes other read failures on, and a 404 when the resource was expected to stay', async () => {
    await expect(
      waitForStatus(reader(new CloudError(500, 'boom')).read, status, {
        until: ['ACTIVE'],
        timeoutMs: 1_000,
        what: 'x',
      }),
    ).rejects.toThrow('boom');
    await expect(
      waitForStatus(reader(new CloudNotFound('gone')).read, status, {
        until: ['ACTIVE'],
        timeoutMs: 1_000,
        what: 'x',
      }),
    ).rejects.toBeInstanceOf(CloudNotFound);
  });

  it("takes the caller's timeout and the faster of both intervals", () => {
    const defaults = { timeoutSeconds: 600, intervalMs: 2_000 };
    expect(waitTiming({ timeout: 30, interval: 10 }, defaults)).toEqual({
      timeoutMs: 30_000,
      intervalMs: 2_000,
    });
    expect(waitTiming({ timeout: 0, interval: 0.5 }, defaults)).toEqual({
      timeoutMs: 600_000,
      intervalMs: 500,
    });
  });
});
