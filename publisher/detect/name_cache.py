"""A per-user cache of the built name lexicon (publisher.detect.name_lists), so a
process reads it in a few hundredths of a second instead of building it from
the packages' word lists (1-2 s CPU).

The file lives in `$XDG_CACHE_HOME/publisher` (default `~/.cache/publisher`),
never in the package or the repository. Its name carries a key made of the
versions of the packages the lists come from, the Python version (the file is
`marshal` data, which loads no code) and the source of the modules that build
the lists, so a change to any of them builds a new file. It is written to a
temporary file and renamed into place, so two processes that build it at once
both leave a whole file. A file that does not load (cut short, corrupt, of
another shape) is built again; a cache directory that cannot be written only
means the lists are built in memory each time.

Where the compiled extension (`publisher_kernels`, native/src/lexicon.rs) is
installed, the scan reads the lexicon from a second file beside it instead: one
block of bytes that the extension loads in a few milliseconds and looks words
up in, where making the dict's 350,000 strings costs every scan process about
0.15 s. Without the extension the dict serves, with the same flags.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import import_module, metadata
from pathlib import Path
from types import ModuleType
from typing import Protocol, overload

kernels: ModuleType | None
try:
    kernels = import_module("publisher_kernels")
except ImportError:  # the extension is not built here: the lexicon is a dict
    kernels = None
if kernels is not None and not hasattr(kernels, "Lexicon"):
    kernels = None  # an extension built before the lexicon was part of it

# the distributions the lists are read from (publisher.detect.name_lists)
SOURCES = ("gender-guesser", "german-nouns", "spacy-lookups-data", "stopwordsiso")
_DIGEST = hashlib.sha256().digest_size


def cache_dir() -> Path:
    """Where the per-user cache files go."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "publisher"


@cache
def cache_key() -> str:
    """What the built lists depend on, hashed: package versions, Python, our source."""
    from publisher.detect import name_lists, name_words

    h = hashlib.sha256()
    for dist in SOURCES:
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-;".encode())
    h.update(f"python={sys.version_info[:3]};marshal={marshal.version};".encode())
    for module in (name_lists, name_words):
        try:
            h.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            h.update(module.__name__.encode())
    return h.hexdigest()[:24]


def cache_path() -> Path:
    return cache_dir() / f"name-lists-{cache_key()}.marshal"


def lexicon_path() -> Path:
    """The extension's block of the same lexicon (publisher_kernels.Lexicon)."""
    return cache_dir() / f"name-lists-{cache_key()}.lexicon"


class Words(Protocol):
    """The lexicon as the name finder reads it: a dict, or the extension's Lexicon."""

    @overload
    def get(self, word: str, /) -> int | None: ...

    @overload
    def get(self, word: str, default: int, /) -> int: ...

    def __len__(self) -> int: ...


def cached_lexicon(build: Callable[[], dict[str, int]]) -> Words:
    """The lexicon as the extension's Lexicon, read from its block file (made from
    cached_words once); the dict of cached_words where the extension is absent."""
    if kernels is None:
        return cached_words(build)
    path = lexicon_path()
    try:
        return kernels.Lexicon(path.read_bytes())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass  # none yet, or cut short or damaged: made again
    block = kernels.encode(cached_words(build))
    with contextlib.suppress(OSError):  # a cache that cannot be written: made each time
        _save(path, block)
    return kernels.Lexicon(block)  # type: ignore[no-any-return]


def cached_words(build: Callable[[], dict[str, int]]) -> dict[str, int]:
    """The lexicon from the cache file, or built by `build` and written there."""
    path = cache_path()
    words = _read(path)
    if words is not None:
        return words
    words = build()
    _write(path, words)
    return words


def _read(path: Path) -> dict[str, int] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[:_DIGEST], data[_DIGEST:]
    if len(digest) < _DIGEST or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        words = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(words, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in _first(words)):
        return None
    return words


def _first(words: dict[object, object], n: int = 100) -> list[tuple[object, object]]:
    """A few entries, to tell a lexicon from other data without walking all of it."""
    out = []
    for item in words.items():
        out.append(item)
        if len(out) >= n:
            break
    return out


def _write(path: Path, words: dict[str, int]) -> None:
    payload = marshal.dumps(words)
    # a cache that cannot be written: the lists stay in memory only
    with contextlib.suppress(OSError):
        _save(path, hashlib.sha256(payload).digest() + payload)


def _save(path: Path, data: bytes) -> None:
    """Write a temporary file and rename it into place (a reader sees a whole file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
