"""Reading past misspellings: a question's word that the archive has never seen is read as the
archive's nearest word.

Members type fast ("Primier League", "purhcased", "Superbowl"). BM25 gives an unseen term no
weight, and the answerer's coverage check counts it against the question, so without this a
typo turns an answerable question into "not found". Only terms absent from every article are
touched, and only by a small edit: one letter (insert, delete, substitute or swap) for words of
five letters or more, two for long words, or a split into two known words. And a near word is
only taken when the articles the rest of the question points to use it: "Primier League" reads
as "Premier League" because the articles about the league say "premier", while "Roman empire"
does not become "Roman emir" in an archive where no article about founding says "emir". Short
words and numbers are never changed: "Ming" must not become "mine". When no word is that near,
a word with the same consonants in the same order that the context articles use is taken last
("Primer League" is the Premier League, "ableine" Abilene), and after all else the only word a
letter away when the archive writes it as a name ("quilon" is Quillon).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from index.postings import InvertedIndex
from index.tokenize import term_once

MIN_LENGTH = 5  # shorter words have too many one-letter neighbours to guess among
LONG_WORD = 8  # from this length two edits are still a typo
CONTEXT_SHARE = 0.5  # of the known words' idf mass, that an article must hold to be context
PREFIX_LENGTH = 6  # a known term this long that starts an unseen one may be its stem
ENDING_KEPT = 0.9  # the distance of a one-letter slip that keeps the typed word's last letter
ALONE_LENGTH = 6  # a word with no known words beside it is corrected only from this length
MIN_PART = 4  # each half of a split compound


def corrections(
    index: InvertedIndex, terms: list[str], is_name: Callable[[str], bool] | None = None,
    typed: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """For each of `terms` the index does not hold, the known term(s) it is read as;
    `is_name` tells whether the archive writes a known term as a name; `typed`, the word each
    term was read from (folded, before stemming), so that a slip the stemmer then cut differs
    from the known word by one letter again: "spcae" is "space", "capcity" "capacity" (whose
    stems, "capciti" and "capac", are three letters apart)."""
    typed = typed or {}
    # (a long word the stemmer cut short, "fareing" to "fare", is read from the word as typed)
    candidates = [t for t in dict.fromkeys(terms)
                  if max(len(t), len(typed.get(t, ""))) >= MIN_LENGTH and t.isalpha()]
    if not candidates:
        return {}
    unseen = [t for t, (ids, _, _) in index.postings(candidates).items() if not len(ids)]
    if not unseen:
        return {}
    context = _context(index, [t for t in dict.fromkeys(terms) if t not in unseen])
    vocabulary, dfs = index.vocabulary()
    out = {}
    for term in unseen:
        word = typed.get(term)
        found = _nearest(term, vocabulary, dfs, index, context, word)
        if not found and len(term) >= MIN_LENGTH:
            found = _split(term, index, context) or _only_name_near(term, vocabulary, is_name)
        if found:
            out[term] = found
    return out


def _context(index: InvertedIndex, known: list[str]) -> np.ndarray | None:
    """The articles that hold most of the weight of the question's known words (None when
    those words say nothing: no known words, or only words every article uses)."""
    postings = index.postings(known)
    weighted = [(ids, idf) for ids, _, idf in postings.values() if len(ids) and idf > 0]
    total = sum(idf for _, idf in weighted)
    if not total:
        return None
    ids = np.concatenate([ids for ids, _ in weighted])
    weights = np.concatenate([np.full(len(ids), idf) for ids, idf in weighted])
    docs, inverse = np.unique(ids, return_inverse=True)
    mass = np.bincount(inverse, weights=weights)
    return docs[mass >= CONTEXT_SHARE * total]


def _nearest(
    term: str, vocabulary: list[str], dfs: np.ndarray, index: InvertedIndex,
    context: np.ndarray | None, typed_word: str | None = None,
) -> tuple[str, ...] | None:
    """The nearest known term, among those the context articles use (most used first);
    `typed_word`: the term as typed, before stemming."""
    limit = 2 if len(term) >= LONG_WORD else 1
    if context is None and len(term) < ALONE_LENGTH:
        return None
    if len(term) < MIN_LENGTH:  # a short stem has too many neighbours: only the typed word's
        matches = []
    elif limit == 1:
        matches = _one_edit(term, vocabulary)
    else:
        words, positions = _of_length(vocabulary, len(term), limit)
        matches = [
            (word, distance, positions[i])
            for word, distance, i in process.extract(
                term, words, scorer=OSA.distance, score_cutoff=limit, limit=None
            )
        ]
    if len(term) >= MIN_LENGTH:
        matches += _stem_prefixes(term, index, vocabulary)
    if typed_word and len(typed_word) >= MIN_LENGTH:
        matches += [m for m in _typed_one_edit(typed_word, vocabulary) if m[0] != term]
    # a word typed by ear ("insite" for InSight, "filae" for Philae) is nearer than a word
    # one letter away that sounds otherwise ("inside")
    if len(term) >= MIN_LENGTH:
        matches += [(word, 0.5, i) for word, i in _sounding_like(term, vocabulary)]
    anywhere = matches
    if matches and context is not None:
        held = index.postings([m[0] for m in matches])
        near = [m for m in matches if np.isin(held[m[0]][0], context).any()]
        # A long word one letter from a known one is that word whatever else the question
        # says: "chandrayan" is Chandrayaan even when "launch date" points elsewhere.
        matches = near or ([m for m in matches if m[1] <= 1] if len(term) >= LONG_WORD else [])
    if not matches and context is not None:
        # The last resort: the same consonants in the same order, one edit away anywhere
        # ("datnet" is Datanet) or two within the articles the question points to ("primer
        # league" is the Premier League, "ableine" Abilene).
        bones = skeleton(term)
        matches = [m for m in anywhere if m[1] <= 1 and bones and skeleton(m[0]) == bones]
        if not matches:
            alike = [(word, 1.5, i) for word, i in _sounding_like(term, vocabulary, skeleton)
                     if OSA.distance(term, word, score_cutoff=2) <= 2]
            held = index.postings([m[0] for m in alike])
            matches = [m for m in alike if np.isin(held[m[0]][0], context).any()]
    if not matches:
        return None
    best, _, _ = min(matches, key=lambda m: (m[1], -int(dfs[m[2]]) if m[2] >= 0 else 0, m[0]))
    return (best,)


def _only_name_near(
    term: str, vocabulary: list[str], is_name: Callable[[str], bool] | None,
) -> tuple[str, ...] | None:
    """The one known term a letter away, when it is a name: "quilon" is Quillon whatever else
    the question says, a name being what members most often mistype and no other word being
    as near. Two words that near, or a near word that is no name, leave the term as typed."""
    if is_name is None:
        return None
    near = {word for word, _, _ in _one_edit(term, vocabulary)}
    if len(near) != 1:
        return None
    word = near.pop()
    return (word,) if is_name(word) else None


_ALPHABETS: dict[int, tuple[list[str], frozenset[str]]] = {}


def _alphabet(vocabulary: list[str]) -> frozenset[str]:
    """Every character the vocabulary's words use, worked out once per vocabulary."""
    kept = _ALPHABETS.get(id(vocabulary))
    if kept is None or kept[0] is not vocabulary:
        _ALPHABETS.clear()
        kept = _ALPHABETS[id(vocabulary)] = (vocabulary, frozenset().union(*vocabulary))
    return kept[1]


