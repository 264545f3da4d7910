"""Counts a tempest run and compares its failures with the list of expected ones.

Usage: tempest-summary.py RUN.subunit EXPECTED-FAILURES.txt REPORT.txt

Prints one line `passed=N failed=N skipped=N expected_failures=N unexpected_failures=N
fixed=N` and writes the details (each unexpected failure, each expected failure that
passed, the skip reasons) to REPORT.txt. Exits 0 when no test failed unless listed, and at
least one test ran.

EXPECTED-FAILURES.txt: one test id per line (without the `[id-...]` attributes), followed by
` # ` and the reason; blank lines and lines starting with `#` are ignored. A listed test
that is not part of the run is ignored (the list covers every suite).
"""
import re
import sys

import subunit
import testtools


def read_expected(path):
    expected = {}
    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            test, sep, reason = line.partition(' # ')
            if not sep or not reason.strip():
                sys.exit(f'{path}:{number}: every expected failure needs " # <reason>"')
            expected[test.strip()] = reason.strip()
    return expected


def short_id(test_id):
    """`pkg.mod.Class.test[id-...,negative]` -> `pkg.mod.Class.test`; fixtures keep the class."""
    test_id = re.sub(r'\[.*\]$', '', test_id)
    fixture = re.match(r'^(setUpClass|tearDownClass) \((.*)\)$', test_id)
    return f'{fixture.group(2)}.{fixture.group(1)}' if fixture else test_id


class Collector(testtools.StreamResult):
    """Keeps the final status and the attachments of every test in a subunit v2 stream."""

    def __init__(self):
        super().__init__()
        self.results = {}
        self.details = {}

    def status(self, test_id=None, test_status=None, file_name=None, file_bytes=None,
               **_kwargs):
        if test_id is None:
            return
        if file_name and file_bytes:
            self.details.setdefault(test_id, {}).setdefault(file_name, bytearray()).extend(
                file_bytes)
        if test_status in ('success', 'fail', 'skip', 'xfail', 'uxsuccess'):
            self.results[test_id] = test_status


def load(path):
    collector = Collector()
    with open(path, 'rb') as f:
        stream = subunit.ByteStreamToStreamResult(f, non_subunit_name='stdout')
        stream.run(collector)
    return collector


def reason_of(details):
    for name in ('reason', 'traceback'):
        if name in details:
            text = details[name].decode('utf-8', 'replace').strip().splitlines()
            return text[-1] if text else ''
    return ''


def main():
    run, expected_path, report_path = sys.argv[1:4]
    expected = read_expected(expected_path)
    collector = load(run)
    results = collector.results
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    unexpected, known, fixed, skips = [], [], [], {}
    for test_id, status in sorted(results.items()):
        sid = short_id(test_id)
        details = collector.details.get(test_id, {})
        if status in ('success', 'uxsuccess'):
            counts['passed'] += 1
            if sid in expected:
                fixed.append(sid)
        elif status == 'skip':
            counts['skipped'] += 1
            why = reason_of(details)
            skips.setdefault(why, []).append(sid)
        else:
            counts['failed'] += 1
            if sid in expected:
                known.append((sid, expected[sid]))
            else:
                unexpected.append((sid, reason_of(details)))
    total = sum(counts.values())
    with open(report_path, 'w', encoding='utf-8') as report:
        for sid, why in unexpected:
            print(f'UNEXPECTED FAILURE {sid}\n    {why}', file=report)
        for sid, why in known:
            print(f'expected failure {sid}\n    {why}', file=report)
        for sid in fixed:
            print(f'NOW PASSING (remove it from expected-failures.txt) {sid}', file=report)
        for why, tests in sorted(skips.items()):
            print(f'skipped x{len(tests)}: {why}', file=report)
            for sid in tests:
                print(f'    {sid}', file=report)
        if total == 0:
            print('NO TESTS RAN', file=report)
    print(f"total={total} passed={counts['passed']} failed={counts['failed']} "
          f"skipped={counts['skipped']} expected_failures={len(known)} "
          f"unexpected_failures={len(unexpected)} fixed={len(fixed)}")
    return 0 if total > 0 and not unexpected else 1


if __name__ == '__main__':
    sys.exit(main())
