"""A registrar registers a birth, and a supervisor reads the dashboard, in French and
in Arabic (docs/languages.md): the language chosen in the header, every step's
screen kept in var/journeys/languages/<language>/<role>/, no English sentence of the
portal's own left on those pages, and the Arabic pages mirrored."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.journeys.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def catalogue(language: str) -> gettext.GNUTranslations:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        return gettext.GNUTranslations(compiled)


def english_sentences(language: str) -> set[str]:
    """The portal's English phrases (two words or more, between placeholders) that
    the catalogue translates otherwise: none may show on a page in `language`."""
    phrases = set()
    for source, translated in catalogue(language)._catalog.items():
        if not isinstance(source, str) or not source or source == translated:
            continue
        for piece in PLACEHOLDER.split(source):
            piece = re.sub(r"<[^>]+>", " ", piece)
            piece = " ".join(piece.split()).strip(" .,:;·—–-()")
            # Two words or more, one of them a real word: "for the" is in people's
            # own answers too.
            words = piece.split()
            if len(words) >= 2 and any(len(w) >= 5 for w in words):
                phrases.add(piece)
    return phrases


class Screens:
    """The pages of one journey in one language: each kept, each checked."""

    def __init__(self, page: Page, language: str, who: str):
        self.page = page
        self.language = language
        self.words = catalogue(language)
        self.english = english_sentences(language)
        self.folder = ARTIFACTS / "languages" / language / who
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def t(self, text: str) -> str:
        return self.words.gettext(text)

    def check(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(
            path=self.folder / f"{self.count:02d}-{name}.png", full_page=True
        )
        html = self.page.locator("html")
        expect(html).to_have_attribute("lang", self.language)
        expect(html).to_have_attribute("dir", "rtl" if self.language == "ar" else "ltr")
        # Notifications are written once, in the language their reader had when
        # MOSIP answered (tests/registrations/test_pipeline_services.py): earlier
        # ones stay in that language.
        self.page.evaluate(
            "document.querySelectorAll('.notifications li')"
            ".forEach(n => { n.hidden = true; })"
        )
        shown = self.page.locator("body").inner_text()
        shown = " ".join(shown.split())
        left = sorted(s for s in self.english if s in shown)
        assert not left, f"English on {name} in {self.language}: {left}"


def choose_language(page: Page, screens: Screens) -> None:
    page.locator("#language-choice").select_option(screens.language)
    page.locator(".language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", screens.language)


def sign_in(page: Page, screens: Screens, username: str, password: str) -> None:
    page.goto("/sign-in/")
    choose_language(page, screens)
    screens.check("sign-in")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name=screens.t("Sign in")).click()
    expect(page.get_by_role("button", name=screens.t("Sign out"))).to_be_visible()


# A different family per language: the same birth twice would be a likely duplicate.
FAMILIES = {"fr": ("Nadia", "Salma Haddad"), "ar": ("Rania", "Layla Mansour")}
ANSWERS = {
    "#id_child__gender": ("value", "FLE"),
    "#id_child__addressLine1__eng": "12 Market Road",
    "#id_child__city__eng": "Port Town",
    "#id_child__zone__eng": "Ward 4",
    "#id_child__province__eng": "Lakeside",
    "#id_child__region__eng": "North",
    "#id_birth__place_type": ("value", "health_facility"),
    "#id_birth__place": "Port Town General Hospital",
    "#id_informant__relationship": ("value", "mother"),
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_registrar_registers_a_birth_in_the_language_they_chose(
    page, live_portal, language
):
    screens = Screens(page, language, "registrar")
    sign_in(page, screens, "registrar", live_portal.password)
    screens.check("work-queues")
    if language == "ar":
        # Mirrored: the portal's name is at the right, its menu to its left.
        brand = page.locator(".site-header .brand").bounding_box()
        menu = page.locator(".menu-wide").bounding_box()
        assert brand["x"] > menu["x"], (brand, menu)

    page.goto("/registrations/new/")
    page.locator("input[value=birth]").check()
    screens.check("new-event")
    page.get_by_role("button", name=screens.t("Start")).click()
    page.wait_for_load_state("load")
    child, mother = FAMILIES[language]
    answers = {
        **ANSWERS,
        "#id_child__fullName__eng": f"{child} {mother.split()[-1]}",
        "#id_mother__full_name": mother,
        "#id_informant__full_name": mother,
        "#id_child__dateOfBirth": (
            datetime.date.today() - datetime.timedelta(days=9)
        ).isoformat(),
    }
    for number in range(1, 20):
        expect(
            page.locator("fieldset.section > legend, #documents-title").first
        ).to_be_visible()
        if page.locator("#documents-title").count():
            screens.check(f"step-{number}-documents")
            page.locator("a[href$='/review/']").first.click()
            break
        for selector in [s for s in answers if page.locator(s).count()]:
            value = answers.pop(selector)
            if isinstance(value, tuple):
                page.locator(selector).select_option(value=value[1])
            else:
                page.locator(selector).fill(value)
        screens.check(f"step-{number}")
        page.get_by_role(
            "button", name=screens.t("Save and continue"), exact=True
        ).click()
    assert not answers, sorted(answers)
    screens.check("review")
    page.get_by_role("button", name=screens.t("Submit"), exact=True).click()
    expect(page.locator(".message.success")).to_be_visible()
    screens.check("registered")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_supervisor_reads_the_dashboard_in_the_language_they_chose(
    page, live_portal, some_records, language
):
    screens = Screens(page, language, "supervisor")
    sign_in(page, screens, "supervisor", live_portal.password)
    page.goto("/dashboards/")
    expect(page.locator("svg").first).to_be_visible()
    screens.check("dashboard")
    hrefs = [a.get_attribute("href") for a in page.locator("nav.subnav a").all()]
    for href in [h for h in hrefs if h][:6]:
        page.goto(href)
        screens.check("dashboard-" + href.strip("/").replace("/", "-"))
