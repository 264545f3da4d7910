"""The clustering proxy of openstacksdk (`conn.clustering`) against the catalog's senlin.

Run with Debian's python3 and the OS_* variables of a project member (run.sh passes the demo
user); KEYSTONE_ADMIN_PASSWORD is used for the administrator-only calls. Prints `ok <check>`
or `FAIL <check>: <why>` per check and `CHECKS passed=N failed=N`; exits 1 when a check
failed. Everything it creates is named sdk-* and deleted at the end.
"""
import os
import sys
import time
import urllib.request

import openstack
from openstack import exceptions as sdk_exc
from openstack import resource as sdk_resource

PASSED = []
FAILED = []
XFAILED = []


def known_failures():
    """`sdk-session:<check> # <reason>` lines of expected-failures.txt."""
    path = os.environ.get('COMPAT_EXPECTED_FAILURES') or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'expected-failures.txt')
    known = {}
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                test, sep, reason = line.strip().partition(' # ')
                if sep and test.startswith('sdk-session:'):
                    known[test[len('sdk-session:'):]] = reason
    except OSError:
        pass
    return known


KNOWN = known_failures()


def ok(name):
    PASSED.append(name)
    note = ' (NOW PASSING: remove it from expected-failures.txt)' if name in KNOWN else ''
    print(f'ok {name}{note}', flush=True)


def fail(name, why):
    if name in KNOWN:
        XFAILED.append(name)
        print(f'expected failure {name}: {why} (known: {KNOWN[name]})', flush=True)
    else:
        FAILED.append(name)
        print(f'FAIL {name}: {why}', flush=True)


def check(name, condition, detail=''):
    if condition:
        ok(name)
    else:
        fail(name, detail)
    return condition


