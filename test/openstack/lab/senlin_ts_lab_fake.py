"""Nova compute driver of the senlin-ts lab: Nova's fake live-migrating driver whose snapshots
are usable images.

`fake.FakeLiveMigrateDriver` takes a snapshot without ever uploading anything, so the image
Nova made for it stays `queued` for good. This driver uploads 64 KiB of zeros as a raw image,
as a real hypervisor uploads the guest's disk, so a snapshot becomes `active` and servers can
boot from it. cloud.sh installs it into nova.virt (Nova loads compute drivers only from there)
and sets `compute_driver = senlin_ts_lab_fake.LabFakeDriver`.
"""
import io

from nova.image import glance
from nova.virt import fake

SNAPSHOT_BYTES = 65536


class LabFakeDriver(fake.FakeLiveMigrateDriver):
    """FakeLiveMigrateDriver with snapshots that turn into active images."""

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        self._image_api = glance.API()

    def snapshot(self, context, instance, image_id, update_task_state):
        # raises InstanceNotRunning for a guest this host does not have, and moves the task
        # state to image_uploading
        super().snapshot(context, instance, image_id, update_task_state)
        metadata = {
            'status': 'active',
            'disk_format': 'raw',
            'container_format': 'bare',
            'properties': {
                'image_location': 'snapshot',
                'image_state': 'available',
                'owner_id': instance.project_id,
            },
        }
        self._image_api.update(context, image_id, metadata,
                               io.BytesIO(b'\0' * SNAPSHOT_BYTES))
