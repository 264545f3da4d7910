/**
 * Turning parsed configuration files into option values with oslo.config's precedence:
 * the last file that sets an option wins (within it, the last occurrence); a multistr option
 * collects its occurrences from every file, in file order; an option's current name beats its
 * deprecated names within one file. Section names other than `DEFAULT` match in any case.
 */
import { pyStr } from '../common/py-repr.js';
import { ConfigError } from './config-error.js';
import type { OptionDef, OptionRegistry } from './option.js';
import { EMPTY_NUMBER, parseValue, ValueParseError } from './parse-value.js';
import type { ConfigSource } from './sources.js';
import { hasTemplate, substitute } from './substitute.js';

/** Mutable option values, by group and option name. */
export type RawConfig = Record<string, Record<string, unknown>>;

interface Occurrence {
  readonly value: string;
  readonly file: string;
  readonly line: number;
  /** Section and key as found, when they are a deprecated name. */
  readonly alias?: string;
}

type FileIndex = Map<string, Map<string, Occurrence[]>>;

/** Group names as oslo.config compares them: `DEFAULT` exactly, others lower-cased. */
export function normalizeGroup(name: string): string {
  return name === 'DEFAULT' ? name : name.toLowerCase();
}

function indexFile(source: ConfigSource): FileIndex {
  const index: FileIndex = new Map();
  for (const entry of source.document.entries) {
    const group = normalizeGroup(entry.section);
    const keys = index.get(group) ?? new Map<string, Occurrence[]>();
    index.set(group, keys);
    const list = keys.get(entry.key) ?? [];
    list.push({ value: entry.value, file: source.path, line: entry.line });
    keys.set(entry.key, list);
  }
  return index;
}

/** Resolves every option of a registry from parsed files, collecting warnings. */
export class Resolver {
  private readonly indexes: FileIndex[];
  private readonly values = new Map<string, unknown>();
  private readonly inProgress = new Set<string>();
  private readonly groupNames = new Map<string, string>();

  constructor(
    private readonly registry: OptionRegistry,
    private readonly sources: readonly ConfigSource[],
    private readonly warnings: string[],
  ) {
    this.indexes = sources.map(indexFile);
    for (const group of Object.keys(registry)) this.groupNames.set(normalizeGroup(group), group);
  }

  /** Warns about unknown options and deprecated names, once per occurrence. */
  reportUnrecognised(): void {
    const aliases = new Map<string, string>();
    for (const [group, options] of Object.entries(this.registry)) {
      for (const [name, def] of Object.entries(options)) {
        for (const old of def.deprecatedNames ?? []) {
          aliases.set(`${normalizeGroup(old.group)}\0${old.name}`, `[${group}] ${name}`);
        }
      }
    }
    for (const source of this.sources) {
      for (const entry of source.document.entries) {
        const where = `${source.path}:${entry.line}`;
        const group = this.groupNames.get(normalizeGroup(entry.section));
        const current = aliases.get(`${normalizeGroup(entry.section)}\0${entry.key}`);
        if (current !== undefined) {
          this.warnings.push(
            `Deprecated option [${entry.section}] ${entry.key} in ${where}: use ${current} instead`,
          );
        } else if (group === undefined || this.registry[group]?.[entry.key] === undefined) {
          this.warnings.push(`Unknown option [${entry.section}] ${entry.key} in ${where} ignored`);
        }
      }
    }
  }

  /** Every group and option of the registry with its resolved value. */
  resolveAll(): RawConfig {
    const config: RawConfig = {};
    for (const [group, options] of Object.entries(this.registry)) {
      const values: Record<string, unknown> = {};
      for (const name of Object.keys(options)) values[name] = this.resolve(group, name);
      config[group] = values;
    }
    return config;
  }

  private names(group: string, name: string, def: OptionDef<unknown>): [string, string][] {
    const names: [string, string][] = [[group, name]];
    for (const old of def.deprecatedNames ?? []) names.push([normalizeGroup(old.group), old.name]);
    return names;
  }

  /** Occurrences that decide the value: all of them for multistr, else the winning one. */
  private occurrences(group: string, name: string, def: OptionDef<unknown>): Occurrence[] {
    const names = this.names(group, name, def);
    let found: Occurrence[] = [];
    for (const index of [...this.indexes].reverse()) {
      for (const [section, key] of names) {
        const list = index.get(section)?.get(key);
        if (list === undefined) continue;
        const alias = section === group && key === name ? undefined : `[${section}] ${key}`;
        const tagged = alias === undefined ? list : list.map((o) => ({ ...o, alias }));
        if (def.kind !== 'multistr') return tagged.slice(-1);
        found = [...tagged, ...found];
      }
    }
    return found;
  }

  private resolve(group: string, name: string): unknown {
    const id = `${group}\0${name}`;
    if (this.values.has(id)) return this.values.get(id);
    if (this.inProgress.has(id)) {
      throw new ConfigError(`Invalid value for [${group}] ${name}: its variables refer to itself`);
    }
    const def = this.registry[group]?.[name];
    if (def === undefined) throw new Error(`no option [${group}] ${name}`);
    this.inProgress.add(id);
    try {
      const found = this.occurrences(group, name, def);
      let value: unknown = def.default;
      if (def.kind === 'multistr' && found.length > 0) {
        // An empty occurrence adds nothing: `driver =` alone means "no driver".
        const values = found.map((o) => this.convert(group, name, def, o));
        value = values.filter((v) => v !== '');
      } else if (found[0] !== undefined) {
        value = this.convert(group, name, def, found[0]);
      }
      this.values.set(id, value);
      return value;
    } finally {
      this.inProgress.delete(id);
    }
  }

  private convert(group: string, name: string, def: OptionDef<unknown>, o: Occurrence): unknown {
    const where = `${o.file}:${o.line}`;
    try {
      const text = hasTemplate(o.value) ? substitute(o.value, this.lookup(group)) : o.value;
      const value = parseValue(def, text);
      if (value !== EMPTY_NUMBER) return value;
      if (def.default === null) return null;
      this.warnings.push(
        `Empty value for [${group}] ${name} in ${where} ignored; the default ${pyStr(def.default)} applies`,
      );
      return def.default;
    } catch (error) {
      if (!(error instanceof ValueParseError)) throw error;
      const set = o.alias === undefined ? '' : ` (set as ${o.alias})`;
      const reason = def.secret ? `the value ${error.predicate}` : error.message;
      const message = `Invalid value for [${group}] ${name}${set}: ${reason} (in ${where})`;
      if (!def.unused) throw new ConfigError(message);
      this.warnings.push(`${message}; the option is not used, its default applies`);
      return def.default;
    }
  }

  /** Variable lookup for values of `group`: registered options first, then raw file text. */
  private lookup(group: string): (name: string) => string | undefined {
    return (key) => {
      const dot = key.indexOf('.');
      const candidates: [string, string][] =
        dot < 0
          ? [
              [group, key],
              ['DEFAULT', key],
            ]
          : [[normalizeGroup(key.slice(0, dot)), key.slice(dot + 1)]];
      for (const [g, n] of candidates) {
        const registered = this.groupNames.get(g);
        if (registered !== undefined && this.registry[registered]?.[n] !== undefined) {
          const value = this.resolve(registered, n);
          return value === null ? '' : pyStr(value);
        }
      }
      for (const [g, n] of candidates) {
        for (const index of [...this.indexes].reverse()) {
          const raw = index.get(g)?.get(n)?.at(-1);
          if (raw !== undefined) return raw.value;
        }
      }
      return undefined;
    };
  }
}
