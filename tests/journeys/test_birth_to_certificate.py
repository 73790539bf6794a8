"""A birth from the registrar's desk to a certificate anyone can check: registered,
followed live while MOSIP processes it, its national ID arriving on the page, the
certificate printed, and its QR code found valid on the public verify page."""

import io
import re

import pytest
from PIL import Image, ImageOps
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.journeys.steps import register_birth, sign_in

pytestmark = pytest.mark.browser

CHILD = "Zainab Okafor"
CHILD_ARA = "زينب أوكافور"
# How long MOSIP (the sandbox, its clock sped up) takes at most to issue the ID.
MOSIP_TIMEOUT = 45_000

# Records each status the timeline shows, in order, for as long as the page lives:
# a reload would lose the record (and the marker), so it proves the page stayed.
WATCH_STATUS = """() => {
  window.journeyStatuses = [];
  const record = () => {
    const status = document.querySelector("#timeline-title .status");
    const text = status && status.textContent.trim();
    const seen = window.journeyStatuses;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  };
  record();
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true});
}"""


def _photo_of_qr(pdf: bytes) -> bytes:
    """What a phone camera gives of the certificate's QR code: the code at print
    size, on the paper around it (the PDF holds it at one pixel per module)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    codes = [i.image for i in page.images if i.image.width == i.image.height]
    assert len(codes) == 1, f"one square image (the QR code) expected: {codes}"
    code = codes[0].convert("L")
    printed = code.resize((code.width * 8, code.height * 8), Image.NEAREST)
    photo = ImageOps.expand(printed, border=120, fill=255)
    out = io.BytesIO()
    photo.save(out, format="PNG")
    return out.getvalue()


def test_a_birth_goes_from_registration_to_a_verified_certificate(
    page: Page, live_portal, open_tab
):
    sign_in(page, "registrar", live_portal.password)
    number = register_birth(page, child=CHILD, child_ara=CHILD_ARA)

    # The registrar stays on the event's page; it follows MOSIP by itself.
    status = page.locator("#timeline-title .status")
    page.evaluate(WATCH_STATUS)
    first = status.inner_text()
    assert first in ("Submitted", "Packet created", "Processing in MOSIP"), first
    expect(status).to_have_text("National ID issued", timeout=MOSIP_TIMEOUT)
    seen = page.evaluate("window.journeyStatuses")
    assert seen[0] == first and seen[-1] == "National ID issued", seen
    assert len(seen) >= 2, seen
    history = page.locator(".history li span:nth-child(2)")
    expect(history).to_contain_text(["Submitted", "National ID issued"])

    # The child's national ID arrives a moment later, still on the same page.
    packet = page.locator("table.packets tbody tr")
    uin = packet.locator("td").nth(4).locator("code").first
    expect(uin).to_have_text(re.compile(r"^\d{10}$"), timeout=MOSIP_TIMEOUT)
    national_id = uin.inner_text()
    certificate = page.locator("#certificate")
    expect(certificate).to_contain_text(
        "The certificate can be issued.", timeout=MOSIP_TIMEOUT
    )
    assert page.evaluate("window.journeyStatuses") is not None, "the page reloaded"

    # Printing it: issued, then downloaded as the PDF that goes to the printer.
    certificate.get_by_role("button", name="Issue certificate").click()
    ready = page.get_by_role("status").filter(has_text="is ready to print")
    expect(ready).to_be_visible()
    certificate_number = re.search(r"(\S+) is ready to print", ready.inner_text())[1]
    with page.expect_download() as download:
        certificate.get_by_role("link", name=re.compile("^Download")).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert CHILD in text, text
    assert number in text, text
    expect(status).to_have_text("Certified")

    # Anyone holding the certificate checks it: a photo of its QR code, sent from
    # the public verify page, without signing in.
    public = open_tab(live_portal)
    public.goto("/verify/")
    expect(public.get_by_role("button", name="Sign out")).to_have_count(0)
    public.get_by_label("Or a photo of the QR code").set_input_files(
        {"name": "certificate.png", "mimeType": "image/png",
         "buffer": _photo_of_qr(pdf)}
    )  # fmt: skip
    public.get_by_role("button", name="Verify").click()
    result = public.locator(".verify-result")
    expect(result.get_by_role("heading", level=2)).to_have_text(
        "Valid: signed by the civil registry."
    )
    expect(result).to_have_class(re.compile(r"\bvalid\b"))

    signed_fields = result.locator("table").first

    def signed(label: str):
        header = public.get_by_role("rowheader", name=label, exact=True)
        return signed_fields.locator("tr").filter(has=header).locator("td")

    expect(signed("ID")).to_have_text(national_id)
    expect(signed("Full name")).to_have_text(CHILD)
    expect(signed("Registration number")).to_have_text(number)
    expect(signed("Certificate number")).to_have_text(certificate_number)
