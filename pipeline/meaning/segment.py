"""jieba's dictionary-only segmentation (HMM off) of the short strings around a figure.

The words are jieba's: its dictionary, its prefix table and its maximum
probability route. Speed: the route is found in one backward pass over lists; the
plain version is jieba's own route, `get_DAG` then `calc` (which builds
a dict of lists and a generator per character), with the same words out
(tests/test_segment.py). The dictionary (jieba's own without its rarest words,
plus the domain terms) is cached as a marshal file in the user's cache folder
(pipeline/cache.py: private, each file checked by its digest), keyed by what it is
built from, instead of jieba's set-up in every process. What each
bought is in README, "Benchmark".
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import tempfile
from math import log
from pathlib import Path

import pipeline.cache as cache

# Words of jieba's dictionary rarer than this are left out (less set-up and memory);
# the words that decide where a label starts (有, 建设, 全区, 其中) are common.
MIN_FREQUENCY = 5


# Log-probabilities are negative: these mark a prefix that is no word, and no entry.
PREFIX = 1.0
ABSENT = 2.0


class Segmenter:
    def __init__(self, weights: dict[str, float]):
        # Every word's log-probability, log(count) - log(total) as jieba's calc computes it,
        # and every prefix of a word as PREFIX.
        self.weights = weights
        self.single = weights.get("", 0.0)

    def __call__(self, text: str) -> list[str]:
        weights, single = self.weights, self.single
        size = len(text)
        score = [0.0] * (size + 1)
        ends = list(range(1, size + 2))
        for start in range(size - 1, -1, -1):
            best = None
            end = start + 1
            weight = weights.get(text[start], ABSENT)
            while weight != ABSENT:
                if weight != PREFIX:
                    candidate = weight + score[end]
                    # Ties go to the longer word, as in jieba's max over (score, end).
                    if best is None or candidate >= best:
                        best, ends[start] = candidate, end
                if end == size:
                    break
                end += 1
                weight = weights.get(text[start:end], ABSENT)
            # A character that starts no word stands alone, with frequency 1.
            score[start] = single + score[start + 1] if best is None else best
        words, start = [], 0
        while start < size:
            end = ends[start]
            words.append(text[start:end])
            start = end
        return words


def load_segmenter(terms) -> Segmenter:
    """The segmenter with `terms` added to the dictionary, from the user's cache when a file
    there checks (pipeline/cache.py), else built (and cached)."""
    # Order matters: each term's frequency depends on the words added before it.
    terms = list(dict.fromkeys(terms))
    source = _jieba_dictionary()
    key = hashlib.sha256("\n".join([str(MIN_FREQUENCY), str(source.stat().st_size), *terms]).encode()).hexdigest()
    name = f"segmenter-{key[:32]}.marshal"
    content = cache.read(name)
    try:
        # Only content whose digest checked, from the user's own cache folder.
        weights = marshal.loads(content) if content is not None else None
    except (EOFError, ValueError, TypeError):
        weights = None
    if not isinstance(weights, dict):
        weights = _weights(*_build(source, terms))
        cache.write(name, marshal.dumps(weights))
    return Segmenter(weights)


def _weights(freq: dict[str, int], total: int) -> dict[str, float]:
    log_total = log(total)
    weights = {word: log(count) - log_total if count else PREFIX for word, count in freq.items()}
    # "" is no word: it holds the weight of a character that starts none, log(1) - log(total).
    weights[""] = log(1) - log_total
    return weights


def _jieba_dictionary() -> Path:
    # Found without importing jieba, which takes a tenth of a second: with the cache
    # in place, a run never needs it.
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed; labels need its dictionary (pip install jieba)")
    return Path(spec.origin).with_name("dict.txt")


def _build(source: Path, terms: list[str]) -> tuple[dict[str, int], int]:
    """jieba's prefix table of its pruned dictionary, with each term added as jieba's
    add_word does (a frequency just high enough to keep the term whole)."""
    import jieba  # its set-up is slow: only when the cache is missing

    jieba.setLogLevel(logging.WARNING)
    with source.open(encoding="utf-8") as lines:
        kept = "".join(line for line in lines if int(line.split(" ", 2)[1]) >= MIN_FREQUENCY).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="pipeline-jieba-") as folder:
        # A private folder of its own: jieba reads its dictionary from a path.
        pruned = Path(folder) / "dict.txt"
        pruned.write_bytes(kept)
        tokenizer = jieba.Tokenizer(str(pruned))
        tokenizer.tmp_dir = folder  # jieba's own cache of the table goes there too, and with it
        tokenizer.initialize()
    for word in terms:
        tokenizer.add_word(word)
    return dict(tokenizer.FREQ), tokenizer.total
