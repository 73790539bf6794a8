"""The embedded run's broker: a worker never takes a message that is still being
written (kombu's own filesystem transport lets it read the file empty and die)."""

from queue import Empty

import pytest
from kombu import Connection

from crvs_portal import broker


def _broker(root) -> Connection:
    """A connection to a broker folder of its own under `root`."""
    folders = {name: root / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    return Connection(
        "filesystem://",
        transport="crvs_portal.broker:Transport",
        transport_options={
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
            "store_processed": False,
        },
    )


@pytest.fixture
def connection(tmp_path):
    with _broker(tmp_path) as conn:
        yield conn


def test_a_message_goes_through(connection):
    queue = connection.SimpleQueue("celery")
    queue.put({"task": "x", "args": [1]})
    message = queue.get(timeout=2)
    assert message.payload == {"task": "x", "args": [1]}
    message.ack()
    queue.close()


def test_a_message_being_written_is_not_taken(connection, monkeypatch):
    channel = connection.channel()
    seen = []
    encode = broker.str_to_bytes

    def while_writing(text):
        # The file is open and still empty: a worker looking now finds nothing.
        try:
            seen.append(channel._get("celery"))
        except Empty:
            seen.append("nothing")
        return encode(text)

    monkeypatch.setattr(broker, "str_to_bytes", while_writing)
    channel._put("celery", {"body": "whole"})
    monkeypatch.undo()

    assert seen == ["nothing"]
    assert channel._get("celery") == {"body": "whole"}


def test_a_second_broker_folder_in_the_same_process_delivers_too(tmp_path):
    """Bindings are remembered per control folder: a new folder gets its own
    exchange table, so what is published there is delivered, not dropped."""
    for run in ("first", "second"):
        with _broker(tmp_path / run) as conn:
            queue = conn.SimpleQueue("celery")
            queue.put({"run": run})
            message = queue.get(timeout=2)
            assert message.payload == {"run": run}
            message.ack()
            queue.close()
