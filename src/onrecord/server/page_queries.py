"""Read-only queries the web pages need beyond store/views.py: the choices of the search form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from onrecord.store import Store

T = TypeVar("T")


def read(store: Store, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a read function (conn, ...) on the store's connection under its lock; database errors
    become StoreError."""
    return store._read(query, *args, **kwargs)  # the Store's one read path, shared with its own queries


def outlet_names(conn: Any, limit: int = 200) -> list[str]:
    """Outlet names for the search form, those with the most articles first (SQL both backends read)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT o.name FROM outlets o JOIN articles a ON a.outlet_id = o.id GROUP BY o.id "
            "ORDER BY count(*) DESC, o.name LIMIT ?",
            (limit,),
        )
    ]
