"""MOSIP's result and error codes in the registrar's words."""

# MOSIP's result and error codes in the registrar's words (docs/mosip/packet-api.md §1,
# §6, §7.3).
PLAIN_WORDS = {
    # The workflow result of a packet that went through every stage: success.
    "PROCESSED": "MOSIP processed the packet.",
    "KER-PUT-006": (
        "MOSIP has no packet writer for this kind of registration; the integration "
        "admin needs to check the process names agreed with MOSIP."
    ),
    "KER-ATH-401": "MOSIP did not accept the portal's credentials.",
    "KER-ATH-403": "The portal's MOSIP account is not allowed to send packets.",
    "RPR-WIN-000": "MOSIP found a required value missing in the processing request.",
    "RPR-WIN-001": "MOSIP found a value in the processing request invalid.",
    "RPR-WIN-002": "MOSIP could not read the processing request.",
    "RPR-WIS-000": "MOSIP could not start processing the packet.",
    "RPR-PKR-016": "MOSIP does not know this registration process.",
    "PACKET_REJECTED": (
        "MOSIP rejected the packet: the details did not pass its checks (for "
        "example a duplicate person or a mismatch with the identity record). "
        "Check the details, correct them and resubmit."
    ),
    "PACKET_FAILED": (
        "MOSIP could not finish processing the packet. Check the details and "
        "resubmit; if it fails again, ask the integration admin."
    ),
    "REREGISTER": "MOSIP asks for the registration to be made again.",
    "RESEND": "MOSIP asks for the packet to be sent again.",
    "RETRIES_EXHAUSTED": (
        "MOSIP could not be reached for too long; the packet was not sent. "
        "Resubmit it once MOSIP is available."
    ),
    "EMPTY_RESPONSE": (
        "MOSIP accepted the packet request but created no packet and gave no reason."
    ),
}


def plain_words(code: str, fallback: str = "") -> str:
    return PLAIN_WORDS.get(code) or fallback or f"MOSIP answered with error {code}."
