"""The MOSIP operator's list for this portal: exact lines for the defaults, the
process items when marriages or divorces have a process, the command and the page,
and a stock sandbox made ready by applying it (docs/mosip/operator-changes.md)."""

import json
from io import StringIO

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse

from apps.mosip.errors import MosipForbidden, MosipRejected
from apps.onboarding import operator, readiness
from apps.onboarding.explain import explain
from apps.onboarding.models import ProcessName
from apps.onboarding_wizard import embedded
from apps.onboarding_wizard.checks import check_id_schema
from tests.onboarding.fixtures import onboard

pytestmark = pytest.mark.django_db

CLIENT = "mosip-crvs1-client"
# The stock v1.2.4.2 lines (mosip-config: kernel-default.properties:436,
# syncdata-default.properties:293, partner-management-default.properties:156,
# registration-processor-default.properties:516), each with the portal's addition.
KERNEL_LINE = (
    "auth.server.admin.allowed.audience=mosip-toolkit-android-client,"
    "mosip-toolkit-client,mosip-regproc-client,mosip-prereg-client,mosip-admin-client,"
    "mosip-crereq-client,mosip-creser-client,mosip-datsha-client,mosip-ida-client,"
    "mosip-resident-client,mosip-reg-client,mpartner-default-print,mosip-idrepo-client,"
    "mpartner-default-auth,mosip-syncdata-client,mosip-masterdata-client,"
    "mosip-idrepo-client,mosip-pms-client,mosip-hotlist-client,mobileid_newlogic,"
    "opencrvs-partner,mosip-deployment-client,mpartner-default-digitalcard,"
    "mpartner-default-mobile,mosip-signup-client,mosip-crvs1-client"
)
SYNCDATA_LINE = (
    "auth.server.admin.allowed.audience=mosip-regproc-client,mosip-prereg-client,"
    "mosip-admin-client,mosip-reg-client,mosip-resident-client,mosip-crvs1-client"
)
PMS_LINE = (
    "auth.server.admin.allowed.audience=mosip-creser-client,mosip-datsha-client,"
    "mosip-ida-client,mosip-regproc-client,mosip-admin-client,mosip-reg-client,"
    "mosip-pms-client,mosip-resident-client,mosip-idrepo-client,"
    "mosip-deployment-client,mosip-crvs1-client"
)
PARTNER_IDS_LINE = (
    "mosip.registration.processor.credential.default.partner-ids="
    "digitalcardPartner,opencrvsPartner,mosip-crvs1-client"
)
DEFAULT_LINES = {
    "kernel-default.properties": [KERNEL_LINE],
    "syncdata-default.properties": [SYNCDATA_LINE],
    "partner-management-default.properties": [PMS_LINE],
    "registration-processor-default.properties": [PARTNER_IDS_LINE],
}
PORTAL_PARTNER = {
    "id": CLIENT,
    "partnerId": CLIENT,
    "credentialType": "vercred",
    "template": "RPR_UIN_CARD_TEMPLATE",
    "appIdBasedCredentialIdSuffix": None,
    "process": ["CRVS_NEW"],
    "metaInfoFields": None,
}


def _lines(changes) -> dict[str, list[str]]:
    return {
        name: [c.line() for c in props] for name, props in changes.by_file().items()
    }


def _set_process(event_type: str, process: str) -> None:
    ProcessName.objects.update_or_create(
        event_type=event_type, defaults={"process": process, "source": "CRVS1"}
    )


# The list ------------------------------------------------------------------------


def test_the_default_list_is_the_three_audiences_and_the_credential_partner():
    changes = operator.operator_changes()

    assert _lines(changes) == DEFAULT_LINES
    (partners,) = changes.files
    assert partners.name == "registration-processor-credential-partners.json"
    listed = json.loads(partners.content())["partners"]
    assert [p["id"] for p in listed] == [
        "digitalcardPartner",
        "printPartner",
        "opencrvsPartner",
        CLIENT,
    ]
    assert listed[-1] == PORTAL_PARTNER
    kinds = [o.kind for o in changes.objects]
    assert kinds == [
        "PMS policy group",
        "PMS published policy",
        "CA certificate chain",
        "Keycloak partner user",
        "PMS published Auth policy",
        "Policy request approval",
        "Keycloak users of the authentication partner and the MISP",
    ]
    auth_policy = changes.objects[4]
    assert auth_policy.name.startswith("crvs-auth-policy in ")
    for needed in ("demo", "otp", "individual_id", "fullName", "dateOfBirth"):
        assert needed in auth_policy.operator
    assert "mosip-crvs1-client-auth" in auth_policy.wizard
    assert "OIDC client" in auth_policy.wizard
    assert "crvs-credential-policy" in changes.objects[1].name


