# env.sh -- settings of the OpenStack lab used by `npm run test:openstack`.
#
# Source it:  . env.sh          -> admin credentials (default)
#             . env.sh demo     -> the demo user in project demo (a plain member)
#             . env.sh senlin   -> senlin-ts's service user in project service
# Everything listens on 127.0.0.1 only. Passwords are throwaway values for this lab alone.

export LAB_LOG_DIR=${LAB_LOG_DIR:-/var/log/senlin-ts-lab}
export LAB_RUN_DIR=${LAB_RUN_DIR:-/run/senlin-ts-lab}        # pid files of what the lab started
export LAB_STATE_DIR=${LAB_STATE_DIR:-/var/lib/senlin-ts-lab} # generated files, markers
export LAB_ETC_DIR=/etc/senlin-ts-lab                          # uwsgi ini files
export LAB_LIB_DIR=/usr/local/lib/senlin-ts-lab                # helper programs

export LAB_KEYSTONE_DB_PASS=keystonedb
export LAB_RABBIT_USER=openstack
export LAB_RABBIT_PASS=rabbitpass
# the lab's own virtual host on the machine's RabbitMQ: its queues never mix with other users'
export LAB_RABBIT_VHOST=senlin-ts-lab
export LAB_ADMIN_PASS=adminpass
export LAB_DEMO_PASS=demopass
export LAB_SENLIN_PASS=senlinpass
export LAB_KEYSTONE_URL=http://127.0.0.1:5000/v3
export LAB_REGION=RegionOne
# a second catalog region with the same services, for region placement
export LAB_REGION2=RegionTwo
# availability zones made of host aggregates, one fake compute host each
export LAB_ZONES="lab-az1 lab-az2"
export LAB_COMPUTE_HOSTS="fake-compute-1 fake-compute-2"
# the Docker daemon of the container driver's tests and the image it has
export LAB_DOCKER_PORT=2375
export LAB_DOCKER_URL=tcp://127.0.0.1:$LAB_DOCKER_PORT
export LAB_DOCKER_IMAGE=senlin-ts-lab/busybox

# never let a client go through a proxy
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

export OS_AUTH_URL=$LAB_KEYSTONE_URL
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=$LAB_REGION
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_INTERFACE=public
unset OS_CLOUD OS_TOKEN OS_AUTH_TYPE
case "${1:-admin}" in
  demo)
    export OS_USERNAME=demo OS_PASSWORD=$LAB_DEMO_PASS OS_PROJECT_NAME=demo ;;
  senlin)
    export OS_USERNAME=senlin OS_PASSWORD=$LAB_SENLIN_PASS OS_PROJECT_NAME=service ;;
  *)
    export OS_USERNAME=admin OS_PASSWORD=$LAB_ADMIN_PASS OS_PROJECT_NAME=admin ;;
esac
