/**
 * The policy enforcer: oslo.policy-compatible rules (defaults of DEFAULT_RULES, replaced by the
 * operator's policy file and policy directories) evaluated for a request context.
 */
import type { RequestContext } from '../../common/context.js';
import { Forbidden } from '../../common/errors.js';
import { parseCheckList, parseCheckString } from './check-parser.js';
import { type Check, NEVER } from './checks.js';
import { DEFAULT_RULES } from './defaults.js';
import { type Credentials, evaluate, type Target } from './evaluate.js';
import { type RuleText, readOverrides } from './policy-file.js';

/** Where the policy comes from (`[oslo_policy]` and the configuration directory). */
export interface PolicyLoadOptions {
  /** `[oslo_policy] policy_file`; relative to configDir; a missing file is fine. */
  policyFile: string | null;
  /** `[oslo_policy] policy_dirs`; relative to configDir; missing directories are fine. */
  policyDirs: readonly string[];
  /** Directory of senlin.conf; null: the working directory. */
  configDir: string | null;
  /** `[oslo_policy] policy_default_rule`: rule used for names that are not defined. */
  defaultRule: string;
}

interface CompiledRule {
  text: string;
  check: Check;
}

function ruleText(rule: RuleText): string {
  return typeof rule === 'string' ? rule : JSON.stringify(rule);
}

/** The credentials oslo.policy checks see for a context. */
export function credentialsOf(ctx: RequestContext): Credentials {
  return {
    roles: [...ctx.roles],
    user_id: ctx.userId,
    project_id: ctx.projectId,
    domain_id: ctx.domainId,
    user_domain_id: ctx.userDomainId,
    project_domain_id: ctx.projectDomainId,
    is_admin: ctx.isAdmin,
  };
}

/** Decides whether a request context may do what a rule guards. */
export class PolicyEnforcer {
  readonly #rules: ReadonlyMap<string, CompiledRule>;
  readonly #defaultRule: string;
  readonly #warnings: readonly string[];
  readonly #sources: readonly string[];

  private constructor(
    rules: Record<string, RuleText>,
    defaultRule: string,
    sources: readonly string[],
  ) {
    const warnings: string[] = [];
    const compiled = new Map<string, CompiledRule>();
    for (const [name, rule] of Object.entries(rules)) {
      const warn = (message: string): void => {
        warnings.push(`rule "${name}": ${message}`);
      };
      let check: Check;
      try {
        check =
          typeof rule === 'string' ? parseCheckString(rule, warn) : parseCheckList(rule, warn);
      } catch (error) {
        // as oslo.policy does, a rule that cannot be parsed denies everybody
        warn(`${error instanceof Error ? error.message : String(error)}; it denies everybody`);
        check = NEVER;
      }
      compiled.set(name, { text: ruleText(rule), check });
    }
    this.#rules = compiled;
    this.#defaultRule = defaultRule;
    this.#warnings = Object.freeze(warnings);
    this.#sources = Object.freeze([...sources]);
  }

  /**
   * The default rules with the overrides of the policy file and directories applied. Throws
   * PolicyFileError when an existing file cannot be read or has the wrong shape.
   */
  static load(options: PolicyLoadOptions): PolicyEnforcer {
    const { rules, sources } = readOverrides(
      options.policyFile,
      options.policyDirs,
      options.configDir,
    );
    return PolicyEnforcer.fromRules(rules, options.defaultRule, sources);
  }

  /** The default rules with `overrides` applied (no files read). */
  static fromRules(
    overrides: Record<string, RuleText> = {},
    defaultRule = 'default',
    sources: readonly string[] = [],
  ): PolicyEnforcer {
    const rules: Record<string, RuleText> = {};
    for (const rule of DEFAULT_RULES) rules[rule.name] = rule.check;
    Object.assign(rules, overrides);
    return new PolicyEnforcer(rules, defaultRule, sources);
  }

  /**
   * True when `ctx` passes `rule` for `target` (default: the caller's own project and user).
   * A rule that is not defined falls back to the default rule when that one is defined, and
   * denies otherwise.
   */
  enforce(rule: string, ctx: RequestContext, target?: Record<string, unknown>): boolean {
    const effectiveTarget: Target = target ?? { project_id: ctx.projectId, user_id: ctx.userId };
    return this.#check(rule, credentialsOf(ctx), effectiveTarget);
  }

  /** Like enforce, but throws Forbidden (403) on denial. */
  authorize(rule: string, ctx: RequestContext, target?: Record<string, unknown>): void {
    if (!this.enforce(rule, ctx, target)) throw new Forbidden();
  }

  /** True when credentials with these roles pass `context_is_admin`. */
  isAdmin(creds: { roles: readonly string[] }): boolean {
    return this.#check('context_is_admin', { roles: [...creds.roles] }, {});
  }

  /** The rules in effect: name → check string as written. */
  rules(): Record<string, string> {
    return Object.fromEntries([...this.#rules].map(([name, rule]) => [name, rule.text]));
  }

  /** Problems met while compiling the rules (rules that cannot be parsed deny everybody). */
  warnings(): readonly string[] {
    return this.#warnings;
  }

  /** Override files that were read, in the order they were applied. */
  sources(): readonly string[] {
    return this.#sources;
  }

  #lookup = (name: string): Check | undefined => {
    const found = this.#rules.get(name) ?? this.#rules.get(this.#defaultRule);
    return found?.check;
  };

  #check(rule: string, creds: Credentials, target: Target): boolean {
    const check = this.#lookup(rule);
    if (check === undefined) return false;
    return evaluate(check, creds, target, this.#lookup, new Set([rule]));
  }
}
