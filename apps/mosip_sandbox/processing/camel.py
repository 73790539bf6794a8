"""Reg-proc's camel routes, read from the route XML files the configuration lists
(`camel.secure.active.flows.file.names`), as the stage transitions they define.

Each `<route>` listens on `eventbus://<stage>-<process>-bus-out` (the process in
lower case) and chooses, in order, the first `<when>` whose JsonPath filter holds
for the stage's message (`isValid`, `internalError`, `tags`), else `<otherwise>`.
Its `<to>` is either the next stage's `eventbus://<stage>-bus-in` or a workflow
command (`workflow-cmd://complete-as-processed|-failed|-rejected`,
`mark-as-reprocess`; `anonymous-profile` has no effect a client sees). A `<log>` in
the chosen branch is kept as the completion's reason.

Only the filter forms the route files use are understood: `@['a']['b'] == / !=`
a literal (`true`, `false`, `'text'`), joined by `&&` or `||`.

Reg-proc's camel bridge (MosipBridgeFactory) fetches every listed file from the config
server and fails to start when one is missing or unreadable: then no route runs at
all. The sandbox does the same, except for the stock route files of non-CRVS
processes, which exist on MOSIP but which the sandbox does not carry (their
processes are simply not run).
"""

import functools
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from apps.mosip_sandbox import mosip_config
from apps.mosip_sandbox.mosip_config.stock import FILES, STOCK

log = logging.getLogger(__name__)

ACTIVE_FLOWS = "camel.secure.active.flows.file.names"
_NS = "{http://camel.apache.org/schema/spring}"
# Event-bus names of the stages (MessageBusAddress) and the sandbox's stages.
STAGES = {
    "packet-validator": "PacketValidatorStage",
    "packet-classifier": "PacketClassifierStage",
    "c-m-d-validator": "CMDValidatorStage",
    "operator-validator": "OperatorValidatorStage",
    "supervisor-validator": "SupervisorValidatorStage",
    "introducer-validator": "IntroducerValidatorStage",
    "demo-dedupe": "DemodedupeStage",
    "uin-generator": "UinGeneratorStage",
    "finalization": "FinalizationStage",
    "credential-requestor": "CredentialRequestorStage",
    "securezone-notification": "SecurezoneNotificationStage",
}
_BUS_NAMES = {stage: bus for bus, stage in STAGES.items()}
_COMPARISON = re.compile(
    r"^@((?:\['[^']*'\])+)\s*(==|!=)\s*(true|false|'[^']*')$", re.DOTALL
)
_FILTER = re.compile(r"^\$\.\[\?\((.*)\)\]$", re.DOTALL)


@dataclass(frozen=True)
class Step:
    """What a route does after a stage: go to `stage`, or run `command`."""

    stage: str | None = None
    command: str | None = None
    reason: str | None = None


@dataclass
class Branch:
    condition: str | None  # None for <otherwise>
    step: Step


@dataclass
class Route:
    process: str  # lower case, as in the bus address
    stage: str  # the sandbox's stage name the route listens after
    branches: list[Branch] = field(default_factory=list)


def _path_value(message: dict, path: str):
    value = message
    for key in re.findall(r"\['([^']*)'\]", path):
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


_MISSING = object()


def _literal(text: str):
    if text == "true":
        return True
    if text == "false":
        return False
    return text[1:-1]


def _comparison(message: dict, text: str) -> bool:
    match = _COMPARISON.match(text.strip())
    if match is None:
        raise ValueError(f"unsupported JsonPath filter: {text!r}")
    path, operator, literal = match.groups()
    value = _path_value(message, path)
    if value is _MISSING:
        # A filter on a path that is not there selects nothing.
        return False
    equal = value == _literal(literal)
    return equal if operator == "==" else not equal


def holds(condition: str, message: dict) -> bool:
    """Whether a `$.[?(...)]` filter selects the message."""
    match = _FILTER.match(condition.strip())
    if match is None:
        raise ValueError(f"unsupported JsonPath: {condition!r}")
    return any(
        all(_comparison(message, part) for part in alternative.split("&&"))
        for alternative in match.group(1).split("||")
    )