def test_marriage_and_divorce_without_a_process_add_nothing():
    _set_process("birth", "CRVS_NEW")
    _set_process("marriage", "")
    _set_process("divorce", "  ")
    assert operator.portal_ids().processes == ()
    assert _lines(operator.operator_changes()) == DEFAULT_LINES


def test_a_marriage_process_adds_its_process_items():
    _set_process("marriage", "CRVS_MARRIAGE")
    changes = operator.operator_changes()
    lines = _lines(changes)

    application = lines["application-default.properties"]
    assert application == [
        "provider.packetwriter.crvs1=source:CRVS1,process:CRVS_NEW|CRVS_DEATH|"
        "CRVS_MARRIAGE,classname:io.mosip.commons.packet.impl.PacketWriterImpl",
        "provider.packetreader.crvs1=source:CRVS1,process:CRVS_NEW|CRVS_DEATH|"
        "CRVS_MARRIAGE,classname:io.mosip.commons.packet.impl.PacketReaderImpl",
        "packetmanager.default.priority=source:REGISTRATION_CLIENT/process:"
        "BIOMETRIC_CORRECTION|NEW|UPDATE|LOST,source:RESIDENT/process:ACTIVATED|"
        "DEACTIVATED|RES_UPDATE|RES_REPRINT,source:OPENCRVS/process:OPENCRVS_NEW,"
        "source:CRVS1/process:CRVS_NEW|CRVS_DEATH|CRVS_MARRIAGE",
        "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor."
        "crvs_marriage=IDSchemaVersion,UIN",
    ]
    regproc = lines["registration-processor-default.properties"]
    assert regproc[0] == PARTNER_IDS_LINE
    assert regproc[1] == (
        "registration.processor.additional-process.category-mapping="
        "{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE','CRVS_MARRIAGE':'UPDATE'}"
    )
    assert regproc[2].startswith("camel.secure.active.flows.file.names=")
    assert regproc[2].endswith(
        "registration-processor-camel-routes-crvs_death-default.xml,"
        "registration-processor-camel-routes-backward-compatibility-default.xml,"
        "registration-processor-camel-routes-crvs_marriage-default.xml"
    )
    routes = changes.files[1]
    assert (
        routes.name == "registration-processor-camel-routes-crvs_marriage-default.xml"
    )
    # Made from the deployment's own death routes.
    death = '<route id="x crvs_death"><from uri="eventbus://a-crvs_death-bus-out"/>'
    made = routes.content({operator.DEATH_ROUTES: death})
    assert (
        made
        == '<route id="x crvs_marriage"><from uri="eventbus://a-crvs_marriage-bus-out"/>'
    )
    assert routes.content() is None


def test_marriage_and_divorce_under_one_process_list_it_once():
    _set_process("marriage", "CRVS_UPDATE")
    _set_process("divorce", "CRVS_UPDATE")
    body = operator.operator_changes().patch_body()
    assert (
        body["registration-processor"][operator.CATEGORY_MAPPING].count("CRVS_UPDATE")
        == 1
    )
    assert body["application"][operator.PACKET_WRITER].count("CRVS_UPDATE") == 1


def test_another_client_id_also_needs_the_packet_and_regproc_audiences():
    ids = operator.PortalIds("country-crvs-client", "country-crvs-client")
    lines = _lines(operator.operator_changes(ids))
    assert lines["packet-manager-default.properties"] == [
        "auth.server.admin.allowed.audience=mosip-regproc-client,mosip-crvs1-client,"
        "country-crvs-client"
    ]
    assert lines["registration-processor-default.properties"][0].endswith(
        "mosip-crvs1-client,country-crvs-client"
    )


