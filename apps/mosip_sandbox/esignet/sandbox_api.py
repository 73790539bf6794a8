"""The sandbox's test API for e-Signet (not part of MOSIP)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from apps.mosip_sandbox.store import get_store


@require_GET
def otps(request):
    """OTPs "sent" to an identity's phone or e-mail, newest first:
    `?individualId=` (UIN or VID as typed at the login page)."""
    individual_id = request.GET.get("individualId")
    if not individual_id:
        return JsonResponse({"error": "individualId is required"}, status=400)
    sent = get_store().find("esignet_otp_log", individualId=individual_id)
    return JsonResponse({"otps": list(reversed(sent))})
