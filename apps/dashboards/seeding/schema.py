"""Secondary indexes and foreign keys set aside while a bulk load runs.

Each row COPY writes would otherwise update every index of its table and queue a
deferred foreign-key check that runs, row by row, at commit; building the indexes
and checking the keys once after the load is many times cheaper. Everything happens
inside the load's transaction, so no other session ever sees a table without them.
Unique indexes and primary keys stay: they keep the load itself honest.
"""

from django.db import connection


def defer(*, indexes_of: list[str], foreign_keys_of: list[str]) -> list[str]:
    """Drop the non-unique indexes of some tables and the foreign keys of others;
    return the statements that put them back, exactly as they were defined."""
    with connection.cursor() as cursor:
        # Checks queued earlier in this transaction would keep the tables busy.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(_INDEXES, [indexes_of])
        statements = cursor.fetchall()
        # Indexes first: checking a foreign key reads the other table's primary key.
        cursor.execute(_FOREIGN_KEYS, [foreign_keys_of])
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
    WHERE x.indrelid::regclass::text = ANY(%s) AND NOT x.indisunique
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
