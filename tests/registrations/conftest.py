import pytest

from tests.registrations.factories import load_id_schema
from tests.registrations.pipeline_support import portal  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded evidence goes to a throwaway folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def id_schema(db):
    """The CRVS-enabled MOSIP ID schema (mosip-data v1.3.0), as if fetched from MOSIP."""
    return load_id_schema()
