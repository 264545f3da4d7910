/**
 * Where the documents of the fake cloud are kept: an SQLite file shared by processes, or maps
 * in the memory of one process. Both keep JSON text, so readers always get fresh copies, and
 * both undo every change of a transaction that throws.
 */

/** Index columns of a document. */
export interface EngineIndex {
  name: string | null;
  parent: string | null;
  project: string | null;
  /** When the document disappears (epoch ms), or null. */
  delAt: number | null;
}

/** Primitive storage operations. */
export interface StoreEngine {
  /** Runs `fn` atomically (callers never nest). */
  transaction<T>(fn: () => T): T;
  readonly inTransaction: boolean;
  get(kind: string, id: string): string | undefined;
  byName(kind: string, name: string): string[];
  byParent(kind: string, parent: string): string[];
  /** Documents of a kind not deleted at `now` (optionally of one project). */
  all(kind: string, now: number, project?: string): string[];
  put(kind: string, id: string, index: EngineIndex, json: string): void;
  remove(kind: string, id: string): void;
  /** Drops documents deleted at `now`. */
  sweep(now: number): void;
  ipOwner(subnet: string, addr: string): string | null;
  /** False when the address is taken. */
  takeIp(subnet: string, addr: string, owner: string): boolean;
  releaseOwner(owner: string): void;
  releaseIp(subnet: string, addr: string): void;
  getValue(key: string): unknown;
  setValue(key: string, value: string | number | null): void;
  addToCounter(key: string, delta: number): number;
  /** Values whose keys start with `prefix`, keyed by the rest. */
  valuesWithPrefix(prefix: string): Map<string, unknown>;
  /** True when another process has written since the last call. */
  changedElsewhere(): boolean;
  close(): void;
}
