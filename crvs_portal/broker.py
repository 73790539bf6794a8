"""The embedded run's broker: kombu's filesystem transport, each message written
under a name no worker takes and renamed into the queue once complete.

Kombu's own transport writes the message file in place, so a worker listing the
folder at that moment reads it empty and stops on the JSON error ("Unrecoverable
error"), leaving every background task undone until it is restarted.
"""

import os
import uuid
from pathlib import Path
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# A worker takes only files named `<stamp>_<uuid>.<queue>.msg`.
PARTIAL_SUFFIX = ".partial"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: written aside, then renamed into place."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    """Kombu's transport keeps one record of declared bindings for every filesystem
    broker in a process, and writes a binding into a control folder's exchange table
    only the first time it is declared: a second broker folder in the same process
    never gets its table, and what is published there is dropped. The record is
    kept per control folder instead."""

    Channel = Channel
    _states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        folder = client.transport_options.get("control_folder", "control")
        self.state = self._states.setdefault(
            str(Path(folder).resolve()), virtual.BrokerState()
        )
