"""The one tokenizer: indexing, querying, highlighting and answer extraction all use it.

A term is a Unicode word, case- and accent-folded, English stopwords dropped, Snowball-stemmed.
Letters and digits are separate words, so identifiers meet however they are written ("Tianwen-1",
"Tianwen 1" and "Tianwen1" all give `tianwen`, `1`), and measurements keep their numbers
("1.85-meter" gives `1.85`, `meter`). Thousands separators are dropped ("1,400" is `1400`), and
so are ordinal endings ("16th century" is `16`, `centuri`, as "century 16" would be). Initials
written with dots are one word: "U.S." is `us`, as "US" is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

# Bumped whenever a text's terms change: an index written by another version is rebuilt from
# its stored text by the next reindex, since removing an article re-tokenizes its paragraphs.
TOKENIZER_VERSION = 6

# NLTK's English stopword list: the list the reference figures were measured with.
STOPWORDS = frozenset(
    """i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
    yourselves he him his himself she she's her hers herself it it's its itself they them their
    theirs themselves what which who whom this that that'll these those am is are was were be been
    being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any
    both each few more most other some such no nor not only own same so than too very s t can will
    just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn
    didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn
    mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn
    wouldn't""".split()
)

WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_](?:[^\W\d_]+|\.(?:[^\W\d_]\.)+(?![^\W\d_]))?")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")

_stemmer = Stemmer.Stemmer("english")
_CACHE_LIMIT = 2_000_000


# Letters that carry their accent in the letter itself, so NFKD does not take it off.
_UNDECOMPOSABLE = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h",
})


def fold(word: str) -> str:
    """Case- and accent-fold one word ("Éclair" -> "eclair", "Bolesław" -> "boleslaw")."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# What is left of an ordinal once its number is split off ("16th" -> "16", "th").
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


# Irregular past forms the stemmer leaves alone, read as their verb: "how far did it drive?"
# meets "drove", "how many times did it fly?" meets "flew". Forms that are also common nouns or
# adjectives ("left", "found", "saw", "rose", "fell", "lay") are left as they are.
IRREGULAR = {
    "drove": "drive", "driven": "drive", "flew": "fly", "flown": "fly", "began": "begin",
    "begun": "begin", "took": "take", "taken": "take", "went": "go", "gone": "go", "came": "come",
    "became": "become", "built": "build", "made": "make", "sent": "send", "spent": "spend",
    "won": "win", "led": "lead", "wrote": "write", "written": "write", "gave": "give",
    "given": "give", "brought": "bring", "caught": "catch", "lost": "lose", "ran": "run",
    "held": "hold", "met": "meet", "sold": "sell", "bought": "buy", "thought": "think",
    "told": "tell", "grew": "grow", "grown": "grow", "threw": "throw", "thrown": "throw",
    "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose", "spoke": "speak",
    "spoken": "speak", "struck": "strike", "stood": "stand", "kept": "keep", "paid": "pay",
    "said": "say", "sank": "sink", "sunk": "sink", "woke": "wake", "woken": "wake", "froze": "freeze",
    "frozen": "freeze", "drew": "draw", "drawn": "draw", "blew": "blow", "blown": "blow",
    "knew": "know", "known": "know", "dug": "dig", "shook": "shake", "shaken": "shake", "hid": "hide",
    "hidden": "hide", "rode": "ride", "ridden": "ride", "sought": "seek", "taught": "teach",
    "fought": "fight", "swam": "swim", "flung": "fling", "slid": "slide", "stuck": "stick",
    "withdrew": "withdraw", "undertook": "undertake", "overtook": "overtake", "forgot": "forget",
    "forgotten": "forget", "arose": "arise", "arisen": "arise", "wore": "wear", "worn": "wear",
    "tore": "tear", "torn": "tear", "bore": "bear", "borne": "bear", "shone": "shine",
    "got": "get", "gotten": "get", "laid": "lay", "fled": "flee", "heard": "hear",
    "understood": "understand", "slept": "sleep", "swore": "swear", "sworn": "swear", "spun": "spin",
    "dealt": "deal", "meant": "mean", "forbade": "forbid", "forbidden": "forbid", "overthrew": "overthrow",
    "overthrown": "overthrow", "rebuilt": "rebuild", "upheld": "uphold", "withheld": "withhold",
    "strove": "strive", "striven": "strive", "foresaw": "foresee", "foreseen": "foresee",
}


def _term(word: str) -> str:
    if word[0].isdigit():
        return word.replace(",", "") if _THOUSANDS.match(word) else word
    folded = fold(word.replace(".", ""))  # "U.S." is "US", "U.K." "UK"
    if folded in STOPWORDS or folded in ORDINAL_SUFFIXES:
        return ""
    return _stemmer.stemWord(IRREGULAR.get(folded, folded))


class _TermCache(dict):
    """word -> term ("" for a stopword); looking a word up computes it the first time."""

    def __missing__(self, word: str) -> str:
        term = _term(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = term
        return term


_terms = _TermCache()
term_for = _terms.__getitem__


def term_once(word: str) -> str:
    """`term_for` without remembering the word: for words made up on the way (a typo's
    one-letter variants, hundreds per word), which would crowd the cache of words read."""
    return _term(word)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# `WORD` spelt out for ASCII text, where it matches the same words about twice as fast.
_ASCII_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z](?:[A-Za-z]+|\.(?:[A-Za-z]\.)+(?![A-Za-z]))?")


def words(text: str) -> list[str]:
    """The words `tokenize` reads, before folding, stopwords and stemming (`term_for`)."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    return WORD.findall(unicodedata.normalize("NFC", text))


def tokenize(text: str) -> list[str]:
    """Terms of a text, in order, repeats kept (BM25 counts them)."""
    return [t for t in map(term_for, words(text)) if t]


def iter_terms(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) for each indexed word of `text`, offsets into the NFC form of `text`.

    Used to highlight and to locate answers; it yields exactly the terms `tokenize` returns.
    """
    return iter(term_spans(text))


@lru_cache(maxsize=1024)
def term_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """`iter_terms` as a tuple, remembered for the last thousand texts: answering one
    question reads the same thirty paragraphs in several places (re-ranking, candidates,
    highlighting), and tokenizing them once is a third of the work."""
    if text.isascii():
        matches = _ASCII_WORD.finditer(text)
    else:
        matches = WORD.finditer(unicodedata.normalize("NFC", text))
    return tuple((term, *m.span()) for m in matches if (term := term_for(m.group())))
