import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Printed certificates go to a throwaway folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
