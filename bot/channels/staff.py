"""The staff page under /staff/ on the Rasa server's port, for municipal staff with no
technical training: unanswered questions grouped (CSV too), feedback per answer,
translation coverage and outdated translations, answers to review, suggested YAML lines,
and a preview of the bot's answer in any language (docs/staff.md).

Access (bot/staff/access.py): a token per municipality and an admin token, from the
environment. The browser keeps the token in an HttpOnly, SameSite=Strict cookie limited to
/staff/; scripts may send `Authorization: Bearer <token>`. Every route answers 401 without
a valid token, and 429 after too many wrong ones from one address. No JavaScript; the CSS
is inline under a per-response nonce, so the Content-Security-Policy allows nothing else.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import secrets
from datetime import date
from typing import Any, Awaitable, Callable, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import PACKAGE_DIR
from bot.answers.formatting import distance
from bot.answers.localise import localise
from bot.knowledge.db import shared_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import Municipality
from bot.language.registry import settings
from bot.staff import preview as previews
from bot.staff.access import Access, Failures, Tokens
from bot.staff.dashboard import MAX_GROUPED, Overview, overview
from bot.staff.suggest import Suggestion
from bot.staff.unanswered import rows
from bot.staff.wording import DEFAULT, text, texts

logger = logging.getLogger(__name__)

COOKIE = "welcome_staff"
COOKIE_SECONDS = 8 * 3600
STAFF_DIR = PACKAGE_DIR / "staff"
MAX_QUESTION = 1000
_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


class StaffPage(InputChannel):
    """Not a chat channel: Rasa's way to serve more routes on its own port."""

    @classmethod
    def name(cls) -> str:
        return "staff"

    def url_prefix(self) -> str:
        return "/staff"  # Rasa joins it to /webhooks/; an absolute path stays /staff

    def __init__(self, tokens: Optional[Tokens] = None) -> None:
        self.tokens = tokens or Tokens()
        self.failures = Failures()
        self.templates = Environment(
            loader=FileSystemLoader(STAFF_DIR / "templates"),
            autoescape=select_autoescape(["html"]),
        )
        self.css = (STAFF_DIR / "static" / "staff.css").read_text(encoding="utf-8")
        self._repository: Optional[KnowledgeRepository] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> InputChannel:
        return cls()

    @property
    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            self._repository = KnowledgeRepository(shared_engine())
        return self._repository

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("staff_page", __name__)

        @page.route("/", methods=["GET"])
        async def home(request: Request) -> HTTPResponse:
            access, refused = self._check(request)
            if access is None:
                return refused
            if not access.admin and access.municipality:
                return response.redirect(
                    f"/staff/{access.municipality}/?lang={_lang(request)}", status=303
                )
            towns = await asyncio.to_thread(self.repository.municipalities)
            lang = _lang(request)
            listed = [(m.id, _name(m, lang)) for m in towns]
            return self._render(request, "choose.html", 200, municipalities=listed)

        @page.route("/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            if self.failures.blocked(request):
                return self._login(request, 429, "login_blocked")
            given = str(request.form.get("token") or "") if request.form else ""
            if self.tokens.access(given) is None:
                if not self.failures.count(request):
                    return self._login(request, 429, "login_blocked")
                return self._login(request, 401, "login_wrong")
            done = response.redirect(f"/staff/?lang={_lang(request)}", status=303)
            done.cookies[COOKIE] = given
            cookie = done.cookies[COOKIE]
            cookie["path"] = "/staff/"
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["max-age"] = COOKIE_SECONDS
            cookie["secure"] = _https(request)
            return _secured(done)

        @page.route("/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            access, refused = self._check(request)
            if access is None:
                return refused
            done = response.redirect(f"/staff/?lang={_lang(request)}", status=303)
            done.cookies[COOKIE] = ""
            done.cookies[COOKIE]["path"] = "/staff/"
            done.cookies[COOKIE]["max-age"] = 0
            return _secured(done)

        @page.route("/<municipality_id:[a-z0-9][a-z0-9_-]*>/", methods=["GET"])
        async def municipality_page(request: Request, municipality_id: str) -> HTTPResponse:
            found, refused = await self._municipality(request, municipality_id)
            if found is None:
                return refused
            return await self._page(request, found)

        @page.route("/<municipality_id:[a-z0-9][a-z0-9_-]*>/preview", methods=["POST"])
        async def preview(request: Request, municipality_id: str) -> HTTPResponse:
            found, refused = await self._municipality(request, municipality_id)
            if found is None:
                return refused
            form = request.form or {}
            question = str(form.get("question") or "").strip()[:MAX_QUESTION]
            chosen = str(form.get("language") or "")
            chosen = chosen if settings().get(chosen) else ""
            if not question:
                return await self._page(request, found, chosen_language=chosen)
            agent = getattr(request.app.ctx, "agent", None)
            try:
                shown = await previews.run(agent, self.repository, found, question, chosen or None)
            except Exception:  # the page stays usable whatever the bot does
                logger.exception("The staff preview failed")
                error = text(_lang(request), "preview_failed")
                return await self._page(request, found, chosen_language=chosen, error=error)
            return await self._page(request, found, shown=shown, chosen_language=chosen)

        @page.route("/<municipality_id:[a-z0-9][a-z0-9_-]*>/unanswered.csv", methods=["GET"])
        async def unanswered_csv(request: Request, municipality_id: str) -> HTTPResponse:
            found, refused = await self._municipality(request, municipality_id)
            if found is None:
                return refused
            body = await asyncio.to_thread(_csv, self.repository, found.id)
            name = f"{found.id}-unanswered-{date.today().isoformat()}.csv"
            return _secured(
                response.raw(
                    body,
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'},
                )
            )

        return page

    # access

    def _check(self, request: Request) -> tuple[Optional[Access], HTTPResponse]:
        """The request's access, or (None, the 401/429 page)."""
        if self.failures.blocked(request):
            return None, self._login(request, 429, "login_blocked")
        given = _token(request)
        access = self.tokens.access(given)
        if access is not None:
            return access, response.empty()
        if given:
            if not self.failures.count(request):
                return None, self._login(request, 429, "login_blocked")
            return None, self._login(request, 401, "login_wrong")
        return None, self._login(request, 401, None)

    async def _municipality(
        self, request: Request, municipality_id: str
    ) -> tuple[Optional[Municipality], HTTPResponse]:
        access, refused = self._check(request)
        if access is None:
            return None, refused
        if not access.may_see(municipality_id):
            return None, self._render(request, "choose.html", 403, municipalities=[])
        found = await asyncio.to_thread(self.repository.municipality, municipality_id)
        if found is None:
            return None, self._render(request, "choose.html", 404, municipalities=[])
        return found, response.empty()

    # pages

    def _login(self, request: Request, status: int, error_key: Optional[str]) -> HTTPResponse:
        error = text(_lang(request), error_key) if error_key else None
        return self._render(request, "login.html", status, error=error, signed_in=False)

    async def _page(
        self,
        request: Request,
        municipality: Municipality,
        shown: Optional[previews.Preview] = None,
        chosen_language: str = "",
        error: Optional[str] = None,
    ) -> HTTPResponse:
        nonce = secrets.token_urlsafe(16)
        html = await asyncio.to_thread(
            self.municipality_html,
            municipality,
            _lang(request),
            nonce,
            shown,
            chosen_language,
            error,
        )
        return _secured(response.html(html), nonce)

    def municipality_html(
        self,
        municipality: Municipality,
        lang: str,
        nonce: str,
        shown: Optional[previews.Preview] = None,
        chosen_language: str = "",
        error: Optional[str] = None,
    ) -> str:
        """The page of one municipality (the main view; `make bench` times it)."""
        values = _overview_values(overview(self.repository, municipality), lang)
        if shown is not None:
            values.update(_preview_values(shown, lang))
        return self.html(
            lang,
            nonce,
            "municipality.html",
            id=municipality.id,
            heading=text(lang, "title_municipality", municipality=_name(municipality, lang)),
            preview=shown,
            chosen_language=chosen_language,
            preview_error=error,
            **values,
        )

    def _render(self, request: Request, name: str, status: int, **values: Any) -> HTTPResponse:
        nonce = secrets.token_urlsafe(16)
        html = self.html(_lang(request), nonce, name, **values)
        return _secured(response.html(html, status=status), nonce)

    def html(self, lang: str, nonce: str, name: str, **values: Any) -> str:
        """A template in the page language, with the style sheet inline under the nonce."""
        entry = settings().get(lang)
        html = self.templates.get_template(name).render(
            lang=lang,
            dir=entry.direction if entry else "ltr",
            t=texts(lang),
            page_title=texts(lang)["title"],
            root="/staff/",
            languages=[(code, _language_name(code)) for code in settings().codes],
            signed_in=values.pop("signed_in", True),
            **values,
        )
        return html.replace(
            '<link rel="stylesheet" href="/staff/static/staff.css">',
            f'<style nonce="{nonce}">{self.css}</style>',
        )


def _overview_values(data: Overview, lang: str) -> dict[str, Any]:
    town = data.municipality
    language_names = {code: _language_name(code) for code in settings().codes}
    return {
        "overview": data,
        "unanswered_total": text(
            lang,
            "unanswered_total",
            count=data.unanswered_total,
            shown=min(data.unanswered_total, MAX_GROUPED),
        ),
        "suggestions": [_suggestion(s, data, lang) for s in data.suggestions],
        "ratings": [
            {
                "kind_label": text(lang, f"kind_{tally.kind}"),
                "name": data.faq_title(tally.subject, lang)
                if tally.kind == "faq"
                else data.service_name(tally.subject, lang),
                "yes": tally.yes,
                "no": tally.no,
                "languages": tally.languages,
            }
            for tally in data.ratings
        ],
        "translations_help": text(lang, "translations_help", count=data.faq_count),
        "coverage": [(code, language_names[code], have) for code, have in data.coverage.items()],
        "outdated": [
            {
                "text": text(
                    lang,
                    "outdated_item",
                    faq=data.faq_title(item.faq.id, lang),
                    language=language_names.get(item.language, item.language),
                    day=item.record.day,
                    source=language_names.get(item.record.source, item.record.source),
                ),
                "fix": text(
                    lang,
                    "outdated_fix",
                    command=f"python -m bot knowledge translated {town.id} {item.faq.id} "
                    f"{item.language}",
                ),
            }
            for item in data.outdated
        ],
        "stale": [
            text(lang, "review_item", faq=data.faq_title(faq.id, lang), day=faq.last_reviewed)
            if faq.last_reviewed
            else text(lang, "review_never", faq=data.faq_title(faq.id, lang))
            for faq in data.stale
        ],
    }


def _suggestion(found: Suggestion, data: Overview, lang: str) -> dict[str, str]:
    if found.kind == "question" and found.faq_id:
        what = text(lang, "suggestion_question", faq=data.faq_title(found.faq_id, lang))
    else:
        what = text(lang, "suggestion_new_faq")
    where = (
        text(lang, "suggestion_where", file=found.file, line=found.line, place=found.place)
        if found.line
        else text(lang, "suggestion_where_unknown", file=found.file, place=found.place)
    )
    return {
        "question": found.question,
        "what": what,
        "where": where,
        "how": text(lang, "suggestion_replace" if found.replace else "suggestion_add"),
        "lines": "\n".join(found.lines),
    }


def _language_name(code: str) -> str:
    entry = settings().get(code)
    return entry.name if entry else code


def _preview_values(shown: previews.Preview, lang: str) -> dict[str, Any]:
    understood = text(
        lang, "preview_understood", intent=shown.intent or "-", confidence=f"{shown.confidence:.2f}"
    )
    if shown.faq:
        picked = text(lang, "preview_faq", faq=shown.faq, score=f"{shown.score:.2f}")
    elif shown.service:
        away = distance(shown.distance_km, lang)
        picked = text(lang, "preview_service", service=shown.service, distance=away)
    else:
        picked = text(lang, "preview_nothing")
    answer_heading = text(lang, "preview_answer", language=_language_name(shown.language))
    return {"understood": understood, "picked": picked, "answer_heading": answer_heading}


def _csv(repository: KnowledgeRepository, municipality_id: str) -> bytes:
    """Every kept question, newest first; cells that a spreadsheet would run as a formula
    are quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "language", "reason", "likely_intents", "question"])
    for row in rows(repository.engine, municipality_id):
        cells = [row.day.isoformat(), row.language, row.reason, row.intents, row.text]
        writer.writerow(["'" + c if c.startswith(_CSV_RISKY) else c for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _name(municipality: Municipality, lang: str) -> str:
    return localise(municipality.name, lang, municipality.languages)[0]


def _token(request: Request) -> str:
    header = request.headers.get("authorization") or ""
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return str(request.cookies.get(COOKIE) or "")


def _lang(request: Request) -> str:
    asked = str(request.args.get("lang") or "")
    if settings().get(asked):
        return asked
    for part in (request.headers.get("accept-language") or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if settings().get(code):
            return code
    return DEFAULT


def _https(request: Request) -> bool:
    forwarded = (request.headers.get("x-forwarded-proto") or "").lower()
    return request.scheme == "https" or forwarded == "https"


def _secured(reply: HTTPResponse, nonce: Optional[str] = None) -> HTTPResponse:
    style = f"'nonce-{nonce}'" if nonce else "'none'"
    reply.headers.update(
        {
            "Content-Security-Policy": (
                f"default-src 'none'; style-src {style}; form-action 'self'; "
                "frame-ancestors 'none'; base-uri 'none'"
            ),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        }
    )
    return reply
