"""Read the QR code back out of a certificate PDF, as a scanner would see it."""

import io

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def qr_text_in_pdf(pdf: bytes) -> str:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    for embedded in page.images:
        image = embedded.image.convert("L")
        if image.width != image.height:
            continue  # the seal, not the code
        # One pixel per module in the file; print size is what a scanner sees.
        printed = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
        found = zxingcpp.read_barcodes(printed, formats=zxingcpp.BarcodeFormat.QRCode)
        if found:
            return found[0].text
    raise AssertionError("no QR code found in the PDF")
