"""The sandbox's own state: a small JSON document store in its own SQLite file.

Kept apart from the portal's database on purpose: MOSIP is another system, and the sandbox
must survive restarts and be reset without touching portal data. Documents live in named
collections under a string key; `seq` gives insertion order (message logs, listings).

Collections shared between modules (document fields in brackets):
- `kc_clients` [clientId, secret, serviceAccountUser, enabled, roles]
- `kc_users` [username, password, enabled, roles, email, firstName, lastName]
- `kc_roles` [name, description]
- `centres` [id, name, langCode, isActive, zoneCode, workingHours..., see masterdata]
- `machines` [id, name, regCenterId, isActive, publicKey, signPublicKey, ...]
- `zone_users` [userId, zoneCode, isActive]; `user_centres` [userId, regCenterId, isActive]
- `packets`, `workflows`, `identities` (packet and processing state)
- `hub_messages` (append-only topic log), `hub_subscriptions`, `partners`
- `settings` (fault switches, clock, provider table; key = setting name)
"""

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (collection, key)
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Store:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            self._local.depth = 0
        return conn

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Atomic block; nests (inner blocks join the outer one)."""
        conn = self.conn
        if self._local.depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        self._local.depth += 1
        try:
            yield self
        except BaseException:
            self._local.depth -= 1
            if self._local.depth == 0:
                conn.execute("ROLLBACK")
            raise
        self._local.depth -= 1
        if self._local.depth == 0:
            conn.execute("COMMIT")

    def put(self, collection: str, key: str, doc: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO docs (collection, key, body) VALUES (?, ?, ?) "
            "ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body",
            (collection, str(key), json.dumps(doc)),
        )

    def insert(self, collection: str, key: str, doc: dict[str, Any]) -> bool:
        """Insert unless the key exists; True when inserted."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO docs (collection, key, body) VALUES (?, ?, ?)",
            (collection, str(key), json.dumps(doc)),
        )
        return cur.rowcount == 1

    def append(self, collection: str, doc: dict[str, Any]) -> int:
        """Add to an ordered log; returns the entry's sequence number."""
        with self.transaction():
            key = f"n{self.next_value('append:' + collection)}"
            cur = self.conn.execute(
                "INSERT INTO docs (collection, key, body) VALUES (?, ?, ?)",
                (collection, key, json.dumps(doc)),
            )
            return cur.lastrowid

    def get(self, collection: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT body FROM docs WHERE collection = ? AND key = ?",
            (collection, str(key)),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, collection: str, key: str) -> bool:
        cur = self.conn.execute(
            "DELETE FROM docs WHERE collection = ? AND key = ?", (collection, str(key))
        )
        return cur.rowcount == 1

    def find(self, collection: str, **equals: Any) -> list[dict[str, Any]]:
        """Documents whose top-level fields equal the given values, in insertion order."""
        sql = "SELECT body FROM docs WHERE collection = ?"
        params: list[Any] = [collection]
        for field, value in equals.items():
            sql += f" AND json_extract(body, '$.{field}') = ?"
            params.append(int(value) if isinstance(value, bool) else value)
        sql += " ORDER BY seq"
        return [json.loads(r[0]) for r in self.conn.execute(sql, params)]

    def find_fields(
        self, collection: str, fields: tuple[str, ...], **equals: Any
    ) -> list[tuple[Any, ...]]:
        """Like `find`, but only the named (dotted) fields of each document, decoded
        from JSON where they are objects or lists; None where a field is missing."""
        columns = ", ".join(
            f"json_extract(body, '$.{f}'), json_type(body, '$.{f}')" for f in fields
        )
        sql = f"SELECT {columns} FROM docs WHERE collection = ?"
        params: list[Any] = [collection]
        for field, value in equals.items():
            sql += f" AND json_extract(body, '$.{field}') = ?"
            params.append(int(value) if isinstance(value, bool) else value)
        sql += " ORDER BY seq"
        rows = []
        for row in self.conn.execute(sql, params):
            values = []
            for value, kind in zip(row[::2], row[1::2], strict=True):
                if kind in ("object", "array"):
                    value = json.loads(value)
                elif kind in ("true", "false"):
                    value = kind == "true"
                values.append(value)
            rows.append(tuple(values))
        return rows

    def keys_due(self, collection: str, *, now: float, speed: float) -> list[str]:
        """Keys of documents whose `at` + `delay` / `speed` is at most `now`, soonest
        first: a work queue's test, run inside SQLite instead of reading every
        waiting document each time the queue is polled."""
        due = "json_extract(body, '$.at') + json_extract(body, '$.delay') / ?"
        rows = self.conn.execute(
            f"SELECT key FROM docs WHERE collection = ? AND {due} <= ? "
            f"ORDER BY {due}, seq",
            (collection, speed, now, speed),
        )
        return [r[0] for r in rows]

    def keys(self, collection: str) -> list[str]:
        """The keys of a collection, in insertion order, without reading documents."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT key FROM docs WHERE collection = ? ORDER BY seq", (collection,)
            )
        ]

    def all(self, collection: str) -> list[dict[str, Any]]:
        return self.find(collection)

    def after(
        self, collection: str, seq: int, limit: int = 100, **equals: Any
    ) -> list[tuple[int, dict[str, Any]]]:
        """Log entries after `seq`, oldest first, as (seq, doc)."""
        sql = "SELECT seq, body FROM docs WHERE collection = ? AND seq > ?"
        params: list[Any] = [collection, seq]
        for field, value in equals.items():
            sql += f" AND json_extract(body, '$.{field}') = ?"
            params.append(value)
        sql += " ORDER BY seq LIMIT ?"
        params.append(limit)
        return [(s, json.loads(b)) for s, b in self.conn.execute(sql, params)]

    def next_value(self, counter: str, start: int = 1) -> int:
        """Atomically take the next value of a named counter."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT value FROM counters WHERE name = ?", (counter,)
            ).fetchone()
            value = start if row is None else row[0] + 1
            self.conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (counter, value),
            )
            return value

    def reset(self) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM docs")
            self.conn.execute("DELETE FROM counters")


_store: Store | None = None


def get_store() -> Store:
    """The process's store, opened at the path the sandbox command was given."""
    global _store
    if _store is None:
        _store = Store(
            os.environ.get("MOSIP_SANDBOX_DB", "var/mosip-sandbox/state.sqlite3")
        )
    return _store
