"""Test durations of the tempest suites, so that stestr balances its workers from the start.

Usage: tempest-times.py save RUN.subunit TIMES.txt    keeps the durations of a run's passed
                                                      tests in TIMES.txt (other lines stay)
       tempest-times.py stream TIMES.txt > OUT.subunit  a subunit v2 stream of those durations,
                                                      for `stestr load` into a fresh repository

stestr keeps the tests of a class on one worker and, without durations from an earlier run,
deals the classes out in turn; senlin-tempest-plugin's classes differ a lot in length (most
negative tests take milliseconds, a cluster update tens of seconds), so one worker often ends
minutes before the other. With the durations it deals the longest classes first to the least
loaded worker. TIMES.txt: `<seconds> <test id>` per line; `#` lines are comments.
"""
import datetime
import sys

import subunit
import testtools


class Durations(testtools.StreamResult):
    """Collects the duration of every test that passed in a subunit v2 stream."""

    def __init__(self):
        super().__init__()
        self.started = {}
        self.seconds = {}

    def status(self, test_id=None, test_status=None, timestamp=None, **_kwargs):
        if test_id is None or timestamp is None:
            return
        if test_status == 'inprogress':
            self.started[test_id] = timestamp
        elif test_status == 'success' and test_id in self.started:
            self.seconds[test_id] = (timestamp - self.started[test_id]).total_seconds()


def read_times(path):
    times = {}
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith('#'):
                    seconds, _, test_id = line.partition(' ')
                    times[test_id] = float(seconds)
    except FileNotFoundError:
        pass
    return times


def save(run_path, times_path):
    durations = Durations()
    with open(run_path, 'rb') as f:
        subunit.ByteStreamToStreamResult(f, non_subunit_name='stdout').run(durations)
    times = read_times(times_path)
    times.update(durations.seconds)
    with open(times_path, 'w', encoding='utf-8') as f:
        f.write('# written by test/compat/tempest-times.py save\n')
        for test_id in sorted(times):
            f.write(f'{times[test_id]:.1f} {test_id}\n')


def stream(times_path):
    output = subunit.StreamResultToBytes(sys.stdout.buffer)
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    for test_id, seconds in sorted(read_times(times_path).items()):
        output.status(test_id=test_id, test_status='inprogress', timestamp=start)
        output.status(test_id=test_id, test_status='success',
                      timestamp=start + datetime.timedelta(seconds=seconds))
    sys.stdout.buffer.flush()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'save':
        save(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == 'stream':
        stream(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
