/** Reading policy override files (YAML or JSON) and policy directories. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** A rule as written in a policy file: a check string or the older list form. */
export type RuleText = string | readonly unknown[];

/** A policy file that cannot be used (unreadable, not a mapping, a value of the wrong type). */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyFileError';
  }
}

/** An absolute path for a configured path: relative paths are taken from `configDir` (or cwd). */
export function resolvePolicyPath(path: string, configDir: string | null): string {
  if (isAbsolute(path)) return path;
  return configDir === null ? resolve(path) : resolve(configDir, path);
}

/**
 * The rules of one file: a mapping of rule names to check strings (or lists of lists). JSON is
 * read as YAML, of which it is a subset. An empty file holds no rules.
 */
export function readPolicyFile(path: string): Record<string, RuleText> {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyFileError(`policy file ${path} cannot be read: ${reason}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyFileError(`policy file ${path} must hold a mapping of rule names to rules`);
  }
  const rules: Record<string, RuleText> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string' || Array.isArray(value)) {
      rules[name] = value;
    } else if (value === null) {
      rules[name] = '';
    } else {
      throw new PolicyFileError(`policy file ${path}: rule "${name}" must be a string`);
    }
  }
  return rules;
}

/** Files of a policy directory in name order (hidden files skipped); none if it is missing. */
export function policyDirFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/**
 * Every override in effect, later sources replacing earlier ones: the policy file, then the
 * files of each policy directory in turn. Missing files and directories are skipped.
 */
export function readOverrides(
  policyFile: string | null,
  policyDirs: readonly string[],
  configDir: string | null,
): { rules: Record<string, RuleText>; sources: string[] } {
  const rules: Record<string, RuleText> = {};
  const sources: string[] = [];
  const files: string[] = [];
  if (policyFile) {
    const path = resolvePolicyPath(policyFile, configDir);
    if (existsSync(path)) files.push(path);
  }
  for (const dir of policyDirs) files.push(...policyDirFiles(resolvePolicyPath(dir, configDir)));
  for (const path of files) {
    Object.assign(rules, readPolicyFile(path));
    sources.push(path);
  }
  return { rules, sources };
}
