"""The PDF fetcher serves only the portal's own static and media files."""

import pytest

from apps.certificates import rendering


def test_it_serves_a_static_file():
    response = rendering.url_fetcher().fetch(
        rendering.BASE_URL + "static/" + rendering.DEFAULT_SEAL
    )
    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.read()


def test_it_serves_a_media_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "certificates").mkdir()
    (tmp_path / "certificates" / "seal.png").write_bytes(b"\x89PNG\r\n\x1a\nseal")
    response = rendering.url_fetcher().fetch(
        rendering.BASE_URL + "media/certificates/seal.png"
    )
    assert response.read().endswith(b"seal")


def test_it_serves_data_urls():
    assert rendering.url_fetcher().fetch("data:text/plain,hi").read() == b"hi"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/static/certificates/seal.svg",
        "file:///etc/passwd",
        "ftp://example.org/x",
        rendering.BASE_URL + "media/../../../../etc/passwd",
        rendering.BASE_URL + "media/%2e%2e/%2e%2e/etc/passwd",
        rendering.BASE_URL + "static/../settings.py",
        rendering.BASE_URL + "admin/",
        rendering.BASE_URL + "static/no/such/file.css",
    ],
)
def test_it_refuses_everything_else(url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(ValueError):
        rendering.url_fetcher().fetch(url)


def test_a_remote_image_in_the_document_is_left_out_not_fetched(monkeypatch):
    fetched = []
    real = rendering._local_path

    def spy(url):
        fetched.append(url)
        return real(url)

    monkeypatch.setattr(rendering, "_local_path", spy)
    weasyprint, fetcher = rendering._weasyprint()
    pdf = weasyprint.HTML(
        string='<p>x</p><img src="https://example.org/tracker.png">',
        base_url=rendering.BASE_URL,
        url_fetcher=rendering.url_fetcher(),
    ).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert fetched == ["https://example.org/tracker.png"]
