"""Django's JSON serialisation with exact times, for backups.

Django's JSON encoder cuts datetimes to milliseconds; a backup must restore records exactly
as they were (a custody time is part of a hash), so this format keeps microseconds.
Registered as the serialisation format ``refuge-json`` (settings.SERIALIZATION_MODULES).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # not in the stubs
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = JSONDeserializer
