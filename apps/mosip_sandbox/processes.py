"""Which processes the sandbox runs, read from MOSIP's configuration as MOSIP reads it
(docs/mosip/processes-and-schema.md):

- packet manager writes a packet only when a `provider.packetwriter.*` entry matches
  its source and process, and reads one back only through a `provider.packetreader.*`
  entry and `packetmanager.default.priority` (application-default.properties);
- reg-proc's workflow manager takes a process that is a main process itself or maps
  to one through `registration.processor.additional-process.category-mapping`
  (registration-processor-default.properties);
- the packet validator requires the identity fields of
  `mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.<process>`;
- the stages a process passes through are its camel route, in the route files that
  `camel.secure.active.flows.file.names` lists (processing.camel).
"""

import re
from dataclasses import dataclass

from apps.mosip_sandbox import mosip_config

_ITERATION_SUFFIX = re.compile(r"-\d+$")
_MAP_ENTRY = re.compile(r"'([^']*)'\s*:\s*'([^']*)'")
MANDATORY = "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor."
# IdObjectsSchemaValidationOperationMapper: these processes use fixed operations.
_OPERATIONS = {
    "NEW": "new-registration",
    "LOST": "lost",
    "UPDATE": "other",
    "RES_UPDATE": "other",
    "ACTIVATED": "other",
    "DEACTIVATED": "other",
}


@dataclass(frozen=True)
class Provider:
    name: str
    source: str
    process: str
    classname: str | None


def without_iteration(process: str) -> str:
    """PacketHelper.getProcessWithoutIteration: `CRVS_NEW-2` is `CRVS_NEW`."""
    return _ITERATION_SUFFIX.sub("", process)


def _parse_provider(name: str, raw: str) -> Provider:
    # PacketHelper.getWriter/getReader: comma-separated `source:`, `process:`,
    # `classname:` parts.
    parts: dict[str, str] = {}
    for item in raw.split(","):
        for key in ("source", "process", "classname"):
            if item.startswith(key):
                parts[key] = item.replace(f"{key}:", "")
    return Provider(
        name, parts.get("source", ""), parts.get("process", ""), parts.get("classname")
    )


def providers(kind: str) -> list[Provider]:
    """`provider.packetwriter.*` (kind "writer") or `provider.packetreader.*`."""
    prefix = f"provider.packet{kind}."
    return [
        _parse_provider(name[len(prefix) :], mosip_config.value("packet-manager", name))
        for name in sorted(mosip_config.names("packet-manager", prefix))
    ]


def provider_for(kind: str, source, process) -> Provider | None:
    """PacketHelper.isSourceAndProcessPresent: the configured strings *contain* the
    requested ones, ignoring case, after the iteration is cut from the process."""
    if not isinstance(source, str) or not isinstance(process, str):
        return None
    wanted = without_iteration(process).upper()
    for provider in providers(kind):
        if (
            source.upper() in provider.source.upper()
            and wanted in provider.process.upper()
        ):
            return provider
    return None


def priority_source(process: str) -> str | None:
    """PacketReaderService.getDefaultSource: the source `packetmanager.default.priority`
    names for a process (exact, case-insensitive), or None."""
    raw = mosip_config.value("packet-manager", "packetmanager.default.priority") or ""
    for entry in raw.split(","):
        source, _, processes = entry.partition("/")
        if not source.startswith("source:") or not processes.startswith("process:"):
            continue
        names = processes[len("process:") :].split("|")
        if any(name.lower() == process.lower() for name in names):
            return source[len("source:") :]
    return None


def category_mapping() -> dict[str, str]:
    """`registration.processor.additional-process.category-mapping`, a SpEL map
    literal such as `{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE'}`."""
    raw = mosip_config.value(
        "registration-processor",
        "registration.processor.additional-process.category-mapping",
    )
    return dict(_MAP_ENTRY.findall(raw or ""))


def main_processes() -> list[str]:
    return mosip_config.listed(
        "registration-processor", "registration.processor.main-processes"
    )


def internal_process(process: str) -> str:
    """Utilities.getInternalProcess: the mapped category, or the process itself
    when it is not mapped."""
    return category_mapping().get(process, process)


def is_main(process) -> bool:
    """Utilities.getIterationForSyncRecord's test for iteration 1."""
    if not isinstance(process, str):
        return False
    mains = main_processes()
    return process in mains or category_mapping().get(process, "") in mains


def mandatory_attributes(process: str) -> list[str] | None:
    """PacketValidator.validateSchema: the mandatory attributes of the process's
    operation; None when the property is absent (the validation then fails)."""
    plain = without_iteration(process)
    operation = _OPERATIONS.get(plain.upper(), plain.lower())
    raw = mosip_config.value("packet-manager", MANDATORY + operation)
    if raw is None:
        return None
    return [item.strip() for item in raw.split(",") if item.strip()]
