"""What registrations reads from onboarding, with the settings as fallback."""

import pytest

from apps.onboarding import queries, services
from apps.onboarding.models import Centre, Machine, Officer
from apps.onboarding_wizard import progress
from apps.registrations import config
from tests.factories import make_office

pytestmark = pytest.mark.django_db


def test_without_onboarding_the_settings_defaults_apply(settings):
    settings.MOSIP_DEFAULT_CENTRE_ID = "10031"
    settings.MOSIP_DEFAULT_MACHINE_ID = "10032"
    settings.MOSIP_DEFAULT_OFFICER_ID = "settings.officer"
    office = make_office()
    assert config.mosip_ids_for_office(office) == config.MosipIds("10031", "10032")
    assert config.mosip_officer_id(office) == "settings.officer"
    assert config.mosip_process_for("death") == "CRVS_DEATH"
    assert config.packet_source() == "CRVS1"
    with pytest.raises(queries.NotOnboarded):
        queries.mosip_config()


def test_onboarded_ids_processes_and_partner_are_what_packets_carry(onboarded_sandbox):
    office = make_office()
    centre, machine = Centre.objects.get(), Machine.objects.get()
    ids = config.mosip_ids_for_office(office)
    assert ids == config.MosipIds(centre.mosip_id, machine.mosip_id)
    assert config.mosip_officer_id(office) == Officer.objects.get().user_id
    services.process_names_save(
        actor=None,
        processes={**services.DEFAULT_PROCESSES, "marriage": "CRVS_MARRIAGE"},
        source="CRVS2",
    )
    assert config.mosip_process_for("marriage") == "CRVS_MARRIAGE"
    assert config.packet_source() == "CRVS2"
    partner = queries.credential_partner()
    assert partner.partner_id == "mosip-crvs1-client"
    assert partner.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    mosip = queries.mosip_config()
    assert mosip.client_id == "mosip-crvs1-client" and mosip.client_secret


def test_the_aid_preview_uses_the_mapped_centre_and_machine(onboarded_sandbox):
    preview = progress.aid_preview()
    centre, machine = Centre.objects.get(), Machine.objects.get()
    assert preview.startswith(f"{centre.mosip_id}{machine.mosip_id}00001")
    assert len(preview) == 29


def test_an_office_gets_its_own_centre_and_officer_and_the_one_machine(
    onboarded_sandbox,
):
    from apps.onboarding import readiness
    from tests.onboarding.fixtures import sandbox_admins

    keycloak_admin, admin = sandbox_admins()
    first_centre, machine = Centre.objects.get(), Machine.objects.get()
    own, other = make_office(), make_office()

    centre = services.centre_setup(
        actor=None, admin=admin, details=services.CentreDetails(name="North office"),
        another=True,
    )  # fmt: skip
    # The machine step again registers nothing: one machine serves every office.
    assert services.machine_setup(actor=None, admin=admin) == machine
    services.officer_setup(
        actor=None, keycloak_admin=keycloak_admin, user_id="crvs.officer.north"
    )
    officer = services.officer_map(actor=None, admin=admin)
    services.office_mapping_set(actor=None, office=own, centre=centre, officer=officer)

    assert centre != first_centre and Machine.objects.count() == 1
    assert config.mosip_ids_for_office(own) == config.MosipIds(
        centre.mosip_id, machine.mosip_id
    )
    assert config.mosip_officer_id(own) == "crvs.officer.north"
    assert config.mosip_ids_for_office(other) == config.MosipIds(
        first_centre.mosip_id, machine.mosip_id
    )
    assert config.mosip_officer_id(other) == "crvs.officer"
    assert [o.key for o in readiness.run_checks() if not o.ok] == []


def test_an_officer_of_another_centre_cannot_serve_an_office(onboarded_sandbox):
    from tests.onboarding.fixtures import sandbox_admins

    _, admin = sandbox_admins()
    centre = services.centre_setup(
        actor=None, admin=admin, details=services.CentreDetails(name="South"),
        another=True,
    )  # fmt: skip
    with pytest.raises(services.OnboardingError) as failed:
        services.office_mapping_set(
            actor=None, office=make_office(), centre=centre,
            officer=Officer.objects.get(user_id="crvs.officer"),
        )  # fmt: skip
    assert "one centre" in failed.value.message
