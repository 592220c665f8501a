"""Fast INSERT of many built model instances (imports of 100,000 rows).

``bulk_create`` compiles every value of every row through the ORM (pre_save, get_db_prep_save,
placeholder SQL per value): for a wide table that costs more than the database's own work. ``bulk_insert``
decides each column's adapter once and sends the rows with one ``executemany`` per chunk. Like
``bulk_create`` it calls no ``save()`` and sends no signals; unlike it, it does not set the instances'
primary keys (read them back by a unique column) and runs no ``full_clean`` (the caller validated)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router

from zhifa.core.imports import chunks


def _adapter(field: models.Field, conn) -> Callable[[Any], Any]:
    ops = conn.ops
    if isinstance(field, models.ForeignKey):
        return _adapter(field.target_field, conn)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, (models.CharField, models.TextField, models.BooleanField, models.IntegerField)):
        return lambda v: v  # str (TextChoices members are str), bool, int or None: every driver takes them
    return lambda v: field.get_db_prep_save(v, conn)


def bulk_insert(model: type[models.Model], objs: Iterable[models.Model], *, batch_size: int = 1000) -> int:
    """INSERT ``objs`` (unsaved instances of ``model``); returns the number of rows sent."""
    conn = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.local_concrete_fields if not isinstance(f, models.AutoField)]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    adapters = [(f.attname, _adapter(f, conn)) for f in fields]
    qn = conn.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    sent = 0
    with conn.cursor() as cur:
        for chunk in chunks(objs, batch_size):
            for obj in chunk:
                for f in stamped:
                    f.pre_save(obj, add=True)
            cur.executemany(sql, [tuple(adapt(getattr(o, name)) for name, adapt in adapters) for o in chunk])
            sent += len(chunk)
    return sent
