/**
 * Rendering the option registry as documentation: etc/senlin.conf.sample in the style of
 * oslo-config-generator, and the option tables of docs/configuration.md. Both are written by
 * scripts/gen-sample-config.ts (`npm run gen:sample`) and checked by a test, so they cannot
 * drift from the registry.
 */
import type { OptionDef, OptionRegistry } from './option.js';
import { OPTIONS } from './options.js';
import { KIND_NAMES } from './parse-value.js';

/** Marks where the generated tables start and end in docs/configuration.md. */
export const OPTIONS_START_MARKER = '<!-- options:start -->';
/** See `OPTIONS_START_MARKER`. */
export const OPTIONS_END_MARKER = '<!-- options:end -->';

const WRAP_WIDTH = 79;
const UNUSED_NOTE = 'Accepted for compatibility; not used by senlin-ts.';

const HEADER = `# senlin-ts configuration file: sample with every option and its default.
#
# Generated from the option registry (src/config/options.ts) by
# \`npm run gen:sample\`; do not edit by hand. Copy it to /etc/senlin/senlin.conf
# (or name a file with --config-file), uncomment the options to change and set
# their values. Options senlin-ts does not know are reported and ignored, so an
# existing upstream senlin.conf can be used as it is.
# See docs/configuration.md.
`;

/** Wraps text into `# ` comment lines of at most 79 columns; long words are not broken. */
export function wrapComment(text: string, width = WRAP_WIDTH): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = '';
      }
      line = line === '' ? `# ${word}` : `${line} ${word}`;
    }
    lines.push(line === '' ? '#' : line);
  }
  return lines;
}

function helpOf(def: OptionDef<unknown>): string {
  return def.unused ? `${def.help} ${UNUSED_NOTE}` : def.help;
}

function scalarText(def: OptionDef<unknown>, value: unknown): string {
  if (typeof value === 'number' && def.kind === 'float' && Number.isInteger(value)) {
    return value.toFixed(1);
  }
  return String(value);
}

/** Default values as they appear after `#name =` (one entry per line for multistr). */
function sampleDefaults(def: OptionDef<unknown>): string[] {
  if (def.sampleDefault !== undefined) return [def.sampleDefault];
  const value: unknown = def.default;
  if (value === null || def.secret) return ['<None>'];
  if (Array.isArray(value)) {
    if (def.kind === 'multistr') return value.length === 0 ? [''] : value.map(String);
    return [value.join(',')];
  }
  return [scalarText(def, value)];
}

function constraintLines(groupName: string, def: OptionDef<unknown>): string[] {
  const lines = [`# Type: ${KIND_NAMES[def.kind]}`];
  if (def.min !== undefined) lines.push(`# Minimum value: ${def.min}`);
  if (def.max !== undefined) lines.push(`# Maximum value: ${def.max}`);
  if (def.choices !== undefined) lines.push(`# Allowed values: ${def.choices.join(', ')}`);
  for (const old of def.deprecatedNames ?? []) {
    lines.push(`# Deprecated group/name - [${old.group || groupName}]/${old.name}`);
  }
  return lines;
}

function renderOption(groupName: string, name: string, def: OptionDef<unknown>): string[] {
  const defaults = sampleDefaults(def).map((value) =>
    value === '' ? `#${name} =` : `#${name} = ${value.replaceAll('\n', '\n#    ')}`,
  );
  return [...wrapComment(helpOf(def)), ...constraintLines(groupName, def), ...defaults, ''];
}

/** The sample configuration file of a registry (the full registry by default). */
export function renderSample(registry: OptionRegistry = OPTIONS): string {
  const out = [HEADER];
  for (const [groupName, group] of Object.entries(registry)) {
    out.push(`[${groupName}]`, '');
    for (const [name, def] of Object.entries(group))
      out.push(...renderOption(groupName, name, def));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('\n', ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function markdownDefault(def: OptionDef<unknown>): string {
  if (def.sampleDefault !== undefined) return code(def.sampleDefault);
  const value: unknown = def.default;
  if (value === null) return '_unset_';
  if (value === '' || (Array.isArray(value) && value.length === 0)) return '_empty_';
  if (Array.isArray(value)) return value.map((item) => code(String(item))).join(', ');
  return code(scalarText(def, value));
}

function markdownMeaning(groupName: string, def: OptionDef<unknown>): string {
  const parts = [cell(def.help)];
  if (def.min !== undefined && def.max !== undefined) parts.push(`Range ${def.min}–${def.max}.`);
  else if (def.min !== undefined) parts.push(`Minimum ${def.min}.`);
  else if (def.max !== undefined) parts.push(`Maximum ${def.max}.`);
  if (def.choices !== undefined) parts.push(`One of ${def.choices.map(code).join(', ')}.`);
  const olds = (def.deprecatedNames ?? []).map((o) => code(`[${o.group || groupName}] ${o.name}`));
  if (olds.length > 0) parts.push(`Deprecated name: ${olds.join(', ')}.`);
  if (def.secret) parts.push('Secret.');
  if (def.unused) parts.push(`_${UNUSED_NOTE}_`);
  return parts.join(' ');
}

/** A markdown table with padded columns, laid out as the project's formatter (biome) does. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string[] {
  const width = (text: string): number => [...text].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const pad = (text: string, i: number): string =>
    text + ' '.repeat((widths[i] ?? 0) - width(text));
  const line = (cells: readonly string[]): string =>
    `| ${header.map((_h, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The option tables of docs/configuration.md: one table per group. */
export function renderOptionsMarkdown(registry: OptionRegistry = OPTIONS): string {
  const out: string[] = [];
  for (const [groupName, group] of Object.entries(registry)) {
    const rows = Object.entries(group).map(([name, def]) => [
      code(name),
      KIND_NAMES[def.kind],
      markdownDefault(def),
      markdownMeaning(groupName, def),
    ]);
    const header = ['Option', 'Type', 'Default', 'Meaning'];
    out.push(`### [${groupName}]`, '', ...markdownTable(header, rows), '');
  }
  return out.join('\n').trimEnd();
}

/** Replaces the text between the option markers of a document with `tables`. */
export function replaceOptionsTables(document: string, tables: string): string {
  const start = document.indexOf(OPTIONS_START_MARKER);
  const end = document.indexOf(OPTIONS_END_MARKER);
  if (start < 0 || end < start) {
    throw new Error(`markers ${OPTIONS_START_MARKER} and ${OPTIONS_END_MARKER} not found`);
  }
  const before = document.slice(0, start + OPTIONS_START_MARKER.length);
  return `${before}\n\n${tables}\n\n${document.slice(end)}`;
}
