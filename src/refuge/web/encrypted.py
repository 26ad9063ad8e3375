"""Model fields encrypted at rest, bound to their table, field and record.

Every identifying field uses one of these, so a new identifying field cannot forget the
encryption. In the database a value is a token (``v1:...``, see refuge.crypto.fields)
encrypted with AES-256-GCM under the current key version, with the table, field name and
the record's UUID as associated data: a token copied into another row or field does not
decrypt. Values are decrypted lazily, on attribute access, so code that never reads a field
(e.g. the policy's ``redact`` for a user who may not see it) never decrypts it.

Encrypted fields cannot be filtered or sorted by the database (it only sees ciphertext), so
lookups raise a clear error (R080) instead of silently matching nothing; persons are found
through the blind index (``incidents.PersonNameTerm``).

``encrypt_if``: a field may be encrypted only for some records (the text of a source is
encrypted when the source is confidential, and stays searchable when it is published).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from refuge.crypto import decrypt_field, encrypt_field, is_token
from refuge.errors import RefugeError


class EncryptedFieldError(RefugeError):
    code = "R080"


class _Sealed:
    """A token read from the database, not yet decrypted."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<encrypted>"


class _Opened(str):
    """A decrypted value that still knows its token, so an unchanged value is not rewritten."""

    token: str


class _OpenedInt(int):
    """A decrypted integer that still knows its token (see _Opened)."""

    token: str


class _Descriptor:
    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        name = self.field.attname
        value = instance.__dict__.get(name)
        if isinstance(value, _Sealed):
            from refuge.web.keys import get_keyring

            plain = decrypt_field(
                get_keyring(),
                value.token,
                table=instance._meta.db_table,
                field=self.field.name,
                record_uuid=instance.uuid,
            )
            opened = _Opened(plain)
            opened.token = value.token
            instance.__dict__[name] = opened
            value = opened
        return self.field.to_python_value(value)

    def __set__(self, instance: Any, value: Any) -> None:
        # A token arriving as a plain string (a restored backup, a fixture) stays sealed:
        # it is already ciphertext for this very record.
        if isinstance(value, str) and not isinstance(value, _Opened) and is_token(value):
            value = _Sealed(value)
        if not isinstance(value, _Sealed):
            value = self.field.from_python_value(value)
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text field stored as a token; ``encrypt_if(instance)`` may limit it to some rows."""

    def __init__(
        self, *args: Any, encrypt_if: Callable[[Any], bool] | None = None, **kwargs: Any
    ) -> None:
        self.encrypt_if = encrypt_if
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs  # encrypt_if is behaviour, not schema

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _Descriptor(self))

    # Conversions between what Python code sees and the stored text (overridden below).
    def to_python_value(self, value: Any) -> Any:
        return value

    def from_python_value(self, value: Any) -> Any:
        return "" if value is None else value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str) and is_token(value):
            return _Sealed(value)
        return value  # plaintext: a published source's text, or a row not yet migrated

    def _plain_text(self, value: Any) -> str:
        return str(value)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, _Sealed):
            if self.encrypt_if is None or self.encrypt_if(model_instance):
                return value.token
            value = getattr(model_instance, self.attname)  # no longer to be encrypted
        if value is None or value == "":
            return ""
        if self.encrypt_if is not None and not self.encrypt_if(model_instance):
            return self._plain_text(value)
        if isinstance(value, _Opened):
            return value.token
        from refuge.web.keys import get_keyring

        return encrypt_field(
            get_keyring(),
            self._plain_text(value),
            table=model_instance._meta.db_table,
            field=self.name,
            record_uuid=model_instance.uuid,
        )

    def get_prep_value(self, value: Any) -> Any:
        # Raw saves (loaddata, restore) read the attribute instead of calling pre_save: an
        # opened value goes back as the token it came from, never as plaintext.
        if isinstance(value, _Opened | _OpenedInt | _Sealed):
            return value.token
        return super().get_prep_value(value)

    def value_from_object(self, obj: Any) -> Any:
        # What is stored (the token), never plaintext: Django's serialisers, model_to_dict
        # and forms read fields through here, and must fail closed. Code that is allowed to
        # see the value reads the attribute (the disclosure policy's ``redact`` does).
        stored = self.pre_save(obj, add=False)
        return "" if stored is None else str(stored)

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj))

    def get_lookup(self, lookup_name: str) -> Any:
        raise EncryptedFieldError(
            f"{self.model.__name__}.{self.name} is encrypted and cannot be used in a query "
            f"(lookup {lookup_name!r}); find persons through the blind index"
        )

    def get_transform(self, name: str) -> Any:
        raise EncryptedFieldError(
            f"{self.model.__name__}.{self.name} is encrypted and cannot be used in a query"
        )


class EncryptedIntegerField(EncryptedTextField):
    """An integer (e.g. a birth year) stored as an encrypted token."""

    def to_python_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        number = _OpenedInt(int(value))
        if isinstance(value, _Opened):
            number.token = value.token  # so a raw save writes the token back, not the number
            return number
        return int(value)

    def from_python_value(self, value: Any) -> Any:
        return "" if value is None or value == "" else str(int(value))


class EncryptedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Refuses to sort by an encrypted field: the database would sort ciphertext."""

    def order_by(self, *field_names: Any) -> Any:
        encrypted = {f.name for f in self.model._meta.fields if isinstance(f, EncryptedTextField)}
        for name in field_names:
            if isinstance(name, str) and name.lstrip("-?") in encrypted:
                raise EncryptedFieldError(
                    f"{self.model.__name__}.{name.lstrip('-?')} is encrypted and cannot be "
                    "used for sorting"
                )
        return super().order_by(*field_names)
