import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultDataDir,
  defaultSearchDirs,
  envFlag,
  expandHome,
} from '../../src/config/environment.js';

describe('defaultDataDir', () => {
  it('prefers SENLIN_TS_DATA_DIR', () => {
    const env = { HOME: '/home/a', XDG_DATA_HOME: '/xdg', SENLIN_TS_DATA_DIR: '/srv/senlin' };
    expect(defaultDataDir(env)).toBe('/srv/senlin');
  });

  it('uses XDG_DATA_HOME when SENLIN_TS_DATA_DIR is unset or empty', () => {
    expect(defaultDataDir({ HOME: '/home/a', XDG_DATA_HOME: '/xdg', SENLIN_TS_DATA_DIR: '' })).toBe(
      join('/xdg', 'senlin-ts'),
    );
  });

  it('ignores a relative XDG_DATA_HOME', () => {
    expect(defaultDataDir({ HOME: '/home/a', XDG_DATA_HOME: 'rel' })).toBe(
      '/home/a/.local/share/senlin-ts',
    );
  });

  it('falls back to ~/.local/share/senlin-ts', () => {
    expect(defaultDataDir({ HOME: '/home/b' })).toBe('/home/b/.local/share/senlin-ts');
  });
});

describe('defaultSearchDirs', () => {
  it('lists ~/.senlin, ~, /etc/senlin and /etc in that order', () => {
    expect(defaultSearchDirs({ HOME: '/home/c' })).toEqual([
      '/home/c/.senlin',
      '/home/c',
      '/etc/senlin',
      '/etc',
    ]);
  });
});

describe('expandHome', () => {
  it('replaces a leading ~ with the home directory', () => {
    expect(expandHome('~/senlin.conf', { HOME: '/home/d' })).toBe('/home/d/senlin.conf');
  });

  it('leaves other paths alone', () => {
    expect(expandHome('/etc/~x', { HOME: '/home/d' })).toBe('/etc/~x');
  });
});

describe('envFlag', () => {
  it('reads a SENLIN_TS_ variable', () => {
    expect(envFlag('SENLIN_TS_SOMETHING', { SENLIN_TS_SOMETHING: 'on' })).toBe('on');
  });

  it('treats an empty value as unset', () => {
    expect(envFlag('SENLIN_TS_SOMETHING', { SENLIN_TS_SOMETHING: '' })).toBeUndefined();
  });

  it('refuses names outside SENLIN_TS_*', () => {
    expect(() => envFlag('HOME', { HOME: '/root' })).toThrow(/SENLIN_TS_/);
  });
});
