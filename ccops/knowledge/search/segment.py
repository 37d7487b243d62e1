"""Word segmentation of the knowledge base's text, the same for the index and the query.

Chinese has no spaces between words, so neither SQLite's FTS5 tokenizers nor PostgreSQL's
``simple`` parser can find them (and PostgreSQL under a ``C`` locale does not even see CJK
characters as letters). The words are therefore found in Python with jieba (a
dictionary plus an HMM for unknown words; Sun Junyi, https://github.com/fxsjy/jieba),
with a small call-center dictionary of our own (``userdict.txt``), and the databases only
store and match ready-made tokens:

* the index gets jieba's *search mode* words (every dictionary word inside a longer one
  too: 信用卡 gives 信用 and 信用卡) and, for every Chinese word, its single characters, so a
  query word that jieba cut differently still matches character by character;
* English words are lower-cased and stemmed with the Snowball English stemmer (fees ->
  fee, waived -> waiv), full-width letters and digits folded (NFKC).

:func:`query_groups` turns a query into groups of alternatives, one group per query word
(the word, its synonyms, and for a Chinese word its characters all present). The search
backends AND the groups, and OR them when too few articles have every word.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import snowballstemmer

USERDICT = Path(__file__).with_name("userdict.txt")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None

_STOP_WORDS_TEXT = """
的 了 是 在 我 你 他 她 它 们 吗 呢 吧 啊 呀 哦 嗯 么 怎么 怎么办 怎样 如何 什么 为什么
哪里 哪些 请问 可以 能 能否 能不能 要 想 需要 和 与 及 或 或者 把 被 给 对 就 都 也 还 又
这 那 这个 那个 一个 有 没有 不 会 说 让 从 到 吗 后 时 时候 之后 以后 如果 是否 怎么样
一下 一些 客户 顾客 来电 a an the of to for in on at by and or is are was were be been do
does did how what why when where which who can could should would will i my me we our you
your it its this that with from as if not no please customer caller
"""
#: Words a query does without: function words of Chinese questions and English.
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_stemmer = snowballstemmer.stemmer("english")


def tokenizer() -> jieba.Tokenizer:
    """The process's jieba tokenizer with the call-center dictionary (built once, ~1 s)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                made = jieba.Tokenizer()
                made.initialize()
                made.load_userdict(str(USERDICT))
                _tokenizer = made
    return _tokenizer


def normalize(text: str) -> str:
    """NFKC (full-width to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def is_cjk(token: str) -> bool:
    return bool(_CJK.search(token))


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _clean(raw: str) -> list[str]:
    """A jieba token split into index terms: runs of letters, digits or CJK characters;
    Latin words stemmed."""
    terms = []
    for part in _WORD.findall(raw):
        if part.isascii() and part.isalpha():
            part = _stem(part)
        terms.append(part)
    return terms


def index_terms(text: str) -> list[str]:
    """The terms of ``text`` to index, in order (see the module docstring)."""
    text = normalize(text)
    if not text:
        return []
    terms: list[str] = []
    for raw in tokenizer().cut_for_search(text, HMM=True):
        for term in _clean(raw):
            terms.append(term)
            if len(term) > 1 and is_cjk(term):
                terms.extend(ch for ch in term if is_cjk(ch))
    return terms


def query_words(text: str) -> list[str]:
    """The words of a query (jieba's precise mode, cleaned, stemmed), stop words removed;
    when every word is a stop word, they are kept."""
    text = normalize(text)
    words = [t for raw in tokenizer().cut(text, HMM=True) for t in _clean(raw)]
    kept = [w for w in words if w not in STOP_WORDS]
    return _dedupe(kept or words)


def _dedupe(items: Iterable) -> list:
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


@dataclass(frozen=True)
class Alternative:
    """One way a query word may match: ``terms`` all present; ``phrase``: adjacent and in
    order (a multi-word synonym such as "credit card")."""

    terms: tuple[str, ...]
    phrase: bool = False
    #: the characters of a Chinese word, all present (jieba cut the text otherwise)
    characters: bool = False


@dataclass(frozen=True)
class Group:
    """A query word and the ways it may match (any one of them)."""

    word: str
    alternatives: tuple[Alternative, ...]

    @property
    def highlight_terms(self) -> list[str]:
        """Surface strings to mark in a snippet (longest first)."""
        terms = {t for a in self.alternatives if len(a.terms) == 1 or a.phrase for t in a.terms}
        return sorted(terms, key=len, reverse=True)


def term_tuple(text: str) -> tuple[str, ...]:
    """A synonym or query phrase as the tuple of its terms (segmented like a query, stop
    words kept)."""
    text = normalize(text)
    return tuple(t for raw in tokenizer().cut(text, HMM=True) for t in _clean(raw))


def query_groups(text: str, synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] | None = None):
    """The query as groups of alternatives (see :class:`Group`).

    ``synonyms`` maps a term tuple to the term tuples it stands for (from the synonym
    table); the longest run of query words that is a synonym key becomes one group.
    """
    synonyms = synonyms or {}
    words = query_words(text)
    longest = max((len(k) for k in synonyms), default=1)
    groups: list[Group] = []
    i = 0
    while i < len(words):
        match = None
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i : i + size])
            if key in synonyms:
                match = key
                break
        key = match or (words[i],)
        alternatives = [Alternative(key, phrase=len(key) > 1)]
        for other in synonyms.get(key, []):
            alternatives.append(Alternative(other, phrase=len(other) > 1))
        for alt in list(alternatives):
            if len(alt.terms) == 1 and is_cjk(alt.terms[0]) and 1 < len(alt.terms[0]) <= 6:
                chars = tuple(_dedupe(ch for ch in alt.terms[0] if is_cjk(ch)))
                if len(chars) > 1:
                    alternatives.append(Alternative(chars, characters=True))
        groups.append(Group(" ".join(key), tuple(_dedupe(alternatives))))
        i += len(key)
    return groups