def _step(branch: ET.Element) -> Step:
    reason = None
    for child in branch:
        if child.tag == f"{_NS}log":
            reason = child.get("message")
        if child.tag != f"{_NS}to":
            continue
        uri = child.get("uri", "")
        if uri.startswith("workflow-cmd://"):
            command = uri[len("workflow-cmd://") :]
            if command != "anonymous-profile":
                return Step(command=command, reason=reason)
        elif uri.startswith("eventbus://") and uri.endswith("-bus-in"):
            bus = uri[len("eventbus://") : -len("-bus-in")]
            return Step(stage=STAGES.get(bus, bus), reason=reason)
    return Step(command=None, reason=reason)


def _from_address(uri: str) -> tuple[str, str] | None:
    if not (uri.startswith("eventbus://") and uri.endswith("-bus-out")):
        return None
    address = uri[len("eventbus://") : -len("-bus-out")]
    for bus in sorted(STAGES, key=len, reverse=True):
        if address.startswith(f"{bus}-"):
            return STAGES[bus], address[len(bus) + 1 :]
    return None


@functools.lru_cache(maxsize=64)
def parse(xml_text: str) -> tuple[Route, ...]:
    """The routes of a file (cached by content: the files rarely change)."""
    root = ET.fromstring(xml_text)
    routes = []
    for element in root.iter(f"{_NS}route"):
        source = element.find(f"{_NS}from")
        found = _from_address(source.get("uri", "")) if source is not None else None
        if found is None:
            continue
        stage, process = found
        route = Route(process=process, stage=stage)
        choice = element.find(f"{_NS}choice")
        if choice is None:
            continue
        for branch in choice:
            if branch.tag == f"{_NS}when":
                path = branch.find(f"{_NS}jsonpath")
                if path is None or not (path.text or "").strip():
                    continue
                route.branches.append(Branch(path.text.strip(), _step(branch)))
            elif branch.tag == f"{_NS}otherwise":
                route.branches.append(Branch(None, _step(branch)))
        routes.append(route)
    return tuple(routes)


# Stock route files the sandbox does not carry (processes other than CRVS ones).
NOT_CARRIED = frozenset(
    name
    for name in STOCK["registration-processor"][ACTIVE_FLOWS].split(",")
    if name not in FILES
)


def active_routes() -> dict[tuple[str, str], Route]:
    """Every route of the active flow files, by (process lower case, stage); empty
    when the camel bridge could not start (a listed file missing or unreadable)."""
    table: dict[tuple[str, str], Route] = {}
    for name in mosip_config.listed("registration-processor", ACTIVE_FLOWS):
        text = mosip_config.file(name)
        if text is None:
            if name in NOT_CARRIED:
                continue
            log.warning("camel route file %s is not served: no route runs", name)
            return {}
        try:
            routes = parse(text)
        except (ET.ParseError, ValueError):
            log.warning("camel route file %s could not be read: no route runs", name)
            return {}
        for route in routes:
            table[(route.process, route.stage)] = route
    return table


def has_route(process: str) -> bool:
    """Whether the packet validator's output of this process goes anywhere."""
    return (process.lower(), "PacketValidatorStage") in active_routes()


def next_step(process: str, stage: str, message: dict) -> Step | None:
    """The step after `stage` for a stage message; None when no route listens."""
    route = active_routes().get((process.lower(), stage))
    if route is None:
        return None
    for branch in route.branches:
        if branch.condition is None or holds(branch.condition, message):
            return branch.step
    return Step()


def bus_name(stage: str) -> str:
    return _BUS_NAMES.get(stage, stage)


def route_reaches(process: str, stage: str) -> bool:
    """Whether any route of the process listens after, or sends to, `stage`."""
    for (name, listens), route in active_routes().items():
        if name != process.lower():
            continue
        if listens == stage or any(b.step.stage == stage for b in route.branches):
            return True
    return False
