"""The places that reports of arrests and forced returns name, in English, Korean and Chinese.

Pure Python, no Django. ``default_gazetteer()`` loads the packaged ``places.csv`` (Chinese
and North Korean provinces, border cities and crossings on both sides, detention and
handover sites, transit countries and their border towns); ``refuge init`` copies it into
the Place table. See docs/gazetteer.md for the columns and how to add a row.

    g = default_gazetteer()
    g.lookup("Jilin")                 # [province cn-jl, city cn-jl-jilin]: ambiguity is kept
    g.resolve("图们")                  # the one place, or an error listing the candidates
    g.resolve("Yushu", country="CN", kind="city")

Error codes (GazetteerError):
    R021  no place has this name or id
    R022  the name fits several places; the message lists their ids
    R023  a gazetteer CSV row breaks a rule (message gives file, line and reason)
    R024  the gazetteer file cannot be read as UTF-8 text
    R025  a lookup filter is invalid (kind outside the vocabulary, country not ISO alpha-2)
"""

from refuge.gazetteer.load import default_gazetteer, load_gazetteer
from refuge.gazetteer.lookup import Gazetteer
from refuge.gazetteer.model import Place
from refuge.gazetteer.normalise import normalise_name

__all__ = ["Gazetteer", "Place", "default_gazetteer", "load_gazetteer", "normalise_name"]
