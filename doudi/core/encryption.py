"""Bringing stored personal data under encryption, and re-encrypting it under a new key.

``encrypt_existing`` (run by the migrations that turned the columns into ``EncryptedTextField``) and
``keys_rotate`` (``doudi keys rotate``) both walk a table in primary-key batches, pick only the rows that still
need work by their stored text (not yet ``e1:…``, or sealed with another key than the current one, or an index
missing), rewrite them and commit each batch on its own: killed halfway, a rerun carries on where it stopped,
and a finished table is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps as global_apps
from django.db import connection, transaction

from .crypto import VALUE_PREFIX, current_key
from .fields import BlindIndexField, EncryptedTextField

BATCH = 2000


def encrypted_models(apps=global_apps, app_label: str | None = None) -> list:
    return [
        m
        for m in apps.get_models()
        if (app_label is None or m._meta.app_label == app_label)
        and any(isinstance(f, (EncryptedTextField, BlindIndexField)) for f in m._meta.concrete_fields)
    ]


def _fields(model):
    enc = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    idx = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
    return enc, idx


def _pending_ids(model, where: str, params: list, after: int) -> list[int]:
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk} FROM {table} WHERE {pk} > %s AND ({where}) ORDER BY {pk} LIMIT {BATCH}", [after, *params]
        )
        return [r[0] for r in cursor.fetchall()]


def _rewrite(model, where: str, params: list, progress: Callable | None) -> int:
    enc, idx = _fields(model)
    done, after = 0, 0
    while True:
        ids = _pending_ids(model, where, params, after)
        if not ids:
            return done
        with transaction.atomic():
            rows = list(model._base_manager.filter(pk__in=ids).order_by("pk"))
            for row in rows:  # values read back decrypted (or as they were); written sealed with the current key
                for f in idx:
                    setattr(row, f.attname, f.index_of(getattr(row, f.source)))
            model._base_manager.bulk_update(rows, [f.name for f in enc + idx], batch_size=500)
        done, after = done + len(rows), ids[-1]
        if progress:
            progress(model, done)


def encrypt_existing(apps=global_apps, app_label: str | None = None, progress: Callable | None = None) -> int:
    """Seal every value stored in the clear and fill every missing blind index (of one app's models, or all)."""
    qn = connection.ops.quote_name
    total = 0
    for model in encrypted_models(apps, app_label):
        enc, idx = _fields(model)
        clauses = [f"({qn(f.column)} <> '' AND {qn(f.column)} NOT LIKE %s)" for f in enc]
        params = [VALUE_PREFIX + "%"] * len(enc)
        for f in idx:
            source = model._meta.get_field(f.source)
            src, col = qn(source.column), qn(f.column)
            clauses.append(f"({src} IS NOT NULL AND {src} <> '' AND ({col} IS NULL OR {col} = ''))")
        total += _rewrite(model, " OR ".join(clauses), params, progress)
    return total


def keys_rotate(progress: Callable | None = None) -> int:
    """Re-encrypt every value not sealed with the current data key (after ``doudi keys add --purpose data``)."""
    key_id, _key = current_key("data")
    qn = connection.ops.quote_name
    total = 0
    for model in encrypted_models():
        enc, _idx = _fields(model)
        if not enc:
            continue
        clauses = [f"({qn(f.column)} LIKE %s AND {qn(f.column)} NOT LIKE %s)" for f in enc]
        params = []
        for _f in enc:
            params += [VALUE_PREFIX + "%", f"{VALUE_PREFIX}_:{key_id}:%"]
        total += _rewrite(model, " OR ".join(clauses), params, progress)
    return total
