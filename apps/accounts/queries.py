from django.db.models import QuerySet

from apps.accounts.models import Office, Role, User


def offices_visible_to(user: User) -> QuerySet[Office]:
    """The offices whose records `user` may see: own office, supervised ones, or all."""
    if user.role == Role.REGISTRAR:
        return Office.objects.filter(pk=user.office_id)
    if user.role == Role.SUPERVISOR:
        if user.is_national_supervisor:
            return Office.objects.all()
        return user.supervised_offices.all()
    return Office.objects.none()
