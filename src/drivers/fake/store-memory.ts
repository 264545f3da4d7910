/**
 * The in-memory engine of the fake cloud (the default): maps with the same indexes as the
 * SQLite tables, and an undo log so that a transaction that throws leaves nothing behind.
 */
import type { EngineIndex, StoreEngine } from './store-engine.js';

interface Entry extends EngineIndex {
  json: string;
}

type Index = Map<string, Map<string, Set<string>>>;

function indexAdd(index: Index, kind: string, value: string | null, id: string): void {
  if (value === null) return;
  let byValue = index.get(kind);
  if (!byValue) {
    byValue = new Map();
    index.set(kind, byValue);
  }
  let ids = byValue.get(value);
  if (!ids) {
    ids = new Set();
    byValue.set(value, ids);
  }
  ids.add(id);
}

function indexDelete(index: Index, kind: string, value: string | null, id: string): void {
  if (value === null) return;
  const ids = index.get(kind)?.get(value);
  ids?.delete(id);
  if (ids?.size === 0) index.get(kind)?.delete(value);
}

/** The state in the memory of this process. */
export class MemoryEngine implements StoreEngine {
  private readonly docs = new Map<string, Map<string, Entry>>();
  private readonly names: Index = new Map();
  private readonly parents: Index = new Map();
  private readonly ips = new Map<string, string>();
  private readonly ipsByOwner = new Map<string, Set<string>>();
  private readonly kv = new Map<string, unknown>();
  private undo: (() => void)[] | null = null;

  get inTransaction(): boolean {
    return this.undo !== null;
  }

  transaction<T>(fn: () => T): T {
    this.undo = [];
    try {
      const out = fn();
      this.undo = null;
      return out;
    } catch (error) {
      const log = this.undo ?? [];
      this.undo = null;
      for (let i = log.length - 1; i >= 0; i -= 1) log[i]?.();
      throw error;
    }
  }

  private record(step: () => void): void {
    this.undo?.push(step);
  }

  private kindMap(kind: string): Map<string, Entry> {
    let map = this.docs.get(kind);
    if (!map) {
      map = new Map();
      this.docs.set(kind, map);
    }
    return map;
  }

  get(kind: string, id: string): string | undefined {
    return this.docs.get(kind)?.get(id)?.json;
  }

  private lookup(index: Index, kind: string, value: string): string[] {
    const ids = index.get(kind)?.get(value);
    if (!ids) return [];
    const map = this.kindMap(kind);
    return [...ids].map((id) => map.get(id)?.json).filter((j): j is string => j !== undefined);
  }

  byName(kind: string, name: string): string[] {
    return this.lookup(this.names, kind, name);
  }

  byParent(kind: string, parent: string): string[] {
    return this.lookup(this.parents, kind, parent);
  }

  all(kind: string, now: number, project?: string): string[] {
    const out: string[] = [];
    for (const entry of this.kindMap(kind).values()) {
      if (entry.delAt !== null && entry.delAt <= now) continue;
      if (project !== undefined && entry.project !== project) continue;
      out.push(entry.json);
    }
    return out;
  }

  private unlink(kind: string, id: string, entry: Entry): void {
    indexDelete(this.names, kind, entry.name, id);
    indexDelete(this.parents, kind, entry.parent, id);
  }

  private link(kind: string, id: string, entry: Entry): void {
    indexAdd(this.names, kind, entry.name, id);
    indexAdd(this.parents, kind, entry.parent, id);
  }

  private write(kind: string, id: string, entry: Entry | undefined): void {
    const map = this.kindMap(kind);
    const old = map.get(id);
    if (old) this.unlink(kind, id, old);
    if (entry) {
      map.set(id, entry);
      this.link(kind, id, entry);
    } else map.delete(id);
  }

  put(kind: string, id: string, index: EngineIndex, json: string): void {
    const old = this.kindMap(kind).get(id);
    this.write(kind, id, { ...index, json });
    this.record(() => this.write(kind, id, old));
  }

  remove(kind: string, id: string): void {
    const old = this.kindMap(kind).get(id);
    if (!old) return;
    this.write(kind, id, undefined);
    this.record(() => this.write(kind, id, old));
  }

  sweep(now: number): void {
    for (const [kind, map] of this.docs)
      for (const [id, entry] of map)
        if (entry.delAt !== null && entry.delAt <= now) this.remove(kind, id);
  }

  ipOwner(subnet: string, addr: string): string | null {
    return this.ips.get(`${subnet} ${addr}`) ?? null;
  }

  private setIp(key: string, owner: string | undefined): void {
    const old = this.ips.get(key);
    if (old !== undefined) this.ipsByOwner.get(old)?.delete(key);
    if (owner === undefined) this.ips.delete(key);
    else {
      this.ips.set(key, owner);
      let keys = this.ipsByOwner.get(owner);
      if (!keys) {
        keys = new Set();
        this.ipsByOwner.set(owner, keys);
      }
      keys.add(key);
    }
    this.record(() => this.setIpRaw(key, old));
  }

  private setIpRaw(key: string, owner: string | undefined): void {
    const undo = this.undo;
    this.undo = null;
    this.setIp(key, owner);
    this.undo = undo;
  }

  takeIp(subnet: string, addr: string, owner: string): boolean {
    const key = `${subnet} ${addr}`;
    if (this.ips.has(key)) return false;
    this.setIp(key, owner);
    return true;
  }

  releaseOwner(owner: string): void {
    for (const key of [...(this.ipsByOwner.get(owner) ?? [])]) this.setIp(key, undefined);
  }

  releaseIp(subnet: string, addr: string): void {
    const key = `${subnet} ${addr}`;
    if (this.ips.has(key)) this.setIp(key, undefined);
  }

  getValue(key: string): unknown {
    return this.kv.get(key);
  }

  setValue(key: string, value: string | number | null): void {
    const had = this.kv.has(key);
    const old = this.kv.get(key);
    this.kv.set(key, value);
    this.record(() => (had ? this.kv.set(key, old) : this.kv.delete(key)));
  }

  addToCounter(key: string, delta: number): number {
    const value = Number(this.kv.get(key) ?? 0) + delta;
    this.setValue(key, value);
    return value;
  }

  valuesWithPrefix(prefix: string): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [key, value] of this.kv)
      if (key.startsWith(prefix)) out.set(key.slice(prefix.length), value);
    return out;
  }

  changedElsewhere(): boolean {
    return false;
  }

  close(): void {
    this.docs.clear();
    this.kv.clear();
    this.ips.clear();
    this.ipsByOwner.clear();
  }
}
