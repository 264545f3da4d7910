#!/usr/bin/python3
"""Stand-in L2 agent of the lab.

Neutron's ML2 `openvswitch` mechanism driver binds a port only to a host whose "Open vSwitch
agent" is alive. The lab has no Open vSwitch, so this program reports that agent's state for
each host of LAB_AGENT_HOSTS (space separated) through Neutron's own state-report RPC, every
LAB_AGENT_INTERVAL seconds. Ports then bind (vif_type ovs) and stay DOWN: there is no data plane.

Usage: fake-ovs-agent.py --config-file /etc/neutron/neutron.conf [--log-file FILE]
"""
import os
import sys
import time

from neutron.agent import rpc as agent_rpc
from neutron.api.rpc.callbacks import resources
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config
from neutron_lib import constants
from neutron_lib import context
from neutron_lib.agent import topics
from oslo_config import cfg
from oslo_log import log as logging

# the state-report options must be registered before the RPC client is built
common_config.register_common_config_options()
agent_config.register_agent_state_opts_helper(cfg.CONF)
common_config.init(sys.argv[1:])
common_config.setup_logging()
LOG = logging.getLogger('lab-ovs-agent')

HOSTS = os.environ.get('LAB_AGENT_HOSTS', 'fake-compute-1').split()
INTERVAL = int(os.environ.get('LAB_AGENT_INTERVAL', '30'))


def agent_state(host, first):
    """What an Open vSwitch agent on `host` would report (capabilities must be a dict)."""
    state = {
        'binary': constants.AGENT_PROCESS_OVS,
        'host': host,
        'topic': constants.L2_AGENT_TOPIC,
        'agent_type': constants.AGENT_TYPE_OVS,
        'configurations': {
            'bridge_mappings': {'physnet1': 'br-ex'},
            'tunnel_types': ['vxlan'],
            'tunneling_ip': '127.0.0.1',
            'integration_bridge': 'br-int',
            'datapath_type': 'system',
            'ovs_capabilities': {
                'datapath_types': ['system'],
                'iface_types': ['internal', 'system', 'vxlan', 'patch'],
            },
            'ovs_hybrid_plug': False,
            'l2_population': False,
            'arp_responder_enabled': False,
            'enable_distributed_routing': False,
            'log_agent_heartbeats': False,
            'extensions': [],
            'devices': 0,
            'resource_provider_bandwidths': {},
            'resource_provider_hypervisors': {},
            'note': 'senlin-ts lab stand-in, no data plane',
        },
    }
    if first:
        state['start_flag'] = True
        state['resource_versions'] = resources.LOCAL_RESOURCE_VERSIONS
    return state


def main():
    rpc = agent_rpc.PluginReportStateAPI(topics.REPORTS)
    ctx = context.get_admin_context_without_session()
    registered = set()
    while True:
        for host in HOSTS:
            try:
                rpc.report_state(ctx, agent_state(host, host not in registered), True)
                if host not in registered:
                    LOG.info('reporting an Open vSwitch agent for host %s', host)
                registered.add(host)
            except Exception:  # keep reporting the other hosts
                LOG.exception('state report failed for host %s', host)
        time.sleep(INTERVAL)


if __name__ == '__main__':
    main()
