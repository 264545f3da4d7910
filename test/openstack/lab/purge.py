#!/usr/bin/python3
"""Clears the lab of what an interrupted test run may have left behind, before a new run.

Deletes the servers of senlin-ts nodes (metadata `cluster_node_id`, any project) and every
server, Heat stack, load balancer, server group, unattached port and receiver queue of the
projects the tests work in (demo and admin), then waits until the servers and load balancers
are gone. The lab's own resources (images, flavors, networks, the router) are kept. Reads the
admin and demo passwords from env.sh's variables; prints what it deletes.
"""
import os
import sys
import time

from keystoneauth1 import exceptions, session
from keystoneauth1.identity import v3

AUTH_URL = os.environ['LAB_KEYSTONE_URL']
REGION = os.environ['LAB_REGION']
ACCOUNTS = {
    'admin': os.environ['LAB_ADMIN_PASS'],
    'demo': os.environ['LAB_DEMO_PASS'],
}
CLIENT_ID = '4e6f7468-696e-4c65-8674-000000000009'


def connect(user):
    auth = v3.Password(auth_url=AUTH_URL, username=user, password=ACCOUNTS[user],
                       project_name=user, user_domain_name='Default',
                       project_domain_name='Default')
    return session.Session(auth=auth)


def call(sess, service, method, path, **kwargs):
    kwargs.setdefault('raise_exc', False)
    return sess.request(path, method, endpoint_filter={
        'service_type': service, 'interface': 'public', 'region_name': REGION}, **kwargs)


def listing(sess, service, path, key):
    answer = call(sess, service, 'GET', path, raise_exc=True)
    return answer.json().get(key) or []


def delete(sess, service, path, what, **kwargs):
    answer = call(sess, service, 'DELETE', path, **kwargs)
    if answer.status_code not in (200, 202, 204, 404):
        print('could not delete %s: %s %s' % (what, answer.status_code, answer.text[:200]))
        return False
    print('deleted', what)
    return True


def wait_gone(check, what, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not check():
            return True
        time.sleep(2)
    print('still there after %d s: %s' % (timeout, what))
    return False


def main():
    admin, demo = connect('admin'), connect('demo')
    projects = {user: sess.get_project_id() for user, sess in (('admin', admin), ('demo', demo))}
    ok = True

    def leftover_servers():
        servers = listing(admin, 'compute', '/servers/detail?all_tenants=1', 'servers')
        return [s for s in servers
                if 'cluster_node_id' in (s.get('metadata') or {})
                or s.get('tenant_id') == projects['demo']]

    for server in leftover_servers():
        # a locked server is unlocked first; the forced delete works in any state
        call(admin, 'compute', 'POST', '/servers/%s/action' % server['id'], json={'unlock': None})
        ok &= delete(admin, 'compute', '/servers/' + server['id'], 'server ' + server['name'])

    for user, sess in (('admin', admin), ('demo', demo)):
        for stack in listing(sess, 'orchestration', '/stacks', 'stacks'):
            if user == 'admin' and not any(t.startswith('cluster_node_id=')
                                           for t in stack.get('tags') or []):
                continue
            ok &= delete(sess, 'orchestration',
                         '/stacks/%s/%s' % (stack['stack_name'], stack['id']),
                         'stack ' + stack['stack_name'])
        queues = call(sess, 'messaging', 'GET', '/v2/queues?limit=100',
                      headers={'Client-ID': CLIENT_ID})
        if queues.status_code == 200:
            for queue in queues.json().get('queues') or []:
                if queue['name'].startswith(('senlin-receiver', 'senlin-ts-')):
                    ok &= delete(sess, 'messaging', '/v2/queues/' + queue['name'],
                                 'queue ' + queue['name'], headers={'Client-ID': CLIENT_ID})

    lbs = listing(admin, 'load-balancer', '/v2/lbaas/loadbalancers', 'loadbalancers')
    for lb in lbs:
        if lb.get('provisioning_status') != 'PENDING_DELETE':
            ok &= delete(admin, 'load-balancer',
                         '/v2/lbaas/loadbalancers/%s?cascade=true' % lb['id'],
                         'load balancer ' + str(lb.get('name')))

    ok &= wait_gone(leftover_servers, 'servers')
    ok &= wait_gone(lambda: listing(admin, 'load-balancer', '/v2/lbaas/loadbalancers',
                                    'loadbalancers'), 'load balancers')

    groups = listing(admin, 'compute', '/os-server-groups?all_projects=True', 'server_groups')
    for group in groups:
        ok &= delete(admin, 'compute', '/os-server-groups/' + group['id'],
                     'server group ' + group['name'])

    live = {s['id'] for s in listing(admin, 'compute', '/servers?all_tenants=1', 'servers')}
    for port in listing(admin, 'network', '/v2.0/ports', 'ports'):
        owner = port.get('device_owner') or ''
        loose = not owner and not port.get('device_id') and port['project_id'] in projects.values()
        orphan = owner.startswith('compute:') and port.get('device_id') not in live
        if loose or orphan:
            ok &= delete(admin, 'network', '/v2.0/ports/' + port['id'], 'port ' + port['id'])

    print('lab clear' if ok else 'lab not entirely clear')
    return 0 if ok else 1


if __name__ == '__main__':
    try:
        sys.exit(main())
    except exceptions.ClientException as err:
        print('error:', err)
        sys.exit(1)
