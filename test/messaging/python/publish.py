#!/usr/bin/python3
"""Publishes one notification with oslo.messaging, as Nova or Heat do.

The control exchange (--exchange) plays the part of Nova's `nova` or Heat's `heat` exchange;
the notification goes to routing key `<topic>.<priority>` with driver messagingv2 (message
format 2.0) unless --driver says `messaging` (format 1.0). Payload and context are JSON.
"""
import argparse
import json

from oslo_config import cfg
import oslo_messaging


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--url', required=True, help='transport URL (rabbit://...)')
    parser.add_argument('--exchange', required=True)
    parser.add_argument('--topic', required=True)
    parser.add_argument('--publisher-id', required=True)
    parser.add_argument('--event-type', required=True)
    parser.add_argument('--priority', default='info')
    parser.add_argument('--payload', required=True, help='JSON payload')
    parser.add_argument('--context', default='{}', help='JSON request context')
    parser.add_argument('--driver', default='messagingv2')
    return parser.parse_args()


def main():
    args = parse_args()
    oslo_messaging.set_transport_defaults(control_exchange=args.exchange)
    conf = cfg.ConfigOpts()
    conf([], project='senlin-ts-test')
    transport = oslo_messaging.get_notification_transport(conf, url=args.url)
    notifier = oslo_messaging.Notifier(
        transport, publisher_id=args.publisher_id, driver=args.driver,
        topics=[args.topic], retry=3)
    send = getattr(notifier, args.priority)
    send(json.loads(args.context), args.event_type, json.loads(args.payload))
    transport.cleanup()
    print(json.dumps({'sent': args.event_type}), flush=True)


if __name__ == '__main__':
    main()
