"""A problem found in a knowledge file, and where in the file it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence


@dataclass(frozen=True)
class Problem:
    """One problem found in a knowledge file."""

    file: Path
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"
    feed: str = ""  # the calendar feed (url) this problem kept from being read, if one did

    def __str__(self) -> str:
        level = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {level}{self.message}"


def field_name(loc: Sequence[Any]) -> str:
    """`services[3].phone` for ("services", 3, "phone"); "(file)" for the whole file."""
    parts: list[str] = []
    for key in loc:
        if key == "__root__":
            continue
        parts.append(f"[{key}]" if isinstance(key, int) else ("." if parts else "") + str(key))
    return "".join(parts) or "(file)"
