import pytest
import responses

from apps.mosip import config as mosip_config
from apps.mosip.config import MosipClient, MosipConfig
from tests.mosip.helpers import API, SECRET


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    mosip_config.tokens.clear()
    yield
    mosip_config.tokens.clear()


@pytest.fixture
def mocked():
    """Every HTTP call must be one the test registered."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def config():
    return MosipConfig(
        api_url=API,
        client_id="crvs-client",
        client_secret=SECRET,
        app_id="regproc",
        timeout=(2.0, 7.0),
    )


@pytest.fixture
def client(config):
    return MosipClient(config)