def _one_edit(term: str, vocabulary: list[str]) -> list[tuple[str, int, int]]:
    """Known terms one edit (insert, delete, substitute, swap of neighbours) from `term`, as
    (term, 1, place in the sorted vocabulary). Spelling out the few hundred variants and
    looking each up is a hundred times faster than measuring the distance to every word."""
    found = []
    for word in _variants(term, _alphabet(vocabulary)):
        i = bisect_left(vocabulary, word)
        if i < len(vocabulary) and vocabulary[i] == word:
            found.append((word, 1, i))
    return found


def _variants(term: str, letters: frozenset[str]) -> set[str]:
    """Every string one edit from `term` (insert, delete, substitute, swap of neighbours)."""
    variants = set()
    for i in range(len(term) + 1):
        head, tail = term[:i], term[i:]
        if tail:
            variants.add(head + tail[1:])
        if len(tail) > 1:
            variants.add(head + tail[1] + tail[0] + tail[2:])
        for c in letters:
            variants.add(head + c + tail)
            if tail:
                variants.add(head + c + tail[1:])
    variants.discard(term)
    return variants


def _typed_one_edit(word: str, vocabulary: list[str]) -> list[tuple[str, float, int]]:
    """Known terms whose typed word is one edit from `word`: each variant of the word as typed,
    stemmed. The stemmer cuts a mistyped ending otherwise than the right one ("rotaton" stays
    "rotaton", "rotation" is "rotat"), so the slip is a letter only before stemming."""
    found: dict[str, tuple[str, float, int]] = {}
    for variant in _variants(word, _alphabet(vocabulary)):
        term = term_once(variant)
        if not term:
            continue
        # The last letter says the word's form: "discoverd" is "discovered" (a letter left
        # out), nearer than "discovery" (its ending changed), which the stem "discoverd" is
        # one letter from as well.
        distance = ENDING_KEPT if variant[-1:] == word[-1:] else 1.0
        if term in found:
            if distance < found[term][1]:
                found[term] = (term, distance, found[term][2])
            continue
        i = bisect_left(vocabulary, term)
        if i < len(vocabulary) and vocabulary[i] == term:
            found[term] = (term, distance, i)
    return list(found.values())


_DOUBLE = re.compile(r"(.)\1+")
_SOUND_KEYS: dict[tuple[int, str, str], tuple[list[str], dict[str, list[int]]]] = {}
# the letters a word may be written with that sound as the key's first: "ph" for "f"
_WRITTEN_AS = {"f": ("f", "ph"), "i": ("i", "y")}


