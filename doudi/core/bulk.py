"""Set-based bulk writing: PostgreSQL COPY, executemany elsewhere. Rows carry explicit primary keys so a
generator can link parents and children without reading back, and sequences are reset afterwards."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.BigAutoField,
    models.AutoField,
    models.ForeignKey,
)

# psycopg adapts these itself (COPY included), so Django's per-value conversion can be skipped there.
NATIVE_ON_POSTGRES = (models.DecimalField, models.DateField, models.DateTimeField)


class TableWriter:
    """Buffers rows for one model and writes them in batches. Each row is a dict of field attnames."""

    def __init__(self, model: type[models.Model], batch_size: int = 20_000):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.column]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        now = timezone.now()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = ""
        # Plain values (text, numbers, booleans, integer keys) go to the driver as they are; only fields whose
        # database form differs (decimals, dates, JSON) go through Django's conversion — it is the hot path.
        self.connection = connections[DEFAULT_DB_ALIAS]
        plain = PLAIN_FIELDS + (NATIVE_ON_POSTGRES if self.connection.vendor == "postgresql" else ())
        # (a field with its own database form, e.g. core.fields.FenField, is never plain)
        self.converters = [
            None if isinstance(f, plain) and not hasattr(f, "from_db_value") else f.get_db_prep_save
            for f in self.fields
        ]
        self.batch_size = batch_size
        self.buffer: list[tuple] = []
        self.count = 0
        self._next_id = None
        self._reserved: list[int] = []
        self.id_block = 10_000

    def next_id(self) -> int:
        """A primary key for a new row. On PostgreSQL keys come from the table's own sequence, reserved in
        blocks, so concurrent writers (and later ordinary inserts) never collide; on SQLite the write lock
        taken at the start of the transaction serialises writers, and AUTOINCREMENT follows explicit keys."""
        if self.connection.vendor == "postgresql":
            if not self._reserved:
                table = self.model._meta.db_table
                with self.connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                        [table, self.id_block],
                    )
                    self._reserved = [row[0] for row in cursor.fetchall()][::-1]
            return self._reserved.pop()
        if self._next_id is None:
            last = self.model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self._next_id = (last or 0) + 1
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, **row) -> None:
        values = []
        conn = self.connection
        defaults = self.defaults
        for f, convert in zip(self.fields, self.converters):
            if f.attname in row:
                value = row[f.attname]
            elif hasattr(f, "derive"):  # a blind index, from the row's source value
                value = f.derive(row)
            else:
                value = defaults[f.attname]
            values.append(value if convert is None or value is None else convert(value, conn))
        self.buffer.append(tuple(values))
        if len(self.buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for values in self.buffer:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", self.buffer)
        self.count += len(self.buffer)
        self.buffer.clear()


def sequences_reset(model_list: Iterable[type[models.Model]]) -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
