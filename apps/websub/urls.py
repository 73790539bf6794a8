from django.urls import path

from apps.websub import views

app_name = "websub"

urlpatterns = [
    path("manage/", views.subscription_list, name="subscriptions"),
    path(
        "manage/<int:pk>/resubscribe/",
        views.subscription_resubscribe,
        name="resubscribe",
    ),
    path("manage/<int:pk>/rotate/", views.subscription_rotate, name="rotate"),
    path("manage/quarantine/", views.quarantine_list, name="quarantine"),
    path(
        "manage/quarantine/recheck/",
        views.quarantine_recheck,
        name="quarantine-recheck",
    ),
    path("manage/orphans/", views.orphan_list, name="orphans"),
    path("manage/orphans/<int:pk>/retry/", views.orphan_retry, name="orphan-retry"),
    # The hub's callback: one per subscription.
    path("<slug:slug>/", views.callback, name="callback"),
]