def test_a_deployment_that_changed_a_line_gets_the_addition_appended():
    effective = {
        "syncdata": {operator.AUDIENCE: "mosip-regproc-client,local-client"},
        "kernel": {operator.AUDIENCE: f"mosip-admin-client,{CLIENT}"},
    }
    body = operator.operator_changes().patch_body(effective)
    assert body["syncdata"][operator.AUDIENCE] == (
        f"mosip-regproc-client,local-client,{CLIENT}"
    )
    assert body["kernel"][operator.AUDIENCE] == f"mosip-admin-client,{CLIENT}"


# The command and the page --------------------------------------------------------


def test_the_command_prints_lines_to_paste_grouped_by_file_then_the_objects():
    out = StringIO()
    call_command("mosip_config_changes", stdout=out)
    text = out.getvalue()
    lines = text.splitlines()

    for file_name, expected in DEFAULT_LINES.items():
        at = lines.index(f"## {file_name}")
        assert [x for x in lines[at + 1 : at + 3] if not x.startswith("#")] == expected
    assert "## registration-processor-credential-partners.json" in lines
    assert lines.index("## kernel-default.properties") < lines.index(
        "## Objects in MOSIP (not properties)"
    )
    assert "append the addition to your line instead" in text
    assert "- PMS policy group:" in text and "- Keycloak partner user:" in text
    assert "application-default.properties" not in text


