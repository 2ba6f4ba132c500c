"""The per-user cache of the built name lexicon (publisher.detect.name_cache)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from publisher.detect import name_cache, name_lists

WORDS = {"klaus": name_lists.FIRST, "wagner": name_lists.SURNAME, "straße": name_lists.NOUN}


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "publisher"


def counting_build(calls: list[int], delay: float = 0.0):
    def build() -> dict[str, int]:
        calls.append(1)
        time.sleep(delay)
        return dict(WORDS)
    return build


def test_built_once_then_read_from_the_user_cache(cache_home: Path):
    calls: list[int] = []
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert len(calls) == 1
    assert [p.parent for p in cache_home.iterdir()] == [cache_home]
    assert name_cache.cache_path().parent == cache_home
    assert not list(cache_home.glob("*.tmp"))


def test_default_cache_dir_is_under_home_not_the_package(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert name_cache.cache_dir() == Path.home() / ".cache" / "publisher"
    package = Path(name_cache.__file__).resolve().parents[1]
    assert package not in name_cache.cache_dir().resolve().parents


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: data[:40] + bytes([data[40] ^ 0xFF]) + data[41:],  # a byte flipped
    lambda data: b"",  # empty
    lambda data: b"not a cache file at all" * 3,
])
def test_a_corrupt_cache_is_rebuilt_not_an_error(cache_home: Path, damage):
    calls: list[int] = []
    name_cache.cached_words(counting_build(calls))
    path = name_cache.cache_path()
    path.write_bytes(damage(path.read_bytes()))
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert len(calls) == 2
    assert name_cache.cached_words(counting_build(calls)) == WORDS  # whole again
    assert len(calls) == 2


def test_a_cache_of_another_shape_is_rebuilt(cache_home: Path):
    import hashlib
    import marshal

    calls: list[int] = []
    payload = marshal.dumps(["klaus", "wagner"])
    cache_home.mkdir(parents=True)
    name_cache.cache_path().write_bytes(hashlib.sha256(payload).digest() + payload)
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert len(calls) == 1


def test_an_unwritable_cache_dir_only_means_no_cache(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    calls: list[int] = []
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert name_cache.cached_words(counting_build(calls)) == WORDS
    assert len(calls) == 2


def test_builders_at_once_leave_a_whole_file(cache_home: Path):
    calls: list[int] = []
    results: list[dict[str, int]] = []
    threads = [threading.Thread(target=lambda: results.append(
        name_cache.cached_words(counting_build(calls, delay=0.05)))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [WORDS] * 4
    assert not list(cache_home.glob("*.tmp"))
    later: list[int] = []
    assert name_cache.cached_words(counting_build(later)) == WORDS
    assert later == []


def test_the_key_follows_the_source_packages(monkeypatch: pytest.MonkeyPatch):
    key = name_cache.cache_key()
    name_cache.cache_key.cache_clear()
    real = name_cache.metadata.version
    monkeypatch.setattr(name_cache.metadata, "version",
                        lambda dist: "0.0-other" if dist == "german-nouns" else real(dist))
    try:
        assert name_cache.cache_key() != key
    finally:
        name_cache.cache_key.cache_clear()


def test_the_cached_lexicon_is_the_built_one(cache_home: Path):
    built = name_lists._build()
    # a dict, or the extension's Lexicon (tests/detect/test_detect_lexicon.py)
    assert dict(name_lists._load().words.items()) == built  # built and written
    assert name_cache.cache_path().is_file()
    assert dict(name_lists._load().words.items()) == built  # read back
