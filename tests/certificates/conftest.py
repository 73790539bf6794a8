import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Printed certificates go to a throwaway folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _verify_budget(settings):
    # Fuzz tests post hundreds of checks within a minute; the limit has its own test.
    settings.CERTIFICATES_VERIFY_CHECKS_PER_MINUTE = 100_000
