"""What a question is about: the terms that name its subject.

"When did Zhurong land?" is about Zhurong and asks when it landed. The subject may be named in a
paragraph's context rather than its sentence ("...landing on May 15" in an article about Zhurong),
while the asked-for event must be said where the answer is; the answer model weighs the two apart.
A subject is a name the question writes capitalised (not its first word, capitalised anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.answers.notfound import question_names
from index.answers.question import Question

if TYPE_CHECKING:
    from index.archive import Archive


def subject_terms(archive: Archive, q: Question, read_as: dict[str, tuple[str, ...]]) -> set[str]:
    return {t for name in question_names(q.text, read_as) for t in name}
