"""The "did you mean…?" buttons: the likeliest topics, then the person."""

from bot.dialogue.unsure import likely_buttons

BUTTONS = [
    {"title": "Housing", "payload": "/ask_housing"},
    {"title": "Work", "payload": "/ask_jobs"},
    {"title": "School", "payload": "/ask_schooling"},
    {"title": "Courses", "payload": "/ask_language_courses"},
    {"title": "Health", "payload": "/ask_healthcare"},
    {"title": "Person", "payload": "/human_handoff"},
]


def test_likeliest_topics_first_then_the_person() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "ask_healthcare", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_housing", "confidence": 0.1},
        {"name": "ask_jobs", "confidence": 0.06},
        {"name": "ask_schooling", "confidence": 0.05},
    ]
    titles = [b["title"] for b in likely_buttons(BUTTONS, ranking)]
    assert titles == ["Health", "Housing", "Work", "Person"]


def test_unlikely_topics_are_not_offered() -> None:
    ranking = [{"name": "ask_jobs", "confidence": 0.5}, {"name": "ask_housing", "confidence": 0.01}]
    assert [b["title"] for b in likely_buttons(BUTTONS, ranking)] == ["Work", "Person"]


def test_nothing_likely_offers_every_topic() -> None:
    """Keyboard mash gets confidence 0 everywhere: every topic is offered."""
    ranking = [{"name": "ask_jobs", "confidence": 0.0}, {"name": "greet", "confidence": 0.0}]
    assert likely_buttons(BUTTONS, ranking) == BUTTONS
    assert likely_buttons(BUTTONS, []) == BUTTONS
