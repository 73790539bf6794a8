from django.urls import path

from apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("errors/", views.errors, name="errors"),
    path("errors/<str:code>/", views.error_events, name="error-events"),
    path("events/<int:pk>/", views.event, name="event"),
    path(
        "events/<int:pk>/id-checks/<int:check_pk>/override/",
        views.id_check_override,
        name="id-check-override",
    ),
    path("stuck/", views.stuck, name="stuck"),
    path("stuck/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("completeness/", views.completeness, name="completeness"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("export/<slug:table>.csv", views.export, name="export"),
]
