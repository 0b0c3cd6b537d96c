"""Command line: `python -m bot knowledge validate|sync|schema`, `python -m bot privacy purge`,
`python -m bot production`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from bot import PROJECT_DIR

DEFAULT_KNOWLEDGE = PROJECT_DIR / "knowledge" / "municipalities"


def _paths(raw: Sequence[str]) -> list[Path]:
    return [Path(p) for p in raw] or [DEFAULT_KNOWLEDGE]


def _validate(args: argparse.Namespace) -> int:
    from bot.knowledge import glossary, plain
    from bot.knowledge.loader import load_paths
    from bot.locales.catalog import CATALOG_DIR

    result = load_paths(_paths(args.paths))
    result.problems.extend(glossary.catalog_problems())
    catalogs = [PROJECT_DIR / "domain.yml", *sorted(CATALOG_DIR.glob("[a-z][a-z].yml"))]
    result.problems.extend(plain.catalog_problems(catalogs))
    for problem in result.problems:
        print(problem)
    covered = result.coverage()
    if any(total for _, total in covered.values()):
        print(
            "Answers translated: "
            + ", ".join(f"{code} {have}/{total}" for code, (have, total) in covered.items())
        )
    errors = len(result.errors)
    print(
        f"{len(result.municipalities)} municipalities checked: "
        f"{errors} errors, {len(result.problems) - errors} warnings"
    )
    return 0 if result.ok else 1


def _sync(args: argparse.Namespace) -> int:
    from bot.knowledge.db import database_url, make_engine
    from bot.knowledge.sync import sync

    report = sync(make_engine(args.database_url), _paths(args.paths), prune=args.prune)
    for problem in report.load.problems:
        print(problem)
    if not report.ok:
        print("Nothing was changed: fix the errors above and run sync again.")
        return 1
    if report.removed:
        print(f"Removed (--prune): {', '.join(report.removed)}")
    if report.not_in_files:
        print(
            f"In the database but not in these files: {', '.join(report.not_in_files)}. "
            "They were kept and keep serving; to remove them, run sync again with --prune."
        )
    if report.feeds_kept:
        print(
            "Calendar feeds that could not be read (see above) keep the events they gave at "
            f"the last sync: {', '.join(report.feeds_kept)}. Run sync again when they answer."
        )
    if report.feeds_without_events:
        print(
            "Calendar feeds that could not be read and were never synced, so their events are "
            f"missing until a sync can read them: {', '.join(report.feeds_without_events)}."
        )
    if report.others:
        print(
            f"Left as they were (no file for them was named): {len(report.others)} other "
            "municipalities in the database."
        )
    print(
        f"Synced to {args.database_url or database_url()}: "
        f"added {report.added or '-'}, changed {report.changed or '-'}, "
        f"removed {report.removed or '-'}, unchanged {len(report.unchanged)}"
    )
    return 0


def _translated(args: argparse.Namespace) -> int:
    from datetime import date

    from bot.knowledge.loader import load_file
    from bot.knowledge.translations import records, source_language, write_records

    path = Path(args.municipality)
    if not path.suffix:
        path = DEFAULT_KNOWLEDGE / f"{args.municipality}.yml"
    municipality, problems = load_file(path)
    if municipality is None:
        for problem in problems:
            print(problem)
        print("Fix the errors above first.")
        return 1
    faqs = [f for f in municipality.faqs if args.faq in (None, "all", f.id)]
    if not faqs:
        known = ", ".join(f.id for f in municipality.faqs)
        print(f"{path}: no FAQ '{args.faq}'; the FAQs are: {known}")
        return 1
    for faq in faqs:
        source = args.source or source_language(municipality, faq)
        if source not in faq.answer:
            print(f"{faq.id}: has no {source} answer to translate from; skipped")
            continue
        languages = args.languages or [code for code in faq.answer if code != source]
        write_records(path, faq.id, records(municipality, faq, languages, date.today(), source))
        print(f"{faq.id}: {', '.join(languages)} marked as translated from the current {source}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from bot.knowledge.editor_schema import editor_schema

    print(json.dumps(editor_schema(), indent=2, ensure_ascii=False))
    return 0


def _purge(args: argparse.Namespace) -> int:
    from bot.privacy import (
        parse_age,
        purge,
        purge_unanswered,
        retention_days,
        tracker_url_from_endpoints,
    )

    older_than = args.older_than or f"{retention_days()}d"
    try:
        age = parse_age(older_than)
    except ValueError as error:
        print(error)
        return 2
    url = args.tracker_url or tracker_url_from_endpoints()
    report = purge(url, age)
    questions = purge_unanswered(args.database_url, age)
    print(
        f"Deleted {report.events} events older than {older_than}; "
        f"{report.conversations} conversations are gone entirely; "
        f"{questions} unanswered questions kept for staff deleted."
    )
    return 0


def _production(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from bot.channels.origins import OriginsNotConfiguredError, require_origins
    from bot.cluster import Cluster, current_model
    from bot.supervise import PurgeSchedule, supervise

    try:
        require_origins(os.environ)
    except OriginsNotConfiguredError as error:
        print(error, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    model = current_model()
    ports = [args.port + number for number in range(args.instances)]
    cluster = Cluster(work=Path(args.work).resolve(), model=model, rasa_ports=ports)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"Starting {args.instances} Rasa instances, the action server, PostgreSQL and Redis ...")
    cluster.start()
    try:
        print("Production profile ready (logs in " + str(cluster.work) + "):")
        for url in cluster.urls():
            print(f"  Rasa instance  {url}   (REST: {url}/webhooks/rest/webhook)")
        print(f"  Actions        {cluster.environment['ACTION_SERVER_URL']}")
        print("Put a reverse proxy in front (docs/operations.md). Press Ctrl-C to stop.")
        # conversations older than the privacy notice says: at start, then every hour
        if supervise(cluster, PurgeSchedule(), stop):
            return 0
        print("A server stopped; see the logs.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping ...")
        cluster.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    groups = parser.add_subparsers(dest="group", required=True)
    knowledge = groups.add_parser("knowledge", help="check and load the municipal knowledge")
    commands = knowledge.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check knowledge files, print every problem")
    validate.add_argument(
        "paths", nargs="*", help="files or folders (default: knowledge/municipalities)"
    )
    validate.set_defaults(run=_validate)
    sync = commands.add_parser(
        "sync", help="add and change the municipalities of these files in the database"
    )
    sync.add_argument(
        "paths", nargs="*", help="files or folders (default: knowledge/municipalities)"
    )
    sync.add_argument(
        "--prune",
        action="store_true",
        help="also remove municipalities that have no file: with a folder, every one in the "
        "database without a file in it; with single files, those whose named file is gone",
    )
    sync.add_argument(
        "--database-url", default=None, help="default: $DATABASE_URL or var/knowledge.db"
    )
    sync.set_defaults(run=_sync)
    translated = commands.add_parser(
        "translated",
        help="record that translations match the current source answer (validate then "
        "warns when the source changes)",
    )
    translated.add_argument("municipality", help="its id (kranj) or the file's path")
    translated.add_argument("faq", nargs="?", default=None, help="the FAQ's id (default: all FAQs)")
    translated.add_argument(
        "languages", nargs="*", help="languages to mark (default: every translation)"
    )
    translated.add_argument(
        "--from",
        dest="source",
        default=None,
        help="the language translated from (default: the first official language)",
    )
    translated.set_defaults(run=_translated)
    schema = commands.add_parser("schema", help="print the JSON Schema for editors")
    schema.set_defaults(run=_schema)
    privacy = groups.add_parser("privacy", help="forget old conversations")
    privacy_commands = privacy.add_subparsers(dest="command", required=True)
    purge = privacy_commands.add_parser(
        "purge", help="delete conversation events and unanswered questions by age"
    )
    purge.add_argument(
        "--older-than",
        default=None,
        help="an age like 30d, 12h or 90m (default: PRIVACY_RETENTION_DAYS, else 30 days)",
    )
    purge.add_argument("--tracker-url", default=None, help="default: endpoints.yml's store")
    purge.add_argument(
        "--database-url",
        default=None,
        help="the knowledge database, for the unanswered questions kept for staff "
        "(default: $DATABASE_URL or var/knowledge.db)",
    )
    purge.set_defaults(run=_purge)
    production = groups.add_parser(
        "production", help="PostgreSQL + Redis + action server + several Rasa instances"
    )
    production.add_argument("--instances", type=int, default=2, help="Rasa instances (2)")
    production.add_argument("--port", type=int, default=5005, help="first instance's port")
    production.add_argument("--work", default=str(PROJECT_DIR / "var" / "production"))
    production.set_defaults(run=_production)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
