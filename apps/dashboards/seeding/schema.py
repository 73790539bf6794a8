"""Indexes and foreign keys set aside while a bulk load runs.

Every foreign key would queue a check per row, run one by one at commit; checking
each key once after the load, as one join, is many times cheaper. Indexes over a
date or a time are rebuilt after the load too: generated events come in random
order of their dates, so each row would land at a random place in them. The other
indexes stay, as do unique ones and primary keys: their rows arrive in id order or
at the end of one of a few groups (an office, a status), which PostgreSQL keeps up
while Python generates the next batch. Everything happens inside the load's
transaction, so no other session ever sees a table without them.
"""

from django.db import connection


def defer(tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys and their non-unique indexes over a date or a
    time; return the statements that put them back, exactly as they were defined."""
    with connection.cursor() as cursor:
        # Checks queued earlier in this transaction would keep the tables busy.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(_INDEXES, [tables])
        statements = cursor.fetchall()
        # Indexes first: checking a foreign key reads the other table's primary key.
        cursor.execute(_FOREIGN_KEYS, [tables])
        statements += cursor.fetchall()
        for drop, _ in statements:
            cursor.execute(drop)
    return [create for _, create in statements]


def restore(statements: list[str]) -> None:
    """Build the indexes, then check and add the foreign keys."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


_INDEXES = """
    SELECT 'DROP INDEX ' || quote_ident(n.nspname) || '.' || quote_ident(i.relname),
           pg_get_indexdef(x.indexrelid)
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE x.indrelid::regclass::text = ANY(%s) AND NOT x.indisunique AND EXISTS (
        SELECT FROM pg_attribute a
        WHERE a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
          AND a.atttypid IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
    )
    ORDER BY i.relname
"""
_FOREIGN_KEYS = """
    SELECT 'ALTER TABLE ' || conrelid::regclass::text
           || ' DROP CONSTRAINT ' || quote_ident(conname),
           'ALTER TABLE ' || conrelid::regclass::text || ' ADD CONSTRAINT '
           || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE conrelid::regclass::text = ANY(%s) AND contype = 'f'
    ORDER BY conname
"""
