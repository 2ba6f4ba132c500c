"""Freed memory handed back to the system. Arrow's allocator and the C library
keep the pages a stage freed for their next allocations, and the kernel counts
them as the process's: without handing them back, each stage's peak would sit on
top of what the stages before it let go."""

from __future__ import annotations

import ctypes
import ctypes.util

import pyarrow as pa


def _trim() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _trim()  # glibc: malloc_trim; elsewhere (musl, macOS) nothing to call


def give_back() -> None:
    """Hand the pages Arrow's pool and the C allocator hold free back to the system
    (tens of microseconds when there are none)."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
