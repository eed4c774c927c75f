from django import forms


class ParticipantSignupForm(forms.Form):
    def signup(self, request, user):
        pass
