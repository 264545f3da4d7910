/**
 * The SQLite engine of the fake cloud: one file (WAL, busy timeout) that several processes
 * open at once, so they all see the same cloud.
 */
import Database from 'better-sqlite3';
import type { EngineIndex, StoreEngine } from './store-engine.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS res (
  kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT, parent TEXT, project TEXT, del_at REAL,
  doc TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS res_name ON res (kind, name);
CREATE INDEX IF NOT EXISTS res_parent ON res (kind, parent);
CREATE INDEX IF NOT EXISTS res_project ON res (kind, project);
CREATE INDEX IF NOT EXISTS res_del ON res (del_at) WHERE del_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS ip (
  subnet TEXT NOT NULL, addr TEXT NOT NULL, owner TEXT NOT NULL,
  PRIMARY KEY (subnet, addr)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ip_owner ON ip (owner);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
`;

type Row = { doc: string };

// The (kind, id) primary key index would otherwise be chosen for every lookup; INDEXED BY
// makes SQLite use the index that matches the other column.
function statements(db: Database.Database) {
  return {
    get: db.prepare<[string, string], Row>('SELECT doc FROM res WHERE kind = ? AND id = ?'),
    byName: db.prepare<[string, string], Row>(
      'SELECT doc FROM res INDEXED BY res_name WHERE kind = ? AND name = ?',
    ),
    byParent: db.prepare<[string, string], Row>(
      'SELECT doc FROM res INDEXED BY res_parent WHERE kind = ? AND parent = ?',
    ),
    all: db.prepare<[string, number], Row>(
      'SELECT doc FROM res WHERE kind = ? AND (del_at IS NULL OR del_at > ?) ORDER BY rowid',
    ),
    byProject: db.prepare<[string, string, number], Row>(
      'SELECT doc FROM res INDEXED BY res_project WHERE kind = ? AND project = ? AND (del_at IS NULL OR del_at > ?) ORDER BY rowid',
    ),
    put: db.prepare(
      'INSERT INTO res (kind, id, name, parent, project, del_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name, parent = excluded.parent, project = excluded.project, del_at = excluded.del_at, doc = excluded.doc',
    ),
    remove: db.prepare('DELETE FROM res WHERE kind = ? AND id = ?'),
    sweep: db.prepare(
      'DELETE FROM res INDEXED BY res_del WHERE del_at IS NOT NULL AND del_at <= ?',
    ),
    ipOwner: db.prepare<[string, string], { owner: string }>(
      'SELECT owner FROM ip WHERE subnet = ? AND addr = ?',
    ),
    ipTake: db.prepare('INSERT OR IGNORE INTO ip (subnet, addr, owner) VALUES (?, ?, ?)'),
    ipReleaseOwner: db.prepare('DELETE FROM ip WHERE owner = ?'),
    ipRelease: db.prepare('DELETE FROM ip WHERE subnet = ? AND addr = ?'),
    kvGet: db.prepare<[string], { value: unknown }>('SELECT value FROM kv WHERE key = ?'),
    kvRange: db.prepare<[string, string], { key: string; value: unknown }>(
      'SELECT key, value FROM kv WHERE key >= ? AND key < ?',
    ),
    kvSet: db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)'),
    kvAdd: db.prepare<[string, number, number], { value: number }>(
      'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + ? RETURNING value',
    ),
  };
}

const docs = (rows: Row[]): string[] => rows.map((r) => r.doc);

/** The state in an SQLite file. */
export class SqliteEngine implements StoreEngine {
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof statements>;
  private dataVersion: number;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.s = statements(this.db);
    this.dataVersion = this.readDataVersion();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  get(kind: string, id: string): string | undefined {
    return this.s.get.get(kind, id)?.doc;
  }

  byName(kind: string, name: string): string[] {
    return docs(this.s.byName.all(kind, name));
  }

  byParent(kind: string, parent: string): string[] {
    return docs(this.s.byParent.all(kind, parent));
  }

  all(kind: string, now: number, project?: string): string[] {
    return docs(
      project === undefined ? this.s.all.all(kind, now) : this.s.byProject.all(kind, project, now),
    );
  }

  put(kind: string, id: string, index: EngineIndex, json: string): void {
    this.s.put.run(kind, id, index.name, index.parent, index.project, index.delAt, json);
  }

  remove(kind: string, id: string): void {
    this.s.remove.run(kind, id);
  }

  sweep(now: number): void {
    this.s.sweep.run(now);
  }

  ipOwner(subnet: string, addr: string): string | null {
    return this.s.ipOwner.get(subnet, addr)?.owner ?? null;
  }

  takeIp(subnet: string, addr: string, owner: string): boolean {
    return this.s.ipTake.run(subnet, addr, owner).changes > 0;
  }

  releaseOwner(owner: string): void {
    this.s.ipReleaseOwner.run(owner);
  }

  releaseIp(subnet: string, addr: string): void {
    this.s.ipRelease.run(subnet, addr);
  }

  getValue(key: string): unknown {
    return this.s.kvGet.get(key)?.value;
  }

  setValue(key: string, value: string | number | null): void {
    this.s.kvSet.run(key, value);
  }

  addToCounter(key: string, delta: number): number {
    return this.s.kvAdd.get(key, delta, delta)?.value ?? delta;
  }

  valuesWithPrefix(prefix: string): Map<string, unknown> {
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const out = new Map<string, unknown>();
    for (const row of this.s.kvRange.all(prefix, end))
      out.set(row.key.slice(prefix.length), row.value);
    return out;
  }

  changedElsewhere(): boolean {
    const version = this.readDataVersion();
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    return true;
  }

  private readDataVersion(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
