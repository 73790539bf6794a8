"""Steps several journeys share, done the way a user does them."""

import datetime
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.registrations.factories import PDF_BYTES

REGISTRATION_NUMBER = re.compile(r"JOURNEY-\d{4}-\d{6}")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def complete_steps(
    page: Page,
    answers: dict[str, str],
    *,
    documents: tuple[tuple[str, str], ...] = (),
    shots: Path | None = None,
) -> None:
    """From the first step of an event's form to its review: on each step, answer
    the questions of `answers` (input selector → text, or an option's label for a
    list) found there and continue; attach `documents` ((kind label, file name))
    on the documents step. Each step's screen is kept in `shots` when given."""
    left = dict(answers)
    for number in range(1, 20):
        # The next step's page, or the documents step (a step with an error stays,
        # and this waits in vain, showing the step that did not hold).
        legend = page.locator("fieldset.section > legend")
        here = page.locator(
            f"fieldset.section > legend:has-text('Step {number} of'), #documents-title"
        )
        expect(here.first).to_be_visible()
        if page.locator("#documents-title").count():
            _attach(page, documents)
            _shot(page, shots, number, "documents")
            page.get_by_role("link", name="Continue to review").click()
            break
        for selector in [s for s in left if page.locator(s).count()]:
            field = page.locator(selector)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=left.pop(selector))
            else:
                field.fill(left.pop(selector))
        _shot(page, shots, number, legend.inner_text().split("\n")[-1])
        page.get_by_role("button", name="Save and continue", exact=True).click()
    assert not left, f"questions not found on any step: {sorted(left)}"
    expect(page.get_by_role("heading", name=re.compile("^Review the"))).to_be_visible()
    _shot(page, shots, number + 1, "review")


def _attach(page: Page, documents) -> None:
    for kind, name in documents:
        page.locator("#id_kind").select_option(label=kind)
        page.locator("#id_file").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
        page.get_by_role("button", name="Attach").click()
        expect(page.get_by_text("Document attached.")).to_be_visible()


def _shot(page: Page, shots: Path | None, number: int, title: str) -> None:
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        page.screenshot(path=shots / f"{number:02d}-{slug}.png", full_page=True)


def start_event(page: Page, kind: str) -> None:
    """From any page: start a new draft of `kind` ("Birth", "Death" …)."""
    page.goto("/registrations/")
    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label(kind).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name=f"{kind}: new draft")).to_be_visible()


def submit_reviewed(page: Page) -> str:
    """On the review: submit; the registration number given."""
    page.get_by_role("button", name="Submit", exact=True).click()
    message = page.get_by_text(
        re.compile(rf"Registered as {REGISTRATION_NUMBER.pattern}\.")
    )
    expect(message).to_be_visible()
    return REGISTRATION_NUMBER.search(message.inner_text()).group(0)


# The default child's name in Arabic; another child has none unless given, since a
# second child of the same day and office under the same Arabic name is shown as a
# likely duplicate of the first (docs/duplicates.md).
AMINA = ("Amina Bello", "أمينة بيلو")


def birth_answers(child: str = AMINA[0], child_ara: str | None = None) -> dict:
    born = datetime.date.today() - datetime.timedelta(days=20)
    if child_ara is None:
        child_ara = AMINA[1] if child == AMINA[0] else ""
    return {
        "#id_child__fullName__eng": child,
        **({"#id_child__fullName__ara": child_ara} if child_ara else {}),
        "#id_child__gender": "Female",
        "#id_child__dateOfBirth": born.isoformat(),
        "#id_child__addressLine1__eng": "12 Market Road",
        "#id_child__city__eng": "Port Town",
        "#id_child__zone__eng": "Ward 4",
        "#id_child__province__eng": "Lakeside",
        "#id_child__region__eng": "North",
        "#id_birth__place_type": "Health facility",
        "#id_birth__place": "Port Town General Hospital",
        "#id_mother__full_name": "Hauwa Bello",
        "#id_informant__relationship": "Mother",
        "#id_informant__full_name": "Hauwa Bello",
    }


def register_birth(
    page: Page, child: str = AMINA[0], child_ara: str | None = None
) -> str:
    """From the registrar's list: record a birth with its medical notification
    through the form's steps, review it and submit it; ends on the event's page.
    The registration number."""
    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label("Birth").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Birth: new draft")).to_be_visible()
    # Saved as typed, in the background (htmx sends the CSRF token in a header),
    # 800 ms after the last keystroke, then as fast as the portal answers.
    page.locator("#id_child__fullName__eng").fill(child)
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15_000)
    complete_steps(
        page,
        birth_answers(child, child_ara),
        documents=(("Medical birth notification", "notification.pdf"),),
    )
    expect(page.get_by_text("CRVS_NEW")).to_be_visible()
    expect(page.get_by_text(child)).to_be_visible()
    expect(page.get_by_text("Medical birth notification")).to_be_visible()
    number = submit_reviewed(page)
    expect(page.get_by_role("heading", name=f"Birth {number}")).to_be_visible()
    return number
