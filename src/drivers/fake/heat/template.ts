/**
 * HOT templates in the fake Heat: the checks Heat makes before accepting a stack, and the
 * evaluation of outputs (`get_param`, `get_resource`, `get_attr`, `list_join`, `str_replace`).
 * Servers and ports of a template get an address on the `private` network, so outputs such
 * as `{get_attr: [server, first_address]}` give a usable IP.
 */
import { badRequest } from '../common.js';
import { FAIL_KEY, WAIT_KEY } from '../simulate.js';

/** A resource of a stack. */
export interface StackResource {
  name: string;
  type: string;
  physicalId: string;
  /** Address on `private` (servers and ports), else null. */
  address: string | null;
}

/** Resource types that get an address. */
export const ADDRESSED_TYPES = new Set(['OS::Nova::Server', 'OS::Neutron::Port']);

const ADDRESS_ATTRIBUTES = new Set(['first_address', 'ip_address', 'fixed_ip', 'ip', 'private_ip']);

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The declared resources of a template (name → type). */
export function templateResources(template: Record<string, unknown>): [string, string][] {
  return Object.entries(record(template.resources)).map(([name, def]) => {
    const type = record(def).type;
    if (typeof type !== 'string' || type === '')
      throw badRequest(`Property error: resources.${name}: No resource type was given.`);
    return [name, type];
  });
}

/** Checks the version and the parameters; returns the parameter values (defaults applied). */
export function checkTemplate(
  template: Record<string, unknown>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const version = template.heat_template_version ?? template.HeatTemplateFormatVersion;
  if (version === undefined || version === null || version === '')
    throw badRequest('The template version is invalid: Template format version not found.');
  templateResources(template);
  const declared = record(template.parameters);
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (key === FAIL_KEY || key === WAIT_KEY) continue;
    if (!(key in declared)) throw badRequest(`The Parameter (${key}) was not defined in template.`);
  }
  for (const [key, def] of Object.entries(declared)) {
    if (key in given) values[key] = given[key];
    else if ('default' in record(def)) values[key] = record(def).default;
    else throw badRequest(`The Parameter (${key}) was not provided.`);
  }
  for (const key of [FAIL_KEY, WAIT_KEY]) if (key in given) values[key] = given[key];
  return values;
}

interface EvalContext {
  params: Record<string, unknown>;
  resources: Map<string, StackResource>;
  stackName: string;
}

function attribute(ctx: EvalContext, args: unknown[]): unknown {
  const [name, attr, ...path] = args.map((a) => evaluate(a, ctx));
  const res = ctx.resources.get(String(name));
  if (!res)
    throw badRequest(`The specified reference "${String(name)}" (in unknown) is incorrect.`);
  let value: unknown = null;
  if (ADDRESS_ATTRIBUTES.has(String(attr))) value = res.address;
  else if (attr === 'networks') value = res.address ? { private: [res.address] } : {};
  else if (attr === 'name') value = `${ctx.stackName}-${res.name}`;
  else if (attr === 'show') value = { id: res.physicalId, name: `${ctx.stackName}-${res.name}` };
  for (const key of path)
    value = record(value)[String(key)] ?? (Array.isArray(value) ? value[Number(key)] : null);
  return value ?? null;
}

/** Evaluates the intrinsic functions of a template snippet. */
function evaluate(node: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(node)) return node.map((n) => evaluate(n, ctx));
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, unknown];
    const args = Array.isArray(arg) ? arg : [arg];
    switch (fn) {
      case 'get_param': {
        let value: unknown = ctx.params[String(evaluate(args[0], ctx))];
        for (const key of args.slice(1)) value = record(value)[String(evaluate(key, ctx))];
        return value ?? null;
      }
      case 'get_resource':
        return ctx.resources.get(String(evaluate(args[0], ctx)))?.physicalId ?? null;
      case 'get_attr':
        return attribute(ctx, args);
      case 'list_join': {
        const [delim, ...lists] = args.map((a) => evaluate(a, ctx));
        return lists
          .flatMap((l) => (Array.isArray(l) ? l : [l]))
          .map(String)
          .join(String(delim));
      }
      case 'str_replace': {
        const spec = record(evaluate(arg, ctx));
        let text = String(spec.template ?? '');
        for (const [k, v] of Object.entries(record(spec.params)))
          text = text.split(k).join(String(v));
        return text;
      }
      default:
        break;
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, ctx)]));
}

/** The `outputs` of a stack as Heat lists them. */
export function evaluateOutputs(
  template: Record<string, unknown>,
  params: Record<string, unknown>,
  resources: readonly StackResource[],
  stackName: string,
): { output_key: string; output_value: unknown; description: string }[] {
  const ctx: EvalContext = {
    params,
    resources: new Map(resources.map((r) => [r.name, r])),
    stackName,
  };
  return Object.entries(record(template.outputs)).map(([key, def]) => {
    const d = record(def);
    let value: unknown;
    try {
      value = evaluate(d.value, ctx);
    } catch {
      value = null;
    }
    return {
      output_key: key,
      output_value: value,
      description: String(d.description ?? 'No description given'),
    };
  });
}
