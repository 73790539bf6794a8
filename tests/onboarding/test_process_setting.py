"""The MOSIP process for marriages and divorces is a setting, blank by default:
stock MOSIP has no such process (docs/mosip/processes-and-schema.md)."""

import pytest

from apps.onboarding import services
from apps.onboarding.forms import ProcessesForm
from apps.onboarding.models import ProcessName
from apps.onboarding.services.common import OnboardingError
from apps.onboarding_wizard import checks
from apps.registrations import config

pytestmark = pytest.mark.django_db


def test_marriage_and_divorce_have_no_process_by_default():
    assert services.DEFAULT_PROCESSES == {
        "birth": "CRVS_NEW",
        "death": "CRVS_DEATH",
        "marriage": "",
        "divorce": "",
    }
    assert config.mosip_process_for("marriage") == ""
    assert config.mosip_process_for("divorce") == ""


def test_the_defaults_are_saved_and_marriages_stay_without_a_process():
    services.process_names_save(actor=None, processes=dict(services.DEFAULT_PROCESSES))
    assert ProcessName.objects.get(event_type="marriage").process == ""
    assert config.mosip_process_for("marriage") == ""
    assert config.mosip_process_for("birth") == "CRVS_NEW"
    result = checks.check_processes()
    assert result.ok
    assert "marriage, divorce" in result.reason
    assert "without MOSIP" in result.reason


def test_a_process_the_operator_added_is_used():
    services.process_names_save(
        actor=None,
        processes={**services.DEFAULT_PROCESSES, "marriage": "CRVS_MARRIAGE"},
    )
    assert config.mosip_process_for("marriage") == "CRVS_MARRIAGE"
    assert config.mosip_process_for("divorce") == ""


def test_births_and_deaths_still_need_a_process():
    with pytest.raises(OnboardingError):
        services.process_names_save(
            actor=None, processes={**services.DEFAULT_PROCESSES, "birth": ""}
        )


def test_the_form_takes_a_blank_marriage_process_and_explains_it():
    form = ProcessesForm(
        data={
            "source": "CRVS1",
            "process_birth": "CRVS_NEW",
            "process_death": "CRVS_DEATH",
            "process_marriage": "",
            "process_divorce": "",
        }
    )
    assert form.is_valid(), form.errors
    assert form.processes()["marriage"] == ""
    assert (
        "stock MOSIP has no such process" in form.fields["process_marriage"].help_text
    )
    blank_birth = ProcessesForm(
        data={"source": "CRVS1", "process_birth": "", "process_death": "CRVS_DEATH"}
    )
    assert not blank_birth.is_valid()
    assert "process_birth" in blank_birth.errors
