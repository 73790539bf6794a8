"""What registrations reads from onboarding, with the settings as fallback."""

import pytest

from apps.onboarding import queries, services
from apps.onboarding.models import Centre, Machine, Officer
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


def test_an_office_of_its_own_is_sent_under_its_own_mapping(onboarded_sandbox):
    from tests.onboarding.fixtures import sandbox_admins

    own, other = make_office(), make_office()
    _, admin = sandbox_admins()
    new_machine = services.machine_rotate_key(actor=None, admin=admin)
    old_machine = Machine.objects.exclude(pk=new_machine.pk).get()
    # Give `own` the new machine only: put the default back on the old one first.
    from apps.onboarding.models import OfficeMapping

    OfficeMapping.objects.filter(office=None).update(machine=old_machine)
    services.office_mapping_set(actor=None, office=own)

    assert config.mosip_ids_for_office(own).machine_id == new_machine.mosip_id
    assert config.mosip_ids_for_office(other).machine_id == old_machine.mosip_id


def test_the_aid_preview_uses_the_mapped_centre_and_machine(onboarded_sandbox):
    preview = queries.aid_preview()
    centre, machine = Centre.objects.get(), Machine.objects.get()
    assert preview.startswith(f"{centre.mosip_id}{machine.mosip_id}00001")
    assert len(preview) == 29
