"""What the MOSIP operator must add or change for this portal, computed for its own
client id, partner id, policy settings and processes (docs/mosip/operator-changes.md).

Each property change is the stock mosip-config v1.2.4.2 value with the portal's
addition, so the line can be pasted over the stock one; a deployment that already
changed the line appends the addition instead (`value(current)` does that when given
the deployment's value). Files the config server serves (the credential-partners
JSON, camel routes) are changes too; PMS and Keycloak objects are listed with who
makes them. `patch_body()` is the same list in the shape `PATCH /sandbox/api/config`
takes: `{service: {property: value}, "files": {file name: content}}`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from apps.onboarding.models import (
    DEFAULT_AUTH_POLICY_NAME,
    DEFAULT_CLIENT_ID,
    Connection,
    CredentialPartner,
    IdaPartner,
    ProcessName,
)
from apps.onboarding.operator import edits
from apps.onboarding.operator.objects import ObjectChange, objects_for
from apps.onboarding.operator.stock import (
    AUDIENCE,
    CAMEL_FLOWS,
    CATEGORY_MAPPING,
    CREDENTIAL_PARTNERS_FILE,
    CREDENTIAL_TYPE,
    DEATH_ROUTES,
    DEFAULT_PARTNER_IDS,
    DEFAULT_POLICY,
    FILES,
    MANDATORY_ATTRIBUTES,
    PACKET_PRIORITY,
    PACKET_READER,
    PACKET_WRITER,
    SERVICE_ORDER,
    STOCK,
    STOCK_CREDENTIAL_PARTNERS,
    STOCK_RELEASE,
    auth_partner_ids,
    properties_file,
    routes_file,
)


@dataclass(frozen=True)
class PortalIds:
    """What the list is computed for. `policy_group` is empty until it is set (MOSIP
    has no default group for a CRVS partner); `processes` are the marriage and
    divorce processes the portal is set to send (none when they are empty)."""

    client_id: str
    partner_id: str
    policy_group: str = ""
    policy_name: str = DEFAULT_POLICY
    processes: tuple[str, ...] = ()
    auth_policy_name: str = DEFAULT_AUTH_POLICY_NAME
    auth_partner_id: str = ""

    @property
    def authentication_partner(self) -> str:
        return self.auth_partner_id or auth_partner_ids(self.client_id)[0]


def portal_ids() -> PortalIds:
    """This portal's ids and settings, from the onboarding records (defaults when a
    step has not been done yet)."""
    connection = Connection.objects.first()
    client_id = connection.client_id if connection else DEFAULT_CLIENT_ID
    partner = CredentialPartner.objects.order_by("-id").first()
    processes: list[str] = []
    for event_type in ("marriage", "divorce"):
        row = ProcessName.objects.filter(event_type=event_type).first()
        name = (row.process if row else "").strip()
        if name and name not in processes:
            processes.append(name)
    auth_partner = IdaPartner.objects.order_by("-id").first()
    return PortalIds(
        client_id=client_id,
        partner_id=partner.partner_id if partner else client_id,
        policy_group=(getattr(partner, "policy_group", "") or "").strip(),
        policy_name=(getattr(partner, "policy_name", "") or "").strip()
        or DEFAULT_POLICY,
        processes=tuple(processes),
        auth_policy_name=(getattr(auth_partner, "policy_name", "") or "").strip()
        or DEFAULT_AUTH_POLICY_NAME,
        auth_partner_id=getattr(auth_partner, "partner_id", ""),
    )


# --- the list -----------------------------------------------------------------------


@dataclass(frozen=True)
class PropertyChange:
    service: str
    name: str
    addition: str  # what the portal adds, in words
    why: str
    change: Callable[[str | None], str]

    @property
    def file(self) -> str:
        return properties_file(self.service)

    @property
    def stock(self) -> str | None:
        return STOCK.get(self.service, {}).get(self.name)

    def value(self, current: str | None = None, *, known: bool = False) -> str:
        """The new value: stock with the addition, or `current` (the deployment's
        value, when `known`) with the addition."""
        return self.change(current if known else self.stock)

    def line(self, current: str | None = None, *, known: bool = False) -> str:
        return f"{self.name}={self.value(current, known=known)}"


@dataclass(frozen=True)
class FileChange:
    name: str
    addition: str
    why: str
    # From the files the deployment serves now (by name; empty: only stock known)
    # to the new content; None when the file it is made from is not at hand.
    make: Callable[[dict[str, str]], str | None]

    def content(self, files: dict[str, str] | None = None) -> str | None:
        return self.make(files or {})


def _partner_entry(ids: PortalIds) -> dict:
    return {
        "id": ids.partner_id,
        "partnerId": ids.partner_id,
        "credentialType": CREDENTIAL_TYPE,
        "template": "RPR_UIN_CARD_TEMPLATE",
        "appIdBasedCredentialIdSuffix": None,
        "process": ["CRVS_NEW"],
        "metaInfoFields": None,
    }


def _credential_partners(ids: PortalIds) -> Callable[[dict[str, str]], str]:
    def make(files: dict[str, str]) -> str:
        current = files.get(CREDENTIAL_PARTNERS_FILE)
        document = {"partners": list(STOCK_CREDENTIAL_PARTNERS)}
        if current:
            try:
                document = json.loads(current)
            except ValueError:
                document = {"partners": list(STOCK_CREDENTIAL_PARTNERS)}
        partners = document.setdefault("partners", [])
        if not any(p.get("id") == ids.partner_id for p in partners):
            partners.append(_partner_entry(ids))
        elif current:
            return current
        return json.dumps(document, indent=2) + "\n"

    return make


def _routes(process: str) -> Callable[[dict[str, str]], str | None]:
    def make(files: dict[str, str]) -> str | None:
        if routes_file(process) in files:
            return files[routes_file(process)]
        death = files.get(DEATH_ROUTES)
        return death.replace("crvs_death", process.lower()) if death else None

    return make


def _audiences(ids: PortalIds) -> list[PropertyChange]:
    why = {
        "kernel": "Masterdata and keymanager (centre, machine, officer, keys) refuse "
        "a token whose client is not in this list, with KER-ATH-403.",
        "syncdata": "The ID schema (/v1/syncdata/latestidschema) is refused to a "
        "client not in this list, with KER-ATH-403.",
        "partner-management": "Partner registration, certificates and policies "
        "(PMS) are refused to a client not in this list, with KER-ATH-403.",
        "packet-manager": "createPacket is refused to a client not in this list, "
        "with KER-ATH-403.",
        "registration-processor": "workflowinstance and the status search are "
        "refused to a client not in this list, with KER-ATH-403.",
    }
    changes = []
    for service in ("kernel", "syncdata", "partner-management"):
        changes.append(
            PropertyChange(
                service, AUDIENCE, f"adds {ids.client_id}", why[service],
                edits.append(ids.client_id),
            )
        )  # fmt: skip
    # Stock already lists mosip-crvs1-client here; another client id needs adding.
    for service in ("packet-manager", "registration-processor"):
        if ids.client_id not in edits.listed(STOCK[service][AUDIENCE]):
            changes.append(
                PropertyChange(
                    service, AUDIENCE, f"adds {ids.client_id}", why[service],
                    edits.append(ids.client_id),
                )
            )  # fmt: skip
    return changes


def _process_changes(process: str) -> tuple[list[PropertyChange], list[FileChange]]:
    lower = process.lower()
    properties = [
        PropertyChange(
            "application", PACKET_WRITER, f"adds {process}",
            f"createPacket refuses a {process} packet from source CRVS1 (KER-PUT-006) "
            "until the CRVS1 packet writer lists the process.",
            edits.add_process(process),
        ),
        PropertyChange(
            "application", PACKET_READER, f"adds {process}",
            f"reg-proc reads a {process} packet through the CRVS1 packet reader.",
            edits.add_process(process),
        ),
        PropertyChange(
            "application", PACKET_PRIORITY, f"adds {process} to the CRVS1 entry",
            f"Packet manager finds a {process} packet's source by this priority list.",
            edits.add_priority(process),
        ),
        PropertyChange(
            "application", f"{MANDATORY_ATTRIBUTES}.{lower}", "new property",
            f"reg-proc validates a {process} packet's identity against this list "
            "(like crvs_death: only the schema version and the UIN).",
            edits.set_to("IDSchemaVersion,UIN"),
        ),
        PropertyChange(
            "registration-processor", CATEGORY_MAPPING, f"adds '{process}':'UPDATE'",
            "reg-proc maps each additional process to NEW or UPDATE; "
            f"{process} updates existing identities.",
            edits.add_mapping(process, "UPDATE"),
        ),
        PropertyChange(
            "registration-processor", CAMEL_FLOWS, f"adds {routes_file(process)}",
            f"reg-proc runs a {process} packet through the stages of the route files "
            "listed here.",
            edits.append(routes_file(process)),
        ),
    ]  # fmt: skip
    files = [
        FileChange(
            routes_file(process),
            f"a copy of {DEATH_ROUTES} with crvs_death replaced by {lower}",
            f"The camel routes that take a {process} packet from stage to stage "
            "(the death routes: no credential is issued).",
            _routes(process),
        )
    ]
    return properties, files


@dataclass(frozen=True)
class OperatorChanges:
    ids: PortalIds
    properties: list[PropertyChange]
    files: list[FileChange]
    objects: list[ObjectChange]

    def by_file(self) -> dict[str, list[PropertyChange]]:
        """Property changes grouped by mosip-config file, in the operator's order."""
        grouped: dict[str, list[PropertyChange]] = {}
        for service in SERVICE_ORDER:
            for change in self.properties:
                if change.service == service:
                    grouped.setdefault(change.file, []).append(change)
        return grouped

    def patch_body(self, effective: dict | None = None) -> dict[str, dict[str, str]]:
        """`{service: {property: value}, "files": {name: content}}`, from stock, or
        from the deployment's `effective` configuration (the shape
        `GET /sandbox/api/config` answers) when given: its line with the
        addition, or stock with the addition for a line it does not show. A file
        whose source is not at hand (a route file without the death routes) is
        left out."""
        body: dict[str, dict[str, str]] = {}
        for change in self.properties:
            current = ((effective or {}).get(change.service) or {}).get(change.name)
            # A line the deployment does not show is taken to be stock (the
            # sandbox shows only the properties it acts on).
            new = change.value(current, known=current is not None)
            body.setdefault(change.service, {})[change.name] = new
        files = (effective or {}).get(FILES) or {}
        for change in self.files:
            content = change.content(files)
            if content is not None:
                body.setdefault(FILES, {})[change.name] = content
        return body

    def missing_files(self, effective: dict | None = None) -> list[FileChange]:
        files = (effective or {}).get(FILES) or {}
        return [c for c in self.files if c.content(files) is None]


