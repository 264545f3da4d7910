/** The JSON shapes the API shows for property schemas and operations. */
import type {
  Constraint,
  OperationEntry,
  OperationMap,
  ParamSchema,
  PropertyMap,
  PropertySchema,
  WireConstraint,
  WireOperation,
  WireProperty,
} from './types.js';

function constraintsToWire(constraints: readonly Constraint[]): WireConstraint[] {
  return constraints.map((c) => ({ type: c.type, constraint: [...c.constraint] }));
}

/** One property schema as the API shows it (keys in upstream's order). */
export function propertyToWire(prop: PropertySchema): WireProperty {
  const out: WireProperty = {
    type: prop.type,
    ...(prop.description !== undefined ? { description: prop.description } : {}),
    ...(prop.default !== undefined ? { default: structuredClone(prop.default) } : {}),
    required: prop.required,
  };
  if (prop.type === 'List') out.schema = { '*': propertyToWire(prop.items) };
  else if (prop.type === 'Map' && prop.schema) out.schema = toWire(prop.schema);
  out.updatable = prop.updatable;
  if (prop.constraints.length > 0) out.constraints = constraintsToWire(prop.constraints);
  return out;
}

/** One operation parameter as the API shows it (parameters carry no `updatable`). */
export function paramToWire(param: ParamSchema): WireProperty {
  const out: WireProperty = {
    type: param.type,
    ...(param.description !== undefined ? { description: param.description } : {}),
    ...(param.default !== undefined ? { default: structuredClone(param.default) } : {}),
    required: param.required,
  };
  if (param.constraints.length > 0) out.constraints = constraintsToWire(param.constraints);
  return out;
}

/** A property map as the `schema` of a profile or policy type. */
export function toWire(schema: PropertyMap): { [name: string]: WireProperty } {
  const out: { [name: string]: WireProperty } = {};
  for (const [name, prop] of Object.entries(schema)) out[name] = propertyToWire(prop);
  return out;
}

/** One operation entry as the API shows it. */
export function operationToWire(entry: OperationEntry): WireOperation | WireProperty {
  if (entry.type !== 'Operation') return propertyToWire(entry);
  const parameters: { [name: string]: WireProperty } = {};
  for (const [name, param] of Object.entries(entry.parameters)) {
    parameters[name] = paramToWire(param);
  }
  return { description: entry.description, parameters };
}

/** An operation table as the `operations` body of the ops API. */
export function operationsToWire(ops: OperationMap): {
  [name: string]: WireOperation | WireProperty;
} {
  const out: { [name: string]: WireOperation | WireProperty } = {};
  for (const [name, entry] of Object.entries(ops)) out[name] = operationToWire(entry);
  return out;
}
