from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("", views.home, name="home"),
    path("registrar/", views.registrar_home, name="registrar-home"),
    path("supervisor/", views.supervisor_home, name="supervisor-home"),
]
