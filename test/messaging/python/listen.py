#!/usr/bin/python3
"""An oslo.messaging notification listener, as Ceilometer-style consumers run one.

Prints one JSON line {"ready": true} once listening, then one JSON line per notification
received (priority, context, publisher_id, event_type, payload, metadata) and exits 0 after
--count notifications, or 2 when --timeout seconds pass first.
"""
import argparse
import json
import sys
import threading

from oslo_config import cfg
import oslo_messaging


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--url', required=True, help='transport URL (rabbit://...)')
    parser.add_argument('--exchange', required=True)
    parser.add_argument('--topic', required=True)
    parser.add_argument('--pool', default=None, help='listener pool (queue name)')
    parser.add_argument('--count', type=int, default=1)
    parser.add_argument('--timeout', type=float, default=30.0)
    return parser.parse_args()


class Recorder(object):
    """Endpoint that prints every notification it gets, whatever its priority."""

    def __init__(self, count):
        self.count = count
        self.seen = 0
        self.done = threading.Event()
        self.lock = threading.Lock()

    def _record(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        line = json.dumps({
            'priority': priority,
            'context': ctxt,
            'publisher_id': publisher_id,
            'event_type': event_type,
            'payload': payload,
            'metadata': metadata,
        }, default=str)
        with self.lock:
            print(line, flush=True)
            self.seen += 1
            if self.seen >= self.count:
                self.done.set()

    def audit(self, *args):
        self._record('audit', *args)

    def debug(self, *args):
        self._record('debug', *args)

    def info(self, *args):
        self._record('info', *args)

    def warn(self, *args):
        self._record('warn', *args)

    def error(self, *args):
        self._record('error', *args)

    def critical(self, *args):
        self._record('critical', *args)

    def sample(self, *args):
        self._record('sample', *args)


def main():
    args = parse_args()
    conf = cfg.ConfigOpts()
    conf([], project='senlin-ts-test')
    transport = oslo_messaging.get_notification_transport(conf, url=args.url)
    target = oslo_messaging.Target(topic=args.topic, exchange=args.exchange)
    recorder = Recorder(args.count)
    listener = oslo_messaging.get_notification_listener(
        transport, [target], [recorder], executor='threading', pool=args.pool)
    listener.start()
    print(json.dumps({'ready': True}), flush=True)
    finished = recorder.done.wait(args.timeout)
    listener.stop()
    listener.wait()
    transport.cleanup()
    sys.exit(0 if finished else 2)


if __name__ == '__main__':
    main()
