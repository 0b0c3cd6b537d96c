"""Choosing the FAQ that answers a message, without retraining anything."""

from __future__ import annotations

from bot.answers.faq import best_faq
from bot.knowledge.schema import Faq


def _faq(faq_id: str, question: str, answer: str) -> Faq:
    return Faq(id=faq_id, topic="housing", questions={"en": [question]}, answer={"en": answer})


RENT = _faq("rent", "How do I find a flat?", "Look at property portals and notice boards.")
DEPOSIT = _faq("deposit", "What about the deposit?", "Landlords ask for a deposit of 3 months.")
SOCIAL = _faq("social", "Social housing?", "The housing fund lets non-profit flats to families.")
ALL = [RENT, DEPOSIT, SOCIAL]


def test_matches_words_of_the_answer_not_only_the_questions() -> None:
    assert best_faq(ALL, "can a family get a non-profit flat", "en") == SOCIAL


def test_tolerates_typos_and_case() -> None:
    assert best_faq(ALL, "DEPOSITT how many monts", "en") == DEPOSIT


def test_only_among_the_candidates_given() -> None:
    assert best_faq([RENT, SOCIAL], "deposit", "en", corpus=ALL) in (RENT, SOCIAL)


def test_nothing_in_common_gives_the_first() -> None:
    assert best_faq(ALL, "zzz", "en") == RENT
    assert best_faq([], "flat", "en") is None


def test_missing_language_uses_the_english_text() -> None:
    assert best_faq(ALL, "kaution deposit", "de") == DEPOSIT


def test_weak_match_needs_a_low_score_and_a_real_question() -> None:
    from bot.answers.faq import WEAK_MATCH, weakly_matched

    assert weakly_matched("can I bring my dog along", WEAK_MATCH / 2)
    assert not weakly_matched("can I bring my dog along", WEAK_MATCH * 2)
    assert not weakly_matched("wohnung", 0.0)  # one word names a topic


def test_scores_are_those_of_sklearns_own_transform() -> None:
    from bot.answers.faq import _document, _vectoriser, best_faq_scored
    from bot.text import normalise

    vectoriser, _, matrix = _vectoriser(tuple(_document(faq, "en") for faq in ALL))
    for message in ("can a family get a non-profit flat", "DEPOSITT??", "zzz"):
        theirs = (matrix @ vectoriser.transform([normalise(message)]).T).toarray().ravel()
        best, score = best_faq_scored(ALL, message, "en")
        if theirs.max() > 0:
            assert best == ALL[int(theirs.argmax())] and abs(score - theirs.max()) < 1e-12
        else:
            assert (best, score) == (RENT, 0.0)
