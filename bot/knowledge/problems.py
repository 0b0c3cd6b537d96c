"""A problem found in a knowledge file, and where in the file it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in a knowledge file."""

    file: Path
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        level = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {level}{self.message}"