def operator_changes(ids: PortalIds | None = None) -> OperatorChanges:
    """The list for `ids` (default: this portal's own settings)."""
    ids = ids or portal_ids()
    properties = _audiences(ids)
    properties.append(
        PropertyChange(
            "registration-processor", DEFAULT_PARTNER_IDS, f"adds {ids.partner_id}",
            "The credential requestor issues credentials only to partners named here "
            f"(by the id of their entry in {CREDENTIAL_PARTNERS_FILE}).",
            edits.append(ids.partner_id),
        )
    )  # fmt: skip
    files = [
        FileChange(
            CREDENTIAL_PARTNERS_FILE,
            f"the stock partners plus {ids.partner_id} (credential type "
            f"{CREDENTIAL_TYPE}, process CRVS_NEW)",
            "The credential requestor issues a CRVS_NEW packet's credential only to "
            "partners in this file whose process list names CRVS_NEW.",
            _credential_partners(ids),
        )
    ]
    for process in ids.processes:
        more_properties, more_files = _process_changes(process)
        properties.extend(more_properties)
        files.extend(more_files)
    return OperatorChanges(ids, properties, files, objects_for(ids))


def as_text(changes: OperatorChanges) -> str:
    """The list as an operator reads it: property lines ready to paste, grouped by
    file (a `#` line before each says what it adds and why), the files, then the
    objects."""
    ids = changes.ids
    out = [
        f"# MOSIP configuration for this portal: client {ids.client_id}, credential "
        f"partner {ids.partner_id}.",
        f"# Each line is the stock mosip-config {STOCK_RELEASE} line with the "
        "portal's addition: paste it over the stock line.",
        "# If your deployment changed that line, append the addition to your line "
        "instead.",
    ]
    for file_name, properties in changes.by_file().items():
        out += ["", f"## {file_name}"]
        for change in properties:
            out += [f"# {change.addition}: {change.why}", change.line()]
    for change in changes.files:
        content = change.content()
        out += ["", f"## {change.name}", f"# {change.addition}: {change.why}"]
        if content is not None:
            out.append(content.rstrip("\n"))
    out += ["", "## Objects in MOSIP (not properties)"]
    for obj in changes.objects:
        out += [
            f"- {obj.kind}: {obj.name}",
            f"  Operator: {obj.operator}",
            f"  Wizard: {obj.wizard}",
            f"  Why: {obj.why}",
        ]
    return "\n".join(out) + "\n"
