import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../src/config/load.js';
import { bool, int, list, multistr, str } from '../../src/config/option.js';
import {
  renderOptionsMarkdown,
  renderSample,
  replaceOptionsTables,
  wrapComment,
} from '../../src/config/sample.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'senlin-config-sample-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tiny = {
  DEFAULT: {
    password: str('A secret.', 'letmein', { secret: true }),
    legacy: bool('Old switch.', true, { unused: true }),
    workers: int('Workers.', 2, {
      min: 1,
      deprecatedNames: [{ group: 'DEFAULT', name: 'old_workers' }],
    }),
    topics: list('Topics.', ['a', 'b']),
    drivers: multistr('Drivers.', ['x', 'y']),
    mode: str('Mode.', 'fast', { choices: ['fast', 'slow'] }),
  },
} as const;

describe('generated files', () => {
  it('etc/senlin.conf.sample matches the registry (run npm run gen:sample)', () => {
    expect(readFileSync(join(root, 'etc', 'senlin.conf.sample'), 'utf8')).toBe(renderSample());
  });

  it('the option tables of docs/configuration.md match the registry (run npm run gen:sample)', () => {
    const doc = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
    expect(doc).toBe(replaceOptionsTables(doc, renderOptionsMarkdown()));
  });
});

describe('renderSample', () => {
  const sample = renderSample(tiny);

  it('wraps help comments at 79 columns', () => {
    const long = 'word '.repeat(40).trim();
    const lines = wrapComment(long);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.length <= 79 && line.startsWith('# '))).toBe(true);
  });

  it('keeps every comment line of the real sample within 79 columns', () => {
    const tooLong = renderSample()
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('# ') && line.length > 79 && !line.trimEnd().slice(2).match(/^\S+$/),
      );
    expect(tooLong).toEqual([]);
  });

  it('shows secrets as <None>', () => {
    expect(sample).toContain('#password = <None>');
  });

  it('marks options kept only for compatibility', () => {
    expect(sample).toContain('# Old switch. Accepted for compatibility; not used by senlin-ts.');
  });

  it('lists type, minimum and deprecated names before the default', () => {
    expect(sample).toContain(
      '# Workers.\n# Type: integer\n# Minimum value: 1\n# Deprecated group/name - [DEFAULT]/old_workers\n#workers = 2\n',
    );
  });

  it('joins list defaults with commas and writes one line per multi-valued default', () => {
    expect(sample).toContain('#topics = a,b\n');
    expect(sample).toContain('#drivers = x\n#drivers = y\n');
  });

  it('lists allowed values', () => {
    expect(sample).toContain('# Allowed values: fast, slow\n#mode = fast\n');
  });

  it('gives back the defaults when every default line is uncommented', () => {
    const text = renderSample()
      .split('\n')
      .map((line) => (/^#\w+ = [^<]/.test(line) || /^#\w+ =$/.test(line) ? line.slice(1) : line))
      .join('\n');
    const path = join(scratch, 'uncommented.conf');
    writeFileSync(path, text);
    const loaded = loadConfig({ configFiles: [path], searchDefaults: false });
    expect(loaded.warnings).toEqual([]);
    const { host: _loadedHost, ...loadedDefault } = loaded.config.DEFAULT;
    const { host: _host, ...expectedDefault } = defaultConfig().DEFAULT;
    expect({ ...loaded.config, DEFAULT: loadedDefault }).toEqual({
      ...defaultConfig(),
      DEFAULT: expectedDefault,
    });
  });
});

describe('renderOptionsMarkdown', () => {
  it('renders one table per group with type, default and meaning', () => {
    const table = renderOptionsMarkdown(tiny);
    const rows = table.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
    expect(rows.slice(0, 4)).toEqual([
      '### [DEFAULT]',
      '',
      '| Option | Type | Default | Meaning |',
      expect.stringMatching(/^\| -+ \| -+ \| -+ \| -+ \|$/),
    ]);
    expect(rows).toContain(
      '| `workers` | integer | `2` | Workers. Minimum 1. Deprecated name: `[DEFAULT] old_workers`. |',
    );
    expect(rows).toContain('| `topics` | list | `a`, `b` | Topics. |');
  });

  it('pads table columns to equal widths as the formatter does', () => {
    const lines = renderOptionsMarkdown(tiny)
      .split('\n')
      .filter((line) => line.startsWith('|'));
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('replaces only the text between the markers', () => {
    const doc = 'intro\n<!-- options:start -->\nold\n<!-- options:end -->\noutro\n';
    expect(replaceOptionsTables(doc, 'new')).toBe(
      'intro\n<!-- options:start -->\n\nnew\n\n<!-- options:end -->\noutro\n',
    );
  });
});
