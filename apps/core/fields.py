from django.db import models

from apps.core import encryption


class EncryptedTextField(models.TextField):
    """A text value stored encrypted; reads give the plaintext back.

    Never searchable or sortable: the database only ever holds ciphertext."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return encryption.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encryption.encrypt(value)
