"""A bounded memo shared by the threads of one process, the oldest entries dropped first."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any


class Memo:
    """A bounded memo shared by every thread of this process (every session of the app), the oldest
    entries dropped first: for what is looked up often, where ``st.cache_resource`` (about a
    millisecond a lookup: it hashes its arguments each time) costs more than the lookup saves."""

    def __init__(self, size: int) -> None:
        self._items: dict[Hashable, Any] = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            return self._items.get(key, default)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:  # dicts keep their order: the oldest first
                del self._items[next(iter(self._items))]
