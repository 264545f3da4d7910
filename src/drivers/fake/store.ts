/**
 * The state of the fake cloud: every resource as a JSON document, kept by an engine (maps in
 * this process, or an SQLite file shared by several processes). A document carries the resource as
 * the API shows it (`r`), internal bookkeeping (`x`) and timed changes (`p`) that take effect
 * when their time has come. Reads apply due changes without writing, so a transition started
 * by one process is seen at the same moment by every other process.
 */
import type { Resource } from '../types.js';
import type { StoreEngine } from './store-engine.js';
import { MemoryEngine } from './store-memory.js';
import { SqliteEngine } from './store-sqlite.js';

/** A change that takes effect at `at` (epoch milliseconds). */
export interface Pending {
  at: number;
  /** Top-level keys of the resource to set. */
  set?: Record<string, unknown>;
  /** Keys of the internal bookkeeping to set. */
  x?: Record<string, unknown>;
  /** The resource disappears. */
  del?: true;
}

/** A stored resource. */
export interface Doc<R extends Resource = Resource> {
  r: R;
  x: Record<string, unknown>;
  p: Pending[];
}

/** Columns used to find documents without reading them all. */
export interface DocIndex {
  name?: string | null;
  parent?: string | null;
  project?: string | null;
}

/** How each kind of resource fills the index columns (evaluated on the final state). */
export type Indexer = (doc: Doc) => DocIndex;

/** Applies the due changes of a document (mutating it); null when it has disappeared. */
export function settle<R extends Resource>(doc: Doc<R>, now: number): Doc<R> | null {
  if (doc.p.length === 0) return doc;
  const remaining: Pending[] = [];
  for (const step of doc.p) {
    if (step.at > now) {
      remaining.push(step);
      continue;
    }
    if (step.del) return null;
    if (step.set) Object.assign(doc.r, step.set);
    if (step.x) Object.assign(doc.x, step.x);
  }
  doc.p = remaining;
  return doc;
}

/** Adds a timed change, keeping changes in time order. */
export function schedule(doc: Doc, step: Pending): void {
  let i = doc.p.length;
  while (i > 0 && (doc.p[i - 1]?.at ?? 0) > step.at) i -= 1;
  doc.p.splice(i, 0, step);
}

/** The earliest time a change of the document is due, or null. */
export function nextDue(doc: Doc): number | null {
  return doc.p[0]?.at ?? null;
}

function finalState(doc: Doc): Doc {
  if (doc.p.length === 0) return doc;
  const r = { ...doc.r };
  const x = { ...doc.x };
  for (const step of doc.p) {
    if (step.set) Object.assign(r, step.set);
    if (step.x) Object.assign(x, step.x);
  }
  return { r, x, p: [] };
}

function deletionTime(doc: Doc): number | null {
  for (const step of doc.p) if (step.del) return step.at;
  return null;
}

/** Synchronous access to the documents; every method sees due changes applied. */
export class FakeStore {
  readonly path: string | null;
  private readonly engine: StoreEngine;
  private readonly indexers: Readonly<Record<string, Indexer>>;
  private lastSweep = 0;

  /** A store in the SQLite file `path` (shared between processes), or in memory when null. */
  constructor(path: string | null, indexers: Readonly<Record<string, Indexer>>) {
    this.path = path;
    this.indexers = indexers;
    this.engine = path ? new SqliteEngine(path) : new MemoryEngine();
  }

  /** The current time in epoch milliseconds. */
  now(): number {
    return Date.now();
  }

  /** Runs `fn` in one write transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    if (this.engine.inTransaction) return fn();
    return this.engine.transaction(fn);
  }

  private settleAll<R extends Resource>(texts: string[]): Doc<R>[] {
    const now = this.now();
    const out: Doc<R>[] = [];
    for (const text of texts) {
      const doc = settle(JSON.parse(text) as Doc<R>, now);
      if (doc) out.push(doc);
    }
    return out;
  }

  /** The settled document, or null when absent or deleted. */
  get<R extends Resource = Resource>(kind: string, id: string): Doc<R> | null {
    const text = this.engine.get(kind, id);
    return text === undefined ? null : settle(JSON.parse(text) as Doc<R>, this.now());
  }

  /** Settled documents whose name column equals `name`. */
  byName<R extends Resource = Resource>(kind: string, name: string): Doc<R>[] {
    return this.settleAll<R>(this.engine.byName(kind, name));
  }

  /** Settled documents whose parent column equals `parent`. */
  byParent<R extends Resource = Resource>(kind: string, parent: string): Doc<R>[] {
    return this.settleAll<R>(this.engine.byParent(kind, parent));
  }

  /** Every settled document of a kind (optionally of one project), oldest first. */
  list<R extends Resource = Resource>(kind: string, project?: string): Doc<R>[] {
    return this.settleAll<R>(this.engine.all(kind, this.now(), project));
  }

  /** Inserts or replaces a document. */
  put(kind: string, doc: Doc): void {
    const index = this.indexers[kind]?.(finalState(doc)) ?? {};
    this.engine.put(
      kind,
      doc.r.id,
      {
        name: index.name ?? null,
        parent: index.parent ?? null,
        project: index.project ?? null,
        delAt: deletionTime(doc),
      },
      JSON.stringify(doc),
    );
    const now = this.now();
    if (now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      this.engine.sweep(now);
    }
  }

  /** Removes a document at once. */
  remove(kind: string, id: string): void {
    this.engine.remove(kind, id);
  }

  /** Owner of an address in a subnet, or null. */
  ipOwner(subnet: string, addr: string): string | null {
    return this.engine.ipOwner(subnet, addr);
  }

  /** Records an address as used by `owner`; false when it is already taken. */
  takeIp(subnet: string, addr: string, owner: string): boolean {
    return this.engine.takeIp(subnet, addr, owner);
  }

  /** Frees the addresses of an owner. */
  releaseIps(owner: string): void {
    this.engine.releaseOwner(owner);
  }

  /** Frees one address. */
  releaseIp(subnet: string, addr: string): void {
    this.engine.releaseIp(subnet, addr);
  }

  /** A stored value, or undefined. */
  getValue(key: string): unknown {
    return this.engine.getValue(key);
  }

  /** Values whose keys start with `prefix`, keyed by the rest of the key. */
  valuesWithPrefix(prefix: string): Map<string, unknown> {
    return this.engine.valuesWithPrefix(prefix);
  }

  /** Stores a value (string, number or null). */
  setValue(key: string, value: string | number | null): void {
    this.engine.setValue(key, value);
  }

  /** Adds `delta` to a counter (starting at 0) and returns the new value. */
  addToCounter(key: string, delta = 1): number {
    return this.engine.addToCounter(key, delta);
  }

  /** True when another process has written since the last call. */
  changedElsewhere(): boolean {
    return this.engine.changedElsewhere();
  }

  /** Closes the state. */
  close(): void {
    this.engine.close();
  }
}
