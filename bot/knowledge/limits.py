"""Size limits of a knowledge file, generous for a real city and quick to refuse absurd input.

Why these numbers (docs/knowledge.md explains them to staff):
- 10 MB per file. A sample file has about 8 KB per FAQ (ten languages) and 600 bytes per
  service, so a large city with 3,000 services and 300 FAQs is about 4 MB (the 20,000-service
  benchmark file: 3.6 MB). A larger file is refused unread; one up to the limit takes at most
  about 15-25 s and 1 GB to parse (the 69 MB file of the issue: 157 s, 4.9 GB);
- 20,000 services, 5,000 places, 5,000 events (written and imported from calendars
  together) and 2,000 FAQs per municipality, 100 entries in any other list (categories,
  aliases, links, questions per language, holidays ...); checked on the parsed tree before
  the data is built and checked;
- 5 MB per calendar (.ics) file or feed: a town's calendar of a few hundred events is well
  under 1 MB; a feed is read no further than the limit;
- an answer, a note or a cost note at most 4,000 characters: one Telegram message holds 4,096;
  any other text 1,000 characters; ids and codes 64 (the database column's width);
- at most 2,000,000 values in a file, counting a value each time an alias (`*name`) repeats
  it, so that a few lines of aliases cannot expand into billions of values.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.problems import Problem

MB = 1_000_000
MAX_FILE_BYTES = 10 * MB
MAX_SERVICES = 20_000
MAX_PLACES = 5_000
MAX_FAQS = 2_000
MAX_EVENTS = 5_000
MAX_CALENDAR_BYTES = 5 * MB
MAX_LIST = 100
MAX_LONG_TEXT = 4_000
MAX_TEXT = 1_000
MAX_CODE = 64
MAX_VALUES = 2_000_000


def file_too_large(path: Path, size: int) -> Problem | None:
    """A file-level problem when `size` bytes is over MAX_FILE_BYTES, else None."""
    if size <= MAX_FILE_BYTES:
        return None
    return Problem(
        path,
        1,
        1,
        "(file)",
        f"is {size / MB:.1f} MB; the limit is {MAX_FILE_BYTES // MB} MB per municipality "
        "(see docs/knowledge.md, 'Limits'); was a wrong file saved here?",
    )
