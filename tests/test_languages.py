"""The portal's own words are translatable and shipped in every language it offers
(docs/languages.md): no template or Python string meant for users is left unmarked,
and the French and Arabic catalogues translate every marked string, none fuzzy."""

import ast
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
SHIPPED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages leaves out: the MOSIP sandbox is another system, not the portal.
NOT_THE_PORTAL = [
    "var", "staticfiles", "node_modules", "tests", "bench", "docs", "scripts",
    "apps/mosip_sandbox", "locale",
]  # fmt: skip
# Words that are the same in every language: names of systems, acronyms.
UNTRANSLATED_WORDS = {
    "MOSIP", "UIN", "VID", "IDA", "e-Signet", "WebSub", "Keycloak", "OTP", "CSV",
    "PDF", "QR", "OK", "CRVS", "ID", "JSON", "URL", "API", "HTTP", "PEM", "MISP",
}  # fmt: skip
# Attributes a reader hears or sees.
READ_ATTRIBUTES = re.compile(
    r'\b(?:aria-label|title|placeholder|alt)="([^"{\x00]*[A-Za-z][^"{\x00]*)"'
)
PLACE = "\x00"  # where a template tag or variable was
LETTERS = re.compile(r"[^\W\d_]{2,}")


def _words_needing_translation(text: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    words = LETTERS.findall(text)
    return [w for w in words if w not in UNTRANSLATED_WORDS]


def unmarked_template_text(source: str) -> list[str]:
    """Text of a template outside translate/blocktranslate tags and comments that
    has words in it, and read attributes with literal words. Template tags count as
    a placeholder, so a tag of HTML stays whole around them."""
    pieces, inside = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                inside = "end" + name
            elif name == inside:
                inside = None
            pieces.append(PLACE)
        elif token.token_type == TokenType.TEXT and not inside:
            pieces.append(token.contents)
        else:
            pieces.append(PLACE)
    text = "".join(pieces)
    found = [
        value.strip()
        for value in READ_ATTRIBUTES.findall(text)
        if _words_needing_translation(value)
    ]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    outside_tags = re.sub(r"<[^<>]*>", " ", text)
    for chunk in outside_tags.split(PLACE):
        if _words_needing_translation(chunk):
            found.append(" ".join(chunk.split())[:80])
    return found


def test_no_template_of_the_portal_has_unmarked_words():
    unmarked = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = unmarked_template_text(path.read_text(encoding="utf-8"))
        if text:
            unmarked[str(path.relative_to(ROOT))] = text
    assert not unmarked, unmarked


def test_the_template_check_finds_a_new_unmarked_sentence():
    assert unmarked_template_text("<p>{% translate 'Saved' %}</p>") == []
    assert unmarked_template_text("<p>Saved at {{ time }}</p>") == ["Saved at"]
    assert unmarked_template_text('<nav aria-label="Main">x</nav>') == ["Main"]
    assert unmarked_template_text("<p>MOSIP · UIN {{ uin }}</p>") == []
    marked = "{% blocktranslate trimmed %}Saved at {{ t }}{% endblocktranslate %}"
    assert unmarked_template_text(marked) == []


# Python: calls whose string argument a user reads.
USER_FACING_CALLS = {"success", "error", "warning", "info", "add_message"}
USER_FACING_KEYWORDS = {"label", "help_text", "empty_label"}
USER_FACING_CLASSES = {"ValidationError"}


def unmarked_python_strings(source: str) -> list[str]:
    """String literals passed straight (not through gettext) to messages, form
    labels and help texts, and ValidationError."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        candidates = []
        if name in USER_FACING_CALLS and isinstance(func, ast.Attribute):
            owner = func.value
            if getattr(owner, "id", "") == "messages":
                candidates = node.args[1:2]
        elif name in USER_FACING_CLASSES:
            candidates = node.args[:1]
        candidates += [k.value for k in node.keywords if k.arg in USER_FACING_KEYWORDS]
        for value in candidates:
            if isinstance(value, ast.JoinedStr) or (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and _words_needing_translation(value.value)
            ):
                found.append(ast.unparse(value)[:80])
    return found


def test_no_python_string_meant_for_users_is_unmarked():
    unmarked = {}
    for path in sorted((ROOT / "apps").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[1] == "mosip_sandbox" or "migrations" in relative.parts:
            continue
        strings = unmarked_python_strings(path.read_text(encoding="utf-8"))
        if strings:
            unmarked[str(relative)] = strings
    assert not unmarked, unmarked


def test_the_python_check_finds_a_new_unmarked_message():
    assert unmarked_python_strings('messages.success(request, "Saved.")') == [
        "'Saved.'"
    ]
    assert unmarked_python_strings('messages.success(request, _("Saved."))') == []
    assert unmarked_python_strings('forms.CharField(label="Name")') == ["'Name'"]
    assert unmarked_python_strings('forms.CharField(label="UIN")') == []
    assert unmarked_python_strings('raise ValidationError(f"Too long: {n}")') == [
        "f'Too long: {n}'"
    ]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The portal's marked strings as makemessages extracts them now: a .pot per
    domain, written outside the repository."""
    if shutil.which("msgcmp") is None:
        pytest.fail("gettext's tools are missing: install Debian's gettext package")
    target = tmp_path_factory.mktemp("locale")
    # The sources seen through links from a directory with no locale/ of its own, so
    # makemessages writes to `target` and never to the shipped catalogues.
    sources = tmp_path_factory.mktemp("sources")
    for name in ("apps", "templates", "static", "crvs_portal"):
        (sources / name).symlink_to(ROOT / name, target_is_directory=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(sources)
        patch.setattr(settings, "LOCALE_PATHS", [str(target)])
        for domain in ("django", "djangojs"):
            call_command(
                "makemessages", locale=["fr"], domain=domain, keep_pot=True,
                symlinks=True, ignore_patterns=NOT_THE_PORTAL, verbosity=0,
            )  # fmt: skip
    return target


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_each_shipped_catalogue_translates_every_marked_string(
    extracted, language, domain
):
    pot = extracted / f"{domain}.pot"
    if not pot.exists():
        pytest.skip(f"no {domain} strings")
    shipped = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    assert shipped.exists(), f"{shipped} is missing: makemessages -l {language}"
    # msgcmp: every msgid of the sources has a translation, not fuzzy, in the
    # shipped catalogue.
    compared = subprocess.run(
        ["msgcmp", str(shipped), str(pot)], capture_output=True, text=True
    )
    assert compared.returncode == 0, compared.stderr[-4000:]
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(shipped)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "msgid" not in fuzzy.stdout, fuzzy.stdout[:2000]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang", "direction", "words"),
    [
        ("fr-FR,fr;q=0.9", "fr", "ltr", "Portail de l'état civil"),
        ("ar", "ar", "rtl", "بوابة السجل المدني"),
        ("de-DE", "en", "ltr", "Civil registration portal"),
    ],
)
def test_the_browsers_language_is_the_default(accept, lang, direction, words):
    page = Client(headers={"accept-language": accept}).get(reverse("accounts:login"))
    text = html.unescape(page.content.decode())
    assert f'<html lang="{lang}" dir="{direction}">' in text
    assert words in text


@pytest.mark.django_db
def test_a_users_choice_follows_them_whatever_the_browser_says(registrar):
    browser = Client(headers={"accept-language": "fr"})
    browser.force_login(registrar)
    chosen = browser.post(
        reverse("language"), {"language": "ar", "next": reverse("accounts:home")}
    )
    assert chosen.status_code == 302 and chosen["Location"] == reverse("accounts:home")
    registrar.refresh_from_db()
    assert registrar.language == "ar"

    elsewhere = Client(headers={"accept-language": "fr"})  # another device
    elsewhere.force_login(registrar)
    page = elsewhere.get(reverse("registrations:list"), follow=True)
    assert '<html lang="ar" dir="rtl">' in page.content.decode()


@pytest.mark.django_db
def test_the_switcher_refuses_unknown_languages_and_foreign_addresses(registrar):
    browser = Client()
    browser.force_login(registrar)
    response = browser.post(
        reverse("language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    registrar.refresh_from_db()
    assert registrar.language == ""