def test_the_command_prints_the_patch_body_as_json():
    out = StringIO()
    call_command("mosip_config_changes", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert set(body) == {
        "kernel",
        "syncdata",
        "partner-management",
        "registration-processor",
        "files",
    }
    assert f"{operator.AUDIENCE}={body['syncdata'][operator.AUDIENCE]}" == SYNCDATA_LINE
    assert body == operator.operator_changes().patch_body()


def test_the_page_shows_each_file_for_the_integration_admin(client, integration_admin):
    client.force_login(integration_admin)
    response = client.get(reverse("onboarding:mosip-changes"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<pre class="paste">{SYNCDATA_LINE}</pre>' in page
    assert f'<pre class="paste">{PARTNER_IDS_LINE}</pre>' in page
    assert "registration-processor-credential-partners.json" in page
    assert "Keycloak partner user" in page
    for landing in ("onboarding:wizard", "onboarding:readiness"):
        assert (
            reverse("onboarding:mosip-changes")
            in client.get(reverse(landing)).content.decode()
        )


@pytest.mark.parametrize("persona", ["registrar", "supervisor", "staff_user"])
def test_the_page_is_refused_to_other_roles(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("onboarding:mosip-changes")).status_code == 403


# Naming the missing change ---------------------------------------------------------


def _forbidden(path: str) -> MosipForbidden:
    return MosipForbidden(
        f"MOSIP refused access to {path}: the identity lacks the role or audience "
        "this API needs",
        code="KER-ATH-403",
        http_status=403,
    )


@pytest.mark.parametrize(
    ("path", "file_name"),
    [
        ("/v1/masterdata/registrationcenters/10001/eng", "kernel-default.properties"),
        ("/v1/keymanager/tpmsigning/publickey", "kernel-default.properties"),
        ("/v1/syncdata/latestidschema", "syncdata-default.properties"),
        ("/v1/partnermanager/partners", "partner-management-default.properties"),
    ],
)
def test_a_refusal_names_the_audience_line_of_the_service_called(path, file_name):
    said = explain(_forbidden(path))
    assert f"auth.server.admin.allowed.audience in {file_name}" in said
    assert CLIENT in said


def test_a_missing_policy_group_names_the_pms_object():
    said = explain(
        MosipRejected(
            "PMS_PRT_002: Policy group does not exist",
            errors=[{"errorCode": "PMS_PRT_002", "message": "not found"}],
        )
    )
    assert said.startswith("PMS_PRT_002: MOSIP has no policy group")
    assert "Partner Management" in said


# Against a stock sandbox -------------------------------------------------------------


def _effective(sandbox) -> dict:
    return requests.get(f"{sandbox.url}/sandbox/api/config", timeout=10).json()[
        "effective"
    ]


def test_a_stock_sandbox_refuses_onboarding_until_the_list_is_applied(
    mosip_sandbox,
):
    reports = onboard(mosip_sandbox.url, operator_changes=False, until="schema")
    # Centre and machine are created and read back as the MOSIP admin; the first
    # call the client makes on its own to a service that does not list it is the
    # ID schema.
    assert reports[-1].step == "schema" and not reports[-1].ok
    assert (
        "auth.server.admin.allowed.audience in syncdata-default.properties"
        in reports[-1].message
    )

    changed = embedded.apply_operator_changes(mosip_sandbox.url, objects=False)

    assert changed == [
        f"{file_name}: {line}"
        for file_name, lines in DEFAULT_LINES.items()
        for line in lines
    ] + [
        "registration-processor-credential-partners.json: the stock partners plus "
        "mosip-crvs1-client (credential type vercred, process CRVS_NEW)"
    ]
    effective = _effective(mosip_sandbox)
    assert f"{operator.AUDIENCE}={effective['syncdata'][operator.AUDIENCE]}" == (
        SYNCDATA_LINE
    )
    stored = json.loads(effective["files"][operator.CREDENTIAL_PARTNERS_FILE])
    assert stored["partners"][-1] == PORTAL_PARTNER
    assert embedded.apply_operator_changes(mosip_sandbox.url, objects=False) == []

    reports = onboard(mosip_sandbox.url, until="schema")
    assert all(r.ok for r in reports), reports
    outcomes = {o.key: o for o in readiness.run_checks()}
    for key in ("centre", "machine", "officer", "schema"):
        assert outcomes[f"onboarding.{key}"].ok, outcomes[f"onboarding.{key}"]


def test_a_schema_check_refused_for_audience_names_the_syncdata_line(mosip_sandbox):
    assert all(r.ok for r in onboard(mosip_sandbox.url, until="schema"))
    current = check_id_schema()
    assert current.ok
    # The sandbox's schema 0.2 holds a field no event form asks for.
    assert "No event form asks for residenceStatus" in current.reason
    # The operator takes the syncdata change back.
    requests.patch(
        f"{mosip_sandbox.url}/sandbox/api/config",
        json={"syncdata": {operator.AUDIENCE: None}},
        timeout=10,
    ).raise_for_status()

    result = check_id_schema()

    assert not result.ok
    assert result.reason.startswith("KER-ATH-403:")
    assert (
        "auth.server.admin.allowed.audience in syncdata-default.properties"
        in result.reason
    )
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("mosip_check", stdout=out)
    assert "syncdata-default.properties" in out.getvalue()


def test_births_processed_without_a_credential_name_the_credential_partner_changes(
    registrar,
):
    import datetime

    from django.utils import timezone

    from apps.onboarding.models import CredentialPartner
    from apps.onboarding_wizard.checks import check_credentials
    from apps.registrations.models import Packet, PacketStatus
    from tests.registrations.factories import load_id_schema, make_event

    nobody = check_credentials()
    assert not nobody.ok and "No credential partner yet" in nobody.reason
    CredentialPartner.objects.create(partner_id="mosip-crvs1-client", certificate="-")
    assert check_credentials().ok
    load_id_schema()
    packet = Packet.objects.create(
        event=make_event(registrar),
        subject="child",
        process="CRVS_NEW",
        application_id="1" * 29,
        centre_id="10001",
        machine_id="10002",
        status=PacketStatus.PROCESSED,
        processed_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    assert check_credentials().ok  # still within the hour

    Packet.objects.filter(pk=packet.pk).update(
        processed_at=timezone.now() - datetime.timedelta(hours=2)
    )
    result = check_credentials()

    assert not result.ok
    assert "registration-processor-credential-partners.json" in result.reason
    assert (
        "mosip.registration.processor.credential.default.partner-ids in "
        "registration-processor-default.properties" in result.reason
    )
    Packet.objects.filter(pk=packet.pk).update(uin="2345678912")
    assert check_credentials().ok
