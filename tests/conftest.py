import pytest
from django.core.cache import cache
from django.test import Client

from apps.accounts.models import Role
from apps.onboarding.id_schema import forget_newest_schema
from apps.onboarding.queries import forget_sending_settings
from tests.factories import make_office, make_user
from tests.sandbox_process import SandboxProcess


@pytest.fixture(autouse=True)
def _clear_cache():
    # Sign-in throttling counts in the cache; each test starts with none.
    cache.clear()
    forget_sending_settings()
    forget_newest_schema()
    yield
    cache.clear()
    forget_sending_settings()
    forget_newest_schema()


@pytest.fixture
def office_a(db):
    return make_office(code="office-a", name="Office A")


@pytest.fixture
def office_b(db):
    return make_office(code="office-b", name="Office B")


@pytest.fixture
def registrar(office_a):
    return make_user(Role.REGISTRAR, username="alice", office=office_a)


@pytest.fixture
def supervisor(office_a):
    return make_user(Role.SUPERVISOR, username="sam", supervised_offices=[office_a])


@pytest.fixture
def national_supervisor(db):
    return make_user(Role.SUPERVISOR, username="nora", is_national_supervisor=True)


@pytest.fixture
def integration_admin(db):
    return make_user(Role.INTEGRATION_ADMIN, username="ian")


@pytest.fixture
def staff_user(db):
    return make_user("", username="bo", is_superuser=True)


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture(scope="session")
def mosip_sandbox_process(tmp_path_factory):
    """One sandbox process for the whole test session."""
    process = SandboxProcess(tmp_path_factory.mktemp("mosip-sandbox")).start()
    yield process
    process.stop()


@pytest.fixture
def mosip_sandbox(mosip_sandbox_process):
    """The running sandbox, reset to its fresh state before the test."""
    mosip_sandbox_process.reset()
    return mosip_sandbox_process


# Onboarding against the sandbox, for every part's tests.
# Outbound connections are refused except to what the suite started (see the module).
from tests.network_guard import network_guard, no_refused_connections  # noqa: E402,F401
from tests.onboarding.fixtures import onboarded_sandbox  # noqa: E402,F401
