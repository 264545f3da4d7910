"""Cinder volume driver of the senlin-ts lab: the NFS driver, also extending attached volumes.

Cinder's NFS driver refuses to extend a volume while it is attached, because a running guest
may hold its file open. The lab's fake hypervisors run no guest, so nothing ever opens the
files: an attached volume is extended like a detached one, and Cinder then tells Nova (whose
fake driver takes note), as with a backend that extends volumes online. cloud.sh installs it
into cinder.volume.drivers and sets `volume_driver = cinder.volume.drivers.senlin_ts_lab_nfs.
LabNfsDriver`.
"""
import threading

from cinder.volume.drivers import nfs


class LabNfsDriver(nfs.NfsDriver):
    """NfsDriver whose extend_volume also takes attached volumes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._extending = threading.local()

    def extend_volume(self, volume, new_size):
        self._extending.active = True
        try:
            super().extend_volume(volume, new_size)
        finally:
            self._extending.active = False

    def _is_volume_attached(self, volume):
        # only the extend of this green thread sees volumes as detached (snapshots still
        # treat attached volumes as such)
        if getattr(self._extending, 'active', False):
            return False
        return super()._is_volume_attached(volume)
