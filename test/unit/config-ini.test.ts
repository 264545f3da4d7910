import { describe, expect, it } from 'vitest';
import { IniParseError, parseIni } from '../../src/config/ini.js';

function pairs(text: string): [string, string, string][] {
  return parseIni(text).entries.map((e) => [e.section, e.key, e.value]);
}

describe('parseIni', () => {
  it('reads key = value and key: value assignments with trimmed keys and values', () => {
    expect(pairs('[DEFAULT]\na_key=1\nhost :  node-1  \n')).toEqual([
      ['DEFAULT', 'a_key', '1'],
      ['DEFAULT', 'host', 'node-1'],
    ]);
  });

  it('splits at whichever of = and : comes first', () => {
    expect(pairs('[database]\nconnection = mysql://u:p@h/db\nurl: http://x=y\n')).toEqual([
      ['database', 'connection', 'mysql://u:p@h/db'],
      ['database', 'url', 'http://x=y'],
    ]);
  });

  it('records the line number of every assignment and section', () => {
    const doc = parseIni('# comment\n\n[DEFAULT]\ndebug = true\n\n[senlin_api]\nbind_port = 1\n');
    expect(doc.sections).toEqual([
      { name: 'DEFAULT', line: 3 },
      { name: 'senlin_api', line: 6 },
    ]);
    expect(doc.entries.map((e) => e.line)).toEqual([4, 7]);
  });

  it('skips comment lines starting with # or ;', () => {
    expect(pairs('[DEFAULT]\n# debug = true\n; host = x\nname = y\n')).toEqual([
      ['DEFAULT', 'name', 'y'],
    ]);
  });

  it('keeps a # inside a value, since only whole lines are comments', () => {
    expect(pairs('[DEFAULT]\npassword = abc#def ; x\n')).toEqual([
      ['DEFAULT', 'password', 'abc#def ; x'],
    ]);
  });

  it('joins continuation lines to the previous value with newlines', () => {
    expect(pairs('[DEFAULT]\nbanner = first\n  second\n\tthird\nnext = 1\n')).toEqual([
      ['DEFAULT', 'banner', 'first\nsecond\nthird'],
      ['DEFAULT', 'next', '1'],
    ]);
  });

  it('ends a continued value at a blank line', () => {
    expect(() => parseIni('[DEFAULT]\na = 1\n\n  orphan\n')).toThrow(/Unexpected continuation/);
  });

  it('keeps repeated keys in order', () => {
    expect(pairs('[DEFAULT]\nevent_dispatchers = database\nevent_dispatchers = message\n')).toEqual(
      [
        ['DEFAULT', 'event_dispatchers', 'database'],
        ['DEFAULT', 'event_dispatchers', 'message'],
      ],
    );
  });

  it('removes quotes that enclose the whole value and keeps others', () => {
    expect(pairs(`[DEFAULT]\na = "x y"\nb = 'z'\nc = "open\nd = say "hi"\n`)).toEqual([
      ['DEFAULT', 'a', 'x y'],
      ['DEFAULT', 'b', 'z'],
      ['DEFAULT', 'c', '"open'],
      ['DEFAULT', 'd', 'say "hi"'],
    ]);
  });

  it('keeps section names as written', () => {
    expect(parseIni('[Senlin_API]\nx = 1\n').entries[0]?.section).toBe('Senlin_API');
  });

  it('accepts Windows line endings and a byte order mark', () => {
    expect(pairs('\uFEFF[DEFAULT]\r\ndebug = true\r\n')).toEqual([['DEFAULT', 'debug', 'true']]);
  });

  it('rejects an assignment before the first section with its line number', () => {
    const error = (() => {
      try {
        parseIni('\ndebug = true\n', '/etc/senlin/senlin.conf');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(IniParseError);
    expect((error as IniParseError).line).toBe(2);
    expect((error as IniParseError).message).toContain('/etc/senlin/senlin.conf:2');
  });

  it('rejects a line without = or :', () => {
    expect(() => parseIni('[DEFAULT]\njust words\n')).toThrow(/No ':' or '=' found/);
  });

  it('rejects a section header without a closing bracket', () => {
    expect(() => parseIni('[DEFAULT\n')).toThrow(/must end with \]/);
  });

  it('rejects an empty section name', () => {
    expect(() => parseIni('[]\n')).toThrow(/Empty section name/);
  });

  it('rejects an empty key', () => {
    expect(() => parseIni('[DEFAULT]\n= value\n')).toThrow(/Key cannot be empty/);
  });
});