def step(label, call, /, *args, **kwargs):
    """Runs one SDK call; a raised exception is a failed check (and None is returned)."""
    try:
        result = call(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 -- any client error fails the check
        fail(label, f'{type(error).__name__}: {error}')
        return None
    ok(label)
    return result


def refused(label, status, message, call, /, *args, **kwargs):
    """The call must fail with HTTP `status` and an error message containing `message`."""
    try:
        result = call(*args, **kwargs)
    except sdk_exc.HttpException as error:
        text = str(error.details or error.message or error)
        if error.status_code == status and message in text:
            ok(f'{label} ({status})')
        else:
            fail(label, f'got {error.status_code} {text!r}, want {status} containing {message!r}')
        return
    # action-style calls answer with the error body instead of raising
    body = result if isinstance(result, dict) else {}
    error = body.get('error') or {}
    if body.get('code') == status and message in str(error.get('message')):
        ok(f'{label} ({status}, in the body)')
    else:
        fail(label, f'succeeded: {result!r}')


def connect(admin=False, microversion='1.14'):
    env = os.environ
    user = 'admin' if admin else env['OS_USERNAME']
    password = env['KEYSTONE_ADMIN_PASSWORD'] if admin else env['OS_PASSWORD']
    project = 'admin' if admin else env['OS_PROJECT_NAME']
    options = {}
    if microversion:
        options['clustering_default_microversion'] = microversion
    return openstack.connect(
        auth={'auth_url': env['OS_AUTH_URL'], 'username': user, 'password': password,
              'project_name': project, 'user_domain_name': 'Default',
              'project_domain_name': 'Default'},
        region_name=env.get('OS_REGION_NAME', 'RegionOne'), interface='public', **options)


def wait(predicate, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except sdk_exc.HttpException:
            pass
        time.sleep(0.5)
    return False


def action_id(result):
    # SDK resources are dicts too: only plain answers ({"action": id}) carry an action here
    if isinstance(result, dict) and not isinstance(result, sdk_resource.Resource):
        return result.get('action') or result.get('id')
    return None


def finished(cl, name, result, status='SUCCEEDED', timeout=120):
    """The action started by `result` must reach `status`."""
    aid = action_id(result)
    if not aid:
        fail(f'{name} action', f'no action id in {result!r}')
        return None
    reached = wait(lambda: cl.get_action(aid).status == status, timeout)
    check(f'{name} action {status}', reached, f'action {aid} is {cl.get_action(aid).status}')
    return aid


SERVER_SPEC = {
    'type': 'os.nova.server', 'version': '1.0',
    'properties': {'name': 'sdk-server', 'flavor': 'm1.tiny', 'image': 'cirros-0.4.0-x86_64-disk',
                   'networks': [{'network': 'private'}]},
}
SCALING_SPEC = {
    'type': 'senlin.policy.scaling', 'version': '1.0',
    'properties': {'event': 'CLUSTER_SCALE_OUT',
                   'adjustment': {'type': 'CHANGE_IN_CAPACITY', 'number': 1}},
}
DELETION_SPEC = {
    'type': 'senlin.policy.deletion', 'version': '1.1',
    'properties': {'criteria': 'YOUNGEST_FIRST'},
}


def types_and_info(cl):
    info = step('get_build_info', cl.get_build_info)
    check('build info has api and engine', info is not None and info.api and info.engine,
          repr(info))
    names = {t.name for t in cl.profile_types()}
    check('profile_types', {'os.nova.server-1.0', 'os.heat.stack-1.0'} <= names or
          {'os.nova.server', 'os.heat.stack'} <= names, repr(names))
    pt = step('get_profile_type', cl.get_profile_type, 'os.nova.server-1.0')
    check('profile type schema', pt is not None and 'flavor' in (pt.schema or {}), repr(pt))
    ops = step('list_profile_type_operations', cl.list_profile_type_operations,
               'os.nova.server-1.0')
    check('profile type operations', ops is not None and 'reboot' in str(ops), repr(ops)[:200])
    names = {t.name for t in cl.policy_types()}
    check('policy_types', 'senlin.policy.scaling' in names or
          'senlin.policy.scaling-1.0' in names, repr(names))
    pt = step('get_policy_type', cl.get_policy_type, 'senlin.policy.scaling-1.0')
    check('policy type schema', pt is not None and 'adjustment' in (pt.schema or {}), repr(pt))


def profiles_and_policies(cl):
    prof = step('create_profile', cl.create_profile, name='sdk-profile', spec=SERVER_SPEC,
                metadata={'k1': 'v1'})
    check('profile fields', prof is not None and prof.type == 'os.nova.server-1.0' and
          prof.metadata == {'k1': 'v1'}, repr(prof))
    checked = step('validate_profile', cl.validate_profile, spec=SERVER_SPEC)
    check('validated profile', checked is not None and checked.name == 'validated_profile',
          repr(checked))
    found = step('find_profile', cl.find_profile, 'sdk-profile')
    check('find_profile by name', found is not None and found.id == prof.id, repr(found))
    updated = step('update_profile', cl.update_profile, prof, name='sdk-profile-2')
    check('profile renamed', cl.get_profile(prof.id).name == 'sdk-profile-2', repr(updated))
    listed = [p.id for p in cl.profiles(name='sdk-profile-2')]
    check('profiles(name=)', listed == [prof.id], repr(listed))
    refused('create_profile with a bad spec', 400, "Unrecognizable spec item 'bogus'",
            cl.create_profile, name='sdk-bad',
            spec={**SERVER_SPEC, 'properties': {**SERVER_SPEC['properties'], 'bogus': 1}})

    pol = step('create_policy', cl.create_policy, name='sdk-scaling', spec=SCALING_SPEC)
    check('policy type', pol is not None and pol.type == 'senlin.policy.scaling-1.0', repr(pol))
    checked = step('validate_policy', cl.validate_policy, spec=DELETION_SPEC)
    check('validated policy', checked is not None and checked.name == 'validated_policy',
          repr(checked))
    step('update_policy', cl.update_policy, pol, name='sdk-scaling-2')
    check('policy renamed', cl.get_policy(pol.id).name == 'sdk-scaling-2')
    found = step('find_policy', cl.find_policy, 'sdk-scaling-2')
    check('find_policy by name', found is not None and found.id == pol.id, repr(found))
    listed = [p.id for p in cl.policies(type='senlin.policy.scaling-1.0')]
    check('policies(type=)', pol.id in listed, repr(listed))
    pol2 = step('create_policy deletion', cl.create_policy, name='sdk-deletion',
                spec=DELETION_SPEC)
    # raw pagination: the SDK's iterator follows pages by itself
    page = cl.get('/profiles?limit=1').json()['profiles']
    check('limit=1 returns one profile', len(page) == 1, repr(page))
    return prof, pol, pol2


def clusters(cl, prof):
    c = step('create_cluster', cl.create_cluster, name='sdk-cluster', profile_id=prof.id,
             min_size=1, max_size=5, desired_capacity=2, metadata={'k': 'v'},
             config={'node.name.format': 'sdk-$2I'})
    if c is None:
        return None
    step('wait_for_status ACTIVE', cl.wait_for_status, c, 'ACTIVE', failures=['ERROR'],
         interval=1, wait=120)
    c = cl.get_cluster(c.id)
    check('cluster fields', c.desired_capacity == 2 and c.min_size == 1 and
          c.max_size == 5 and len(c.node_ids) == 2 and c.metadata == {'k': 'v'}, repr(c))
    check('clusters()', c.id in [x.id for x in cl.clusters(status='ACTIVE')])
    check('find_cluster', cl.find_cluster('sdk-cluster').id == c.id)
    step('update_cluster', cl.update_cluster, c, name='sdk-cluster-2', timeout=1200)
    check('cluster updated', wait(lambda: cl.get_cluster(c.id).name == 'sdk-cluster-2'))
    wait(lambda: cl.get_cluster(c.id).status == 'ACTIVE')

    finished(cl, 'scale_out_cluster', step('scale_out_cluster', cl.scale_out_cluster, c, 2))
    check('scaled out to 4', cl.get_cluster(c.id).desired_capacity == 4)
    finished(cl, 'scale_in_cluster', step('scale_in_cluster', cl.scale_in_cluster, c, 1))
    check('scaled in to 3', cl.get_cluster(c.id).desired_capacity == 3)
    finished(cl, 'resize_cluster', step('resize_cluster', cl.resize_cluster, c,
                                        adjustment_type='EXACT_CAPACITY', number=2,
                                        min_size=1, max_size=6, strict=True))
    got = cl.get_cluster(c.id)
    check('resized to 2 within 1..6', (got.desired_capacity, got.min_size, got.max_size) ==
          (2, 1, 6), repr(got))
    refused('resize beyond max_size', 400,
            "The target capacity (7) is greater than the cluster's max_size (6).",
            cl.resize_cluster, c, adjustment_type='EXACT_CAPACITY', number=7, strict=True)
    refused('get_cluster of a missing cluster', 404, "could not be found",
            cl.get_cluster, 'sdk-no-such-cluster')
    refused('create_cluster with min_size > desired', 400,
            'The target capacity (1) is less than the specified min_size (2).',
            cl.create_cluster, name='sdk-bad', profile_id=prof.id, min_size=2,
            desired_capacity=1)
    return c


def nodes_and_members(cl, prof, c):
    n1 = step('create_node', cl.create_node, name='sdk-node-1', profile_id=prof.id,
              role='spare', metadata={'a': 'b'})
    n2 = step('create_node 2', cl.create_node, name='sdk-node-2', profile_id=prof.id)
    for n in (n1, n2):
        check(f'node {n.name} ACTIVE', wait(lambda n=n: cl.get_node(n.id).status == 'ACTIVE'))
    shown = cl.get_node(n1.id, details=True)
    check('get_node(details=True)', shown.details is not None and
          'flavor' in str(shown.details) and shown.cluster_id == '' and shown.index == -1,
          repr(shown))
    step('update_node', cl.update_node, n1, name='sdk-node-1b', role='standby')
    check('node updated', wait(lambda: cl.get_node(n1.id).role == 'standby'))
    check('nodes(cluster_id=)', len(list(cl.nodes(cluster_id=c.id))) == 2)

    finished(cl, 'add_nodes_to_cluster', step('add_nodes_to_cluster', cl.add_nodes_to_cluster,
                                              c, [n1.id]))
    check('node joined', cl.get_node(n1.id).cluster_id == c.id)
    finished(cl, 'remove_nodes_from_cluster', step(
        'remove_nodes_from_cluster', cl.remove_nodes_from_cluster, c, [n1.id],
        destroy_after_deletion=False))
    check('node left', cl.get_node(n1.id).cluster_id == '')
    old = cl.get_cluster(c.id).node_ids[0]
    finished(cl, 'replace_nodes_in_cluster', step(
        'replace_nodes_in_cluster', cl.replace_nodes_in_cluster, c, {old: n2.id}))
    members = cl.get_cluster(c.id).node_ids
    check('node replaced', n2.id in members and old not in members, repr(members))
    check('replaced node is an orphan', cl.get_node(old).cluster_id == '')
    refused('add a member of another cluster', 400, 'already owned by some cluster',
            cl.add_nodes_to_cluster, c, [n2.id])

    finished(cl, 'check_cluster', step('check_cluster', cl.check_cluster, c))
    finished(cl, 'recover_cluster', step('recover_cluster', cl.recover_cluster, c,
                                         operation='REBUILD'))
    finished(cl, 'check_node', step('check_node', cl.check_node, n1))
    finished(cl, 'recover_node', step('recover_node', cl.recover_node, n1, check=True))
    finished(cl, 'perform_operation_on_cluster', step(
        'perform_operation_on_cluster', cl.perform_operation_on_cluster, c, 'reboot',
        params={'type': 'SOFT'}))
    finished(cl, 'perform_operation_on_node', step(
        'perform_operation_on_node', cl.perform_operation_on_node, n1, 'reboot', type='HARD'))
    attrs = step('collect_cluster_attrs', lambda: list(
        cl.collect_cluster_attrs(c.id, 'details.status')))
    check('collected statuses', attrs is not None and len(attrs) == 2 and
          all(a.attr_value == 'ACTIVE' for a in attrs), repr(attrs))

    preview = step('adopt_node preview', cl.adopt_node, True, identity=shown.physical_id,
                   type='os.nova.server-1.0')
    check('adopt preview body', isinstance(preview, dict) and
          preview.get('node_profile', {}).get('node_preview', {}).get('type') ==
          'os.nova.server', repr(preview)[:300])
    adopted = step('adopt_node', cl.adopt_node, identity=shown.physical_id,
                   type='os.nova.server-1.0', name='sdk-adopted')
    check('adopted node', adopted is not None and adopted.physical_id == shown.physical_id and
          adopted.status == 'ACTIVE', repr(adopted))
    return [n1.id, old, adopted.id if adopted else None], adopted


def policies_on_cluster(cl, c, pol, pol2):
    finished(cl, 'attach_policy_to_cluster', step(
        'attach_policy_to_cluster', cl.attach_policy_to_cluster, c, pol.id, enabled=True))
    finished(cl, 'attach deletion policy', step(
        'attach deletion policy', cl.attach_policy_to_cluster, c, pol2.id))
    bindings = list(cl.cluster_policies(c.id))
    check('cluster_policies', len(bindings) == 2, repr(bindings))
    binding = step('get_cluster_policy', cl.get_cluster_policy, pol.id, c.id)
    check('binding fields', binding is not None and binding.policy_id == pol.id and
          binding.is_enabled is True, repr(binding))
    finished(cl, 'update_cluster_policy', step(
        'update_cluster_policy', cl.update_cluster_policy, c, pol.id, enabled=False))
    check('binding disabled', cl.get_cluster_policy(pol.id, c.id).is_enabled is False)
    check('cluster_policies(is_enabled=False)',
          len(list(cl.cluster_policies(c.id, is_enabled=False))) == 1)
    refused('delete an attached policy', 409, 'still attached to some clusters',
            cl.delete_policy, pol.id, ignore_missing=False)
    # scale-in picks the youngest node through the deletion policy
    before = cl.get_cluster(c.id).node_ids
    newest = max((cl.get_node(n) for n in before), key=lambda n: n.created_at).id
    finished(cl, 'scale in with deletion policy', step(
        'scale_in_cluster with deletion policy', cl.scale_in_cluster, c, 1))
    after = cl.get_cluster(c.id).node_ids
    check('deletion policy removed the youngest node', newest not in after and
          len(after) == len(before) - 1, f'before {before} after {after} newest {newest}')
    for p in (pol, pol2):
        finished(cl, f'detach {p.name}', step(f'detach_policy_from_cluster {p.name}',
                                                cl.detach_policy_from_cluster, c, p.id))
    check('no bindings left', list(cl.cluster_policies(c.id)) == [])


def receivers(cl, c):
    r = step('create_receiver', cl.create_receiver, name='sdk-receiver', cluster_id=c.id,
             type='webhook', action='CLUSTER_SCALE_OUT', params={'count': 1})
    if r is None:
        return
    url = (r.channel or {}).get('alarm_url', '')
    check('alarm_url', f'/v1/webhooks/{r.id}/trigger?V=2' in url, url)
    before = cl.get_cluster(c.id).desired_capacity
    request = urllib.request.Request(url, method='POST')
    with urllib.request.urlopen(request, timeout=30) as answer:
        location = answer.headers.get('Location', '')
        check('webhook trigger answers 202 with a Location', answer.status == 202 and
              '/v1/actions/' in location, f'{answer.status} {location}')
    finished(cl, 'webhook', {'action': location.split('/actions/')[-1]})
    check('webhook scaled out', cl.get_cluster(c.id).desired_capacity == before + 1)
    step('update_receiver', cl.update_receiver, r, name='sdk-receiver-2', params={'count': 2})
    got = cl.get_receiver(r.id)
    check('receiver updated', got.name == 'sdk-receiver-2' and got.params == {'count': 2},
          repr(got))
    check('receivers(type=)', r.id in [x.id for x in cl.receivers(type='webhook')])
    check('find_receiver', cl.find_receiver('sdk-receiver-2').id == r.id)
    step('delete_receiver', cl.delete_receiver, r)
    check('receiver gone', cl.find_receiver(r.id) is None)


def actions_and_events(cl, c, prof):
    done = list(cl.actions(target=c.id, status='SUCCEEDED'))
    check('actions(target=, status=)', len(done) > 5 and
          all(a.status == 'SUCCEEDED' and a.target_id == c.id for a in done), repr(done[:2]))
    shown = step('get_action', cl.get_action, done[0].id)
    check('action fields', shown is not None and shown.action and
          shown.start_at is not None and shown.end_at is not None, repr(shown))
    # cancel a running action: a scale-out whose server takes 8 s to build
    slow_spec = {**SERVER_SPEC, 'properties': {**SERVER_SPEC['properties'],
                                               'metadata': {'simulated_wait_time': 8}}}
    slow = cl.create_profile(name='sdk-profile-slow', spec=slow_spec)
    step('update_cluster profile_only', cl.update_cluster, c, profile_id=slow.id,
         profile_only=True)
    check('cluster profile changed', wait(lambda: cl.get_cluster(c.id).profile_id == slow.id and
                                          cl.get_cluster(c.id).status == 'ACTIVE'))
    started = step('scale_out slow', cl.scale_out_cluster, c, 1)
    aid = action_id(started)
    check('slow action running', wait(
        lambda: cl.get_action(aid).status in ('RUNNING', 'WAITING'), 30))
    step('update_action CANCELLED', cl.update_action, aid, status='CANCELLED')
    check('action cancelled', wait(lambda: cl.get_action(aid).status == 'CANCELLED', 60),
          cl.get_action(aid).status)
    check('cluster status evaluated after the cancelled scale-out', wait(
        lambda: cl.get_cluster(c.id).status in ('ACTIVE', 'WARNING', 'ERROR'), 20),
        cl.get_cluster(c.id).status_reason)
    events = list(cl.events(obj_id=c.id, sort='timestamp:asc'))
    check('events(obj_id=)', len(events) > 5 and all(e.obj_id == c.id for e in events),
          repr(events[:1]))
    event = step('get_event', cl.get_event, events[0].id)
    check('event fields', event is not None and event.level and event.generated_at,
          repr(event))
    return slow


def services():
    admin = connect(admin=True)
    found = step('services (admin)', lambda: list(admin.clustering.services()))
    binaries = {s.binary for s in found or []}
    check('service binaries', {'senlin-engine', 'senlin-conductor'} <= binaries, repr(binaries))
    check('services up', all(s.state == 'up' for s in found or []), repr(found))


def microversion_defaults():
    bare = connect(microversion=None).clustering
    check('no microversion header means 1.0', bare.get('/clusters').headers.get(
        'OpenStack-API-Version') == 'clustering 1.0')
    refused('adopt_node at 1.0', 400, "API version '1.0' is not supported on this method.",
            bare.adopt_node, True, identity='x', type='os.nova.server-1.0')


def cleanup(cl, c, orphans, adopted, prof, slow, pol, pol2):
    if prof is None:
        return
    if c is not None:
        wait(lambda: cl.get_cluster(c.id).status in ('ACTIVE', 'WARNING', 'ERROR'))
        step('delete_cluster', cl.delete_cluster, c)
        step('wait_for_delete cluster', cl.wait_for_delete, c, interval=1, wait=120)
    for n in orphans or []:
        if n is not None:
            step(f'delete_node {n}', cl.delete_node, n)
    for n in orphans or []:
        if n is not None:
            check(f'node {n} deleted', wait(lambda n=n: cl.find_node(n) is None, 60))
    forced = step('create_cluster to force-delete', cl.create_cluster, name='sdk-forced',
                  profile_id=prof.id, desired_capacity=1)
    if forced is not None:
        step('delete_cluster(force_delete=True)', cl.delete_cluster, forced.id,
             force_delete=True)
        step('wait_for_delete forced cluster', cl.wait_for_delete, forced, interval=1, wait=120)
    profiles = [prof, slow] + ([cl.get_profile(adopted.profile_id)] if adopted else [])
    for p in profiles:
        if p is not None:
            step(f'delete_profile {p.name}', cl.delete_profile, p, ignore_missing=False)
    for p in (pol, pol2):
        if p is not None:
            step(f'delete_policy {p.name}', cl.delete_policy, p, ignore_missing=False)
    check('profile gone', cl.find_profile(prof.id) is None)


def section(name, function, *args, default=None):
    """Runs one part of the session; an unexpected exception fails it and the session goes on."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001
        fail(name, f'aborted by {type(error).__name__}: {error}')
        return default


def main():
    cl = connect().clustering
    section('types and build info', types_and_info, cl)
    prof, pol, pol2 = section('profiles and policies', profiles_and_policies, cl,
                              default=(None, None, None))
    c = section('clusters', clusters, cl, prof) if prof else None
    orphans, adopted, slow = None, None, None
    if c is not None:
        orphans, adopted = section('nodes', nodes_and_members, cl, prof, c, default=(None, None))
        if pol and pol2:
            section('cluster policies', policies_on_cluster, cl, c, pol, pol2)
        section('receivers', receivers, cl, c)
        slow = section('actions and events', actions_and_events, cl, c, prof)
    section('services', services)
    section('microversions', microversion_defaults)
    section('clean-up', cleanup, cl, c, orphans, adopted, prof, slow, pol, pol2)
    print(f'CHECKS passed={len(PASSED)} failed={len(FAILED)} expected_failures={len(XFAILED)}')
    return 1 if FAILED else 0


if __name__ == '__main__':
    sys.exit(main())
