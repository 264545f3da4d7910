#!/usr/bin/python3
"""Adds to the lab's Keystone what the cloud services need (nothing is changed or removed).

Service users (password "<name>pass", roles admin + service in project service), the roles the
services expect, Heat's stack-user domain with its admin, the services with public, internal and
admin endpoints in LAB_REGION, and the same endpoints once more in LAB_REGION2 for the services
region placement spreads nodes over. Reads the admin credentials from the OS_* variables.
"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

SERVICE_USERS = os.environ['LAB_SERVICE_USERS'].split()
REGION = os.environ['LAB_REGION']
REGION2 = os.environ['LAB_REGION2']
EXTRA_ROLES = ('service', 'heat_stack_owner', 'heat_stack_user', 'load-balancer_member',
               'load-balancer_observer', 'load-balancer_global_observer',
               'load-balancer_quota_admin', 'load-balancer_admin')
# name, type, URL, also in the second region
CATALOG = (
    ('placement', 'placement', 'http://127.0.0.1:8778', False),
    ('glance', 'image', 'http://127.0.0.1:9292', True),
    ('neutron', 'network', 'http://127.0.0.1:9696', True),
    ('nova', 'compute', 'http://127.0.0.1:8774/v2.1', True),
    ('heat', 'orchestration', 'http://127.0.0.1:8004/v1/%(tenant_id)s', True),
    ('octavia', 'load-balancer', 'http://127.0.0.1:9876', False),
    ('cinderv3', 'volumev3', 'http://127.0.0.1:8776/v3/%(project_id)s', True),
    ('cinder', 'block-storage', 'http://127.0.0.1:8776/v3/%(project_id)s', True),
    ('zaqar', 'messaging', 'http://127.0.0.1:8888', False),
)


def named(items, name):
    return next((i for i in items if i.name == name), None)


def main():
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username=os.environ['OS_USERNAME'],
                       password=os.environ['OS_PASSWORD'],
                       project_name=os.environ['OS_PROJECT_NAME'],
                       user_domain_name='Default', project_domain_name='Default')
    ks = client.Client(session=session.Session(auth=auth), interface='public')

    roles = {r.name: r for r in ks.roles.list()}
    for name in ('admin',) + EXTRA_ROLES:
        if name not in roles:
            roles[name] = ks.roles.create(name)
            print('role', name)
    service_project = named(ks.projects.list(domain='default'), 'service')
    users = ks.users.list(domain='default')
    for name in SERVICE_USERS:
        user = named(users, name)
        if not user:
            user = ks.users.create(name, domain='default', password=name + 'pass')
            print('user', name)
        for role in ('admin', 'service'):
            ks.roles.grant(roles[role], user=user, project=service_project)

    heat_domain = named(ks.domains.list(), 'heat')
    if not heat_domain:
        heat_domain = ks.domains.create('heat', description='Users and projects Heat makes')
        print('domain heat')
    domain_admin = named(ks.users.list(domain=heat_domain), 'heat_domain_admin')
    if not domain_admin:
        domain_admin = ks.users.create('heat_domain_admin', domain=heat_domain,
                                       password=os.environ['LAB_HEAT_DOMAIN_ADMIN_PASS'])
        print('user heat_domain_admin')
    ks.roles.grant(roles['admin'], user=domain_admin, domain=heat_domain)

    if not any(r.id == REGION2 for r in ks.regions.list()):
        ks.regions.create(id=REGION2, description='second lab region (same services)')
        print('region', REGION2)
    services = ks.services.list()
    endpoints = ks.endpoints.list()
    for name, stype, url, twice in CATALOG:
        svc = next((s for s in services if s.type == stype), None)
        if not svc:
            svc = ks.services.create(name, type=stype, description='lab ' + name)
            print('service', name, stype)
        for region in (REGION, REGION2) if twice else (REGION,):
            for iface in ('public', 'internal', 'admin'):
                if not any(e.service_id == svc.id and e.interface == iface and e.region == region
                           for e in endpoints):
                    ks.endpoints.create(svc, url, interface=iface, region=region)
                    print('endpoint', stype, region, iface, url)
    print('catalog ready')


if __name__ == '__main__':
    main()
