"""Candidate answers to "why": the reasons a sentence gives, by the words that give them.

A reason is told after "because (of)", "due to", "caused by", "traced the failure to", "fined
... for failing to", or as the subject of "caused" / "led to" ("A cracked seal in the turbopump
caused the failure"); it runs to the end of its clause. Which reason answers the question is the
answer model's choice, by the same evidence as any answer (the sentence says the question's
words, the reason stands near them); the marker that gave it is part of that evidence (`flags`).
A purpose told with a bare "to" ("went to Karlovac to attend school") is not read: most
sentences hold a "to" and a verb, and offered as reasons they drowned the surer ones (held out,
fewer why-questions were answered right).
"""

from __future__ import annotations

import re

MAX_WORDS = 14  # a reason longer than this is a story, not a short answer

# marker -> flag: "because" and its kin say a cause outright; "by" after a verb of causing or
# delaying says what did it; "so that" / "in order to" give a purpose.
_AFTER = (
    (r"\bbecause\s+of|\bdue\s+to|\bowing\s+to|\bas\s+a\s+result\s+of|\bon\s+account\s+of|\bfor\s+fear\s+of",
     "cause_because"),
    (r"\bbecause|\bsince\s+(?=(?:it|they|he|she|the|its|their)\b)", "cause_because"),
    (r"\b(?:caused|triggered|delayed|doomed|prompted|driven|forced|brought\s+on|held\s+up|hampered"
     r"|grounded|halted|stopped)\s+by", "cause_by"),
    (r"\b(?:blamed|pinned)\s+(?:\w+\s+){0,3}?on|\b(?:attributed|traced?|traces|tracing)\s+(?:\w+\s+){0,3}?to"
     r"|\bcomes?\s+from|\bcame\s+from|\bresult(?:ed|s)?\s+from|\bstem(?:med|s)?\s+from", "cause_by"),
    (r"\bthanks\s+to", "cause_because"),
    (r"\bin\s+order\s+to|\bso\s+as\s+to|\bso\s+that", "cause_purpose"),
    # "fined $210,000 for failing to move ...", "praised for finding ...": what it was for
    (r"\bfor(?=\s+(?-i:[a-z]+ing)\b)", "cause_for"),
)
_MARKER = re.compile("|".join(f"(?P<m{i}>{rx})" for i, (rx, _) in enumerate(_AFTER)), re.I)
_FLAG = {f"m{i}": flag for i, (_, flag) in enumerate(_AFTER)}
# What ends a reason: a clause's punctuation, or a word that opens another clause.
_END = re.compile(
    r"\s*[,;:.!?()\[\]—–]|\s+(?=(?:which|who|whom|when|while|whereas|as|after|before|until|although"
    r"|though|but|so|and\s+(?:then|the|it|they|was|were|is)|said|says|according)\b)",
    re.I,
)
# "X caused the failure": the subject before a verb of causing is the reason.
_CAUSING = re.compile(r"\s+(?:caused|causes|led\s+to|leads\s+to|doomed|triggered|forced|prompted)\b", re.I)
_LETTER = re.compile(r"[A-Za-z]")
_PRONOUN = re.compile(r"(?:it|this|that|they|which|what)", re.I)  # says no reason of its own
_CLAUSE_OPEN = re.compile(r"[,;:]\s*|\b(?:that|but|which|when|after)\s+", re.I)


def cause_spans(sentence: str, s0: int) -> list[tuple[int, int, str]]:
    """(start, end, flag) of each reason told in one sentence; offsets into the paragraph
    (`s0` is where the sentence starts)."""
    out = []
    for m in _MARKER.finditer(sentence):
        flag = _FLAG[m.lastgroup]
        start = m.end()
        while start < len(sentence) and sentence[start] == " ":
            start += 1
        end_m = _END.search(sentence, start)
        end = end_m.start() if end_m else len(sentence)
        text = sentence[start:end]
        if 0 < len(text.split()) <= MAX_WORDS and _LETTER.search(text):
            out.append((s0 + start, s0 + end, flag))
    for m in _CAUSING.finditer(sentence):
        head = sentence[: m.start()]
        start = max((o.end() for o in _CLAUSE_OPEN.finditer(head)), default=0)
        text = head[start:]
        if 0 < len(text.split()) <= MAX_WORDS and not _PRONOUN.fullmatch(text):
            out.append((s0 + start, s0 + m.start(), "cause_subject"))
    return out
