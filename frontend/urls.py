from django.urls import path

from frontend.views import participant

app_name = "frontend"
urlpatterns = [
    path("", participant.home, name="home"),
]
