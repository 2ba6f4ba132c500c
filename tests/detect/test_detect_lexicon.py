"""The name lexicon as the compiled extension's block (publisher_kernels.Lexicon,
native/src/lexicon.rs) against the dict it stands for: the same flags for every
word, its cache file, and the same findings of the whole scan either way."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from benchmarks.redteam import generate
from publisher.detect import KINDS, name_cache, name_lists, name_prefilter, name_tokens
from publisher.detect.name_cache import Words
from publisher.detect.scan import find

kernels = name_cache.kernels
needs_extension = pytest.mark.skipif(
    kernels is None, reason="publisher_kernels with Lexicon not installed (build native/)")
SAMPLES = Path(__file__).parent.parent.parent / "pipelines" / "samples"
WORDS = {"klaus": name_lists.FIRST, "wagner": name_lists.SURNAME, "straße": name_lists.NOUN,
         "müller-lüdenscheidt": 0, "çamurcuoğlu": name_lists.SURNAME | (1 << 40)}


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "publisher"


def test_without_the_extension_the_lexicon_is_the_dict(cache_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(name_cache, "kernels", None)
    assert name_cache.cached_lexicon(lambda: dict(WORDS)) == WORDS
    assert not name_cache.lexicon_path().exists()


@needs_extension
def test_the_block_gives_every_flag_of_the_dict():
    rng = random.Random(5)
    words = dict(WORDS)
    for _ in range(20_000):
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzäöüßçğış-") for _ in
                       range(rng.randint(1, 14)))
        words[word] = rng.getrandbits(rng.choice((8, 27, 63)))
    lexicon = kernels.Lexicon(kernels.encode(words))  # type: ignore[union-attr]
    assert len(lexicon) == len(words)
    assert dict(lexicon.items()) == words
    assert all(lexicon.get(w) == f and lexicon.get(w, 0) == f and w in lexicon
               for w, f in words.items())
    for missing in ("", "klaus ", "Klaus", "wagnerx", "straße."):
        assert lexicon.get(missing) is None
        assert lexicon.get(missing, 0) == 0
        assert missing not in lexicon


@needs_extension
def test_the_block_is_cached_beside_the_dict(cache_home: Path):
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return dict(WORDS)

    first = name_cache.cached_lexicon(build)
    assert isinstance(first, kernels.Lexicon)  # type: ignore[union-attr]
    assert name_cache.lexicon_path().is_file() and name_cache.cache_path().is_file()
    again = name_cache.cached_lexicon(build)
    assert dict(again.items()) == WORDS  # type: ignore[attr-defined]
    assert calls == [1]
    assert not list(cache_home.glob("*.tmp"))


@needs_extension
@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:60] + bytes([data[60] ^ 0x01]) + data[61:],
    lambda data: data[:-1] + bytes([data[-1] ^ 0x40]),
    lambda data: b"",
    lambda data: b"PUBLEX02" + b"\0" * 40,
])
def test_a_damaged_block_is_made_again_not_an_error(cache_home: Path, damage):
    name_cache.cached_lexicon(lambda: dict(WORDS))
    path = name_cache.lexicon_path()
    path.write_bytes(damage(path.read_bytes()))
    assert dict(name_cache.cached_lexicon(lambda: dict(WORDS)).items()) == WORDS  # type: ignore[attr-defined]
    assert kernels.Lexicon(path.read_bytes()) is not None  # type: ignore[union-attr]


@contextmanager
def lexicon_as(words: Words) -> Iterator[None]:
    """The scan's name finder reading `words` (fresh judgements, none kept)."""
    saved = name_lists.name_lists()
    name_lists._lists = name_lists.NameLists(words=words)
    name_tokens.judge.cache_clear()
    name_prefilter._codes.clear()
    try:
        yield
    finally:
        name_lists._lists = saved
        name_tokens.judge.cache_clear()
        name_prefilter._codes.clear()


def _texts() -> list[str]:
    """A red-team set, and every cell of the shipped samples' CSV files."""
    texts = generate(3_000, 77).texts
    for path in sorted(SAMPLES.glob("*/*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            texts += frame[column].tolist()
    return texts


@needs_extension
def test_the_scan_finds_the_same_with_the_block_and_the_dict():
    texts = pa.array(_texts(), pa.string())
    kinds = list(KINDS.values())
    built = name_cache.cached_words(name_lists._build)
    with lexicon_as(built):
        by_dict = find(texts, kinds).frame()
    with lexicon_as(kernels.Lexicon(kernels.encode(built))):  # type: ignore[union-attr]
        by_block = find(texts, kinds).frame()
    assert (by_dict["kind"] == "person-name").sum() > 100
    pd.testing.assert_frame_equal(by_dict, by_block)
