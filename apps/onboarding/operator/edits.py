"""How a stock (or deployment's) value gains the portal's addition; each edit
leaves a value that already has it as it is, so applying the list twice changes
nothing."""

import re
from collections.abc import Callable

from apps.onboarding.operator.stock import PACKET_SOURCE


def listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def append(item: str) -> Callable[[str | None], str]:
    """A comma list gains `item` (kept as it is when already listed)."""

    def change(value: str | None) -> str:
        if item in listed(value):
            return value or ""
        return f"{value},{item}" if value else item

    return change


def add_process(process: str) -> Callable[[str | None], str]:
    """A packet provider line (`source:CRVS1,process:A|B,classname:…`) gains a
    process."""

    def change(value: str | None) -> str:
        value = value or f"source:{PACKET_SOURCE},process:"
        parts = value.split(",")
        for i, part in enumerate(parts):
            if part.strip().startswith("process:"):
                listed = [p for p in part.strip()[len("process:") :].split("|") if p]
                if process not in listed:
                    parts[i] = "process:" + "|".join([*listed, process])
                return ",".join(parts)
        return f"{value},process:{process}"

    return change


def add_priority(process: str) -> Callable[[str | None], str]:
    """`packetmanager.default.priority`: the CRVS1 entry gains a process."""

    def change(value: str | None) -> str:
        entries = (value or "").split(",") if value else []
        head = f"source:{PACKET_SOURCE}/process:"
        for i, entry in enumerate(entries):
            if entry.strip().startswith(head):
                listed = [p for p in entry.strip()[len(head) :].split("|") if p]
                if process not in listed:
                    entries[i] = head + "|".join([*listed, process])
                return ",".join(entries)
        return ",".join([*entries, head + process])

    return change


def add_mapping(process: str, category: str) -> Callable[[str | None], str]:
    """reg-proc's process → category map (`{'A':'NEW','B':'UPDATE'}`) gains one."""

    def change(value: str | None) -> str:
        value = (value or "{}").strip()
        if re.search(rf"'{re.escape(process)}'\s*:", value):
            return value
        inner = value[1:-1].strip()
        entry = f"'{process}':'{category}'"
        return "{" + (f"{inner},{entry}" if inner else entry) + "}"

    return change


def set_to(new: str) -> Callable[[str | None], str]:
    return lambda value: new
