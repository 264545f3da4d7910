"""Rally scenario SenlinCompat.create_and_delete_cluster for test/compat.

It is rally-openstack's SenlinClusters.create_and_delete_cluster with one client-side
correction: rally-openstack 2.2.0 recognises a missing cluster by an exception attribute
`code` (or `http_status`) of 404, but openstacksdk 0.101 raises ResourceNotFound with
`code = None` and the status in `status_code`. The shipped scenario therefore reports every
successful deletion as a failure. The timed atomic actions (senlin.create_cluster,
senlin.delete_cluster) are unchanged.
"""
from rally import exceptions
from rally.task import validation

from rally_openstack.common import consts
from rally_openstack.task import scenario
from rally_openstack.task.scenarios.senlin import clusters


def http_status(error):
    """The HTTP status carried by a client exception (400 when it carries none)."""
    for name in ('status_code', 'http_status', 'code'):
        value = getattr(error, name, None)
        if isinstance(value, int):
            return value
    return 400


@validation.add('required_platform', platform='openstack', admin=True)
@validation.add('required_services', services=[consts.Service.SENLIN])
@validation.add('required_contexts', contexts=('profiles'))
@scenario.configure(context={'admin_cleanup@openstack': ['senlin']},
                    name='SenlinCompat.create_and_delete_cluster',
                    platform='openstack')
class CreateAndDeleteCluster(clusters.CreateAndDeleteCluster):
    """Creates a cluster, waits until it is ACTIVE, deletes it and waits until it is gone."""

    def _get_cluster(self, cluster):
        try:
            return self.admin_clients('senlin').get_cluster(cluster.id)
        except Exception as error:
            if http_status(error) == 404:
                raise exceptions.GetResourceNotFound(resource=cluster.id)
            raise exceptions.GetResourceFailure(resource=cluster.id, err=error)