def sound_key(term: str) -> str:
    """How a term sounds, roughly: "insight" and "insite" both "insit", "philae" "filae"."""
    term = term.replace("igh", "i").replace("ph", "f").replace("ck", "k").replace("y", "i")
    term = _DOUBLE.sub(r"\1", term)
    return term[:-1] if term.endswith("e") else term


_VOWELS = re.compile(r"[aeiouy]")
SKELETON_LENGTH = 4  # a shorter run of consonants matches too many words


def skeleton(term: str) -> str:
    """A term's first and last letters and its consonants between, in order ("primer" and
    "premier" "prmr", "primari" "prmri"), or "" when that is shorter than four letters: a
    looser key than the sound, for the last resort."""
    key = sound_key(term)
    if len(key) < 2:
        return ""
    key = _DOUBLE.sub(r"\1", key[:1] + _VOWELS.sub("", key[1:-1]) + key[-1])
    return key if len(key) >= SKELETON_LENGTH else ""


def _sounding_like(term: str, vocabulary: list[str], keyed=sound_key) -> list[tuple[str, int]]:
    """Known terms that sound as `term` does (by `keyed`), with their places in the vocabulary.
    Only words that can sound alike from their first letter on are keyed, once per vocabulary,
    key and letter."""
    key = keyed(term)
    if not key:
        return []
    cache_key = (id(vocabulary), keyed.__name__, key[0])
    kept = _SOUND_KEYS.get(cache_key)
    if kept is None or kept[0] is not vocabulary:
        if len(_SOUND_KEYS) > 64:
            _SOUND_KEYS.clear()
        keys: dict[str, list[int]] = {}
        for start in _WRITTEN_AS.get(key[0], (key[0],)):
            i = bisect_left(vocabulary, start)
            while i < len(vocabulary) and vocabulary[i].startswith(start):
                word = vocabulary[i]
                if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                    keys.setdefault(keyed(word), []).append(i)
                i += 1
        kept = _SOUND_KEYS[cache_key] = (vocabulary, keys)
    return [(vocabulary[i], i) for i in kept[1].get(key, []) if vocabulary[i] != term]


_NEAR_LENGTH: dict[tuple[int, int, int], tuple[list[str], list[str], list[int]]] = {}


def _of_length(vocabulary: list[str], length: int, limit: int) -> tuple[list[str], list[int]]:
    """The vocabulary's words within `limit` letters of `length`, with their places in it: no
    word further away in length can be `limit` edits away, and most of the vocabulary is. Kept
    per vocabulary (one per index generation)."""
    key = (id(vocabulary), length, limit)
    found = _NEAR_LENGTH.get(key)
    if found is None or found[0] is not vocabulary:
        if len(_NEAR_LENGTH) > 64:
            _NEAR_LENGTH.clear()
        positions = [i for i, word in enumerate(vocabulary) if abs(len(word) - length) <= limit]
        found = _NEAR_LENGTH[key] = (vocabulary, [vocabulary[i] for i in positions], positions)
    return found[1], found[2]


def _stem_prefixes(term: str, index: InvertedIndex, vocabulary: list[str]) -> list[tuple[str, int, int]]:
    """Known terms that differ from the unseen one by a suffix the stemmer treated otherwise
    in the two words: "perseverenc" (perseverence) for "persever" (perseverance), "sacrif"
    (sacrificed) for "sacrific" (sacrifice). As matches one edit away."""
    prefixes = [term[:j] for j in range(max(PREFIX_LENGTH, len(term) - 3), len(term))]
    held = index.postings(prefixes)
    found = [(p, 1, -1) for p in prefixes if len(held[p][0])]
    if len(term) >= PREFIX_LENGTH:
        i = bisect_left(vocabulary, term)
        while i < len(vocabulary) and vocabulary[i].startswith(term):
            if len(vocabulary[i]) - len(term) <= 3:
                found.append((vocabulary[i], 1, i))
            i += 1
    return found


def _split(term: str, index: InvertedIndex, context: np.ndarray | None) -> tuple[str, ...] | None:
    """A run-together compound ("superbowl", "userdatagram") as two known words that one
    article says together (a context article, when the question gives one)."""
    splits = [(term[:i], term[i:]) for i in range(MIN_PART, len(term) - MIN_PART + 1)]
    if not splits:
        return None
    known = index.postings(list({part for pair in splits for part in pair}))
    best = None
    for a, b in splits:
        ids_a, ids_b = known[a][0], known[b][0]
        together = np.intersect1d(ids_a, ids_b)
        if context is not None:
            together = np.intersect1d(together, context)
        if len(together) and (best is None or len(together) > best[0]):
            best = (len(together), (a, b))
    return best[1] if best else None


def has_near_word(index: InvertedIndex, term: str) -> bool:
    """Whether an unseen term could be a known word mistyped or cut short ("seires", "prob"):
    one edit away, or the start of a known word."""
    vocabulary, _ = index.vocabulary()
    i = bisect_left(vocabulary, term)
    if i < len(vocabulary) and vocabulary[i].startswith(term):
        return True
    if len(term) < MIN_LENGTH - 1:
        return False
    return bool(_one_edit(term, vocabulary) or _stem_prefixes(term, index, vocabulary))
