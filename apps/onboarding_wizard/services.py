"""The wizard's last step: the portal's WebSub subscriptions, which the WebSub app
owns, set up with the credential partner onboarding recorded."""

from django.utils.translation import gettext as _

from apps.onboarding.models import CredentialPartner
from apps.onboarding.services import OnboardingError
from apps.websub import services as websub_services


def websub_ensure(*, actor, base_url: str | None = None):
    """Subscribe (or renew) the portal's WebSub subscriptions, each with its own
    secret. `base_url` is the portal's address as MOSIP's hub reaches it (default:
    WEBSUB_CALLBACK_BASE_URL)."""
    partner = CredentialPartner.objects.order_by("-id").first()
    if partner is None:
        raise OnboardingError(_("Register the credential partner first."))
    try:
        return websub_services.subscriptions_ensure(
            base_url=base_url or None, partner_id=partner.partner_id, actor=actor
        )
    except ValueError as exc:
        raise OnboardingError(
            _("WebSub needs %(missing)s: set it, then run this step again.")
            % {"missing": exc}
        ) from exc
