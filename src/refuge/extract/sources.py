"""Sources: who says so.

Anonymous: "a source familiar with North Korean affairs in China", "sources in North
Hamgyong Province", "a resident of Hyesan who asked for anonymity". Named: "Lee Kyu Chang,
director of ... at the Korea Institute for National Unification, said", "according to
Human Rights Watch". A source whose sentence says it asked for anonymity is anonymous even
when a role is given. The outlet itself ("Daily NK learned") is not a source.

Component ``refuge_sources_v1`` sets ``doc._.refuge_sources``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import compress
from operator import itemgetter

from spacy.tokens import Doc

from refuge.extract.lang import SourceTables
from refuge.extract.phrases import PhraseTable, Tokenize, sentence_bounds
from refuge.extract.tokens import Tokens, tokens_of

# Nouns that are sources only when the sentence has them speak ("a resident said").
_STRONG = frozenset(
    {"source", "sources", "insider", "informant", "insiders", "informants", "contact", "church"}
)
# People a report cites by their role alone: unnamed unless the sentence names them.
_UNNAMED_BY_ROLE = frozenset(
    {"official", "officials", "resident", "residents", "relative", "relatives", "church"}
    | {"trader", "villager", "villagers", "pastor", "contact", "contacts", "people", "witness"}
    | {"witnesses", "neighbour", "interviewee", "family", "acquaintance", "person", "member"}
    | {"defector", "missionary", "worker", "workers", "colleague"}
    | {"friend", "employer", "neighbor", "sister", "brother", "mother", "father", "son"}
    | {"daughter", "aunt", "uncle", "cousin", "husband", "wife"}
)
# Plural roles that are sources without an article after "according to".
_BARE_PLURALS = frozenset(
    {"relatives", "residents", "witnesses", "activists", "villagers", "officials", "contacts"}
    | {"neighbours", "neighbors", "sources"}
)
# Words between a source and the verb of its telling ("a resident of the area told",
# "the church worker, who asked not to be named, said").
_BEFORE_SPEECH = frozenset({",", "has", "had", "have", "also", "later", "then", "who", "both"})
_SOURCE_NOUN_STARTS = frozenset({"sources", "insiders"})
# A token's first character (``text[:1]``), taken in C.
_FIRST_CHAR = itemgetter(slice(0, 1))
# How far after its first word an unnamed source's noun can stand: an opening word and up
# to three adjectives ("a senior local government source"); see ``_anonymous``.
_NOUN_REACH = 4
_NAME_STOP = frozenset(
    {
        "the",
        "a",
        "an",
        "in",
        "of",
        "at",
        "and",
        "for",
        "on",
        "said",
        "told",
        "but",
        "as",
        "to",
        "it",
        "its",
        "this",
        "that",
        "if",
        "meanwhile",
        "however",
        "according",
        "north",
        "south",
        "un",
        "china",
        "chinese",
    }
)


@dataclass(frozen=True, slots=True)
class SourceMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str
    anonymous: bool
    name: str | None
    affiliation: str | None
    noun: str | None = None  # "activist" in "a Russian activist who had tried to help"


class SourceFinder:
    def __init__(self, tables: SourceTables, tokenize: Tokenize) -> None:
        self.t = tables
        self.nouns = PhraseTable.of_set(tokenize, tables.anonymous_nouns)
        self.anonymity = PhraseTable.of_set(tokenize, tables.anonymity_phrases)
        self.according = PhraseTable.of_set(tokenize, tables.according_to)
        self.outlets = PhraseTable.of_set(tokenize, tables.outlet_words)
        self._openers = frozenset(tables.anonymous_starts) | _SOURCE_NOUN_STARTS | _BARE_PLURALS

    def find(self, doc: Doc) -> list[SourceMention]:
        toks = tokens_of(doc)
        words = toks.words
        out: list[SourceMention] = []
        speaking = {toks.sentence_of(k) for k in toks.positions(self.t.speech_verbs)}
        bounds = sentence_bounds(doc)
        # Cheap tests that spare the finders most positions, each implied by a finder's own
        # rules: an unnamed source has its noun within four words of its opening word; a
        # named one starts with a capital after "according to" or in a sentence with a
        # speech verb.
        nouns_near = {
            k - d for k in toks.positions(self.nouns.first_words) for d in range(_NOUN_REACH + 1)
        }
        after_according = {
            k + n
            for k in toks.positions(self.according.first_words)
            for n, _ in self.according.all_at(words, k)
        }
        # Only the positions that pass those tests are tried, in order and sentence by
        # sentence: unnamed-source words near a noun, and the capitals after "according
        # to" or in the speaking sentences (read in C from those sentences only, not from
        # the whole text). A position left out is one where neither finder would be asked.
        candidates = {i for i in toks.positions(self._openers) if i in nouns_near}
        texts = toks.texts
        candidates.update(i for i in after_according if i < len(texts) and texts[i][:1].isupper())
        for sent in speaking:
            first, last = bounds[sent]
            capital = map(str.isupper, map(_FIRST_CHAR, texts[first:last]))
            candidates.update(compress(range(first, last), capital))
        starts = sorted(candidates)
        anonymity = self._anonymity_sentences(toks, bounds)
        k = 0
        while k < len(starts):
            sent = toks.sentence_of(starts[k])
            e = bounds[sent][1]
            anon_sentence = sent in anonymity
            speaks = sent in speaking
            taken_until = -1
            while k < len(starts) and starts[k] < e:
                i = starts[k]
                k += 1
                if i < taken_until:
                    continue
                m = None
                if i in nouns_near and words[i] in self._openers:
                    m = self._anonymous(toks, i, e, speaks, anon_sentence)
                if m is None and (speaks or i in after_according) and toks.texts[i][:1].isupper():
                    m = self._named(toks, i, e, anon_sentence)
                if m is not None:
                    out.append(m)
                    taken_until = m.tok_end
        return self._named_later(toks, out)

    def _named_later(self, toks: Tokens, found: list[SourceMention]) -> list[SourceMention]:
        """ "a Russian activist ... said" and then "the activist, Yelena Morozova, said": a
        source the text goes on to name is not anonymous (unless it asked to be)."""
        words, texts = toks.words, toks.texts
        named: set[str] = set()
        for m in found:
            if m.noun is None:
                continue
            k = m.tok_end
            if (
                k + 2 < len(words)
                and words[k] == ","
                and all(texts[x][:1].isupper() and texts[x].isalpha() for x in (k + 1, k + 2))
            ):
                named.add(m.noun)
        if not named:
            return found
        return [
            replace(m, anonymous=False)
            if m.anonymous and m.noun in named and not self._asks_anonymity(toks, m)
            else m
            for m in found
        ]

    def _asks_anonymity(self, toks: Tokens, m: SourceMention) -> bool:
        s, e = toks.sent_bounds[toks.sentence_of(m.tok_start)]
        return self.anonymity.find_in(toks, s, e) is not None

    def _anonymity_sentences(self, toks: Tokens, bounds: list[tuple[int, int]]) -> set[int]:
        """The sentences holding an anonymity phrase ("asked not to be named"): those where
        ``self.anonymity.find_in`` hits, found from the phrases' first words."""
        found: set[int] = set()
        for i in self.anonymity.starts_in(toks):
            sent = toks.sentence_of(i)
            if sent not in found and self.anonymity.at(toks.words, i, bounds[sent][1]) is not None:
                found.add(sent)
        return found

    def _anonymous(
        self, toks: Tokens, i: int, e: int, speaks: bool, anon_sentence: bool
    ) -> SourceMention | None:
        words = toks.words
        k = i
        if words[k] in self.t.anonymous_starts:
            k += 1
        elif not (
            words[k] in ("sources", "insiders")
            and (i == 0 or words[i - 1] in (",", "to", "of", "said", "the", "local"))
        ) and not (words[k] in _BARE_PLURALS and self._after_according(words, i)):
            return None  # "according to relatives and former cellmates" names no one
        # Up to two adjectives: "a local source", "a North Korean source".
        adj = 0
        while k < e and self.nouns.at(words, k, e) is None and adj < 3:
            if not toks.texts[k].isalpha():
                return None
            k += 1
            adj += 1
        hit = self.nouns.at(words, k, e)
        if hit is None:
            return None
        noun = words[k + hit[0] - 1]  # "worker" in "a co-worker", "network" in "a church network"
        strong = words[k] in _STRONG or noun in _STRONG
        if not strong and not (speaks or self._after_according(words, i)):
            return None
        if (
            not strong
            and not anon_sentence
            and words[k] not in _UNNAMED_BY_ROLE
            and noun not in _UNNAMED_BY_ROLE
        ):
            return None
        j = k + hit[0]
        if j < e and words[j] in self.t.modifier_starts and words[j] != "who":
            j += 1
            while j < e and words[j] not in self.t.stop_words and j - k < 16:
                j += 1
        while j > k + hit[0] and words[j - 1] in (",", "-", "the", "a", "of", "in"):
            j -= 1
        if not (anon_sentence or self._after_according(words, i) or self._tells(words, i, j, e)):
            return None  # "A South Korean pastor has been arrested": a subject, not a source
        start, end = toks.char_span(i, j)
        return SourceMention(start, end, i, j, toks.text[start:end], True, None, None, noun)

    def _tells(self, words: list[str], i: int, j: int, e: int) -> bool:
        """Whether the phrase at [i, j) is who tells: a verb of telling follows it (after a
        clause such as ", who saw the raid,") or comes right before it ("said a source")."""
        if i > 0 and words[i - 1] in self.t.speech_verbs:
            return True
        k = j
        clause = False
        while k < e and k - j < 14:
            w = words[k]
            if w in self.t.speech_verbs:
                return True
            if w == "who" or (w == "," and k == j):
                clause = True
            elif not clause and w not in _BEFORE_SPEECH:
                return False
            k += 1
        return False

    def _after_according(self, words: list[str], i: int) -> bool:
        return i >= 2 and words[i - 2 : i] == ["according", "to"]

    def _named(self, toks: Tokens, i: int, e: int, anon_sentence: bool) -> SourceMention | None:
        """NAME, TITLE ... said  |  according to NAME/ORGANISATION."""
        words = toks.words
        texts = toks.texts
        according = self.according.ending_at(words, i) is not None
        if not (texts[i][:1].isupper() and texts[i].isalpha()) or words[i] in _NAME_STOP:
            return None
        if (
            i > 0
            and texts[i - 1][:1].isupper()
            and texts[i - 1].isalpha()
            and not toks.is_sent_start(i - 1)
        ):
            return None  # not the start of the capitalised run
        j = i
        while (
            j < e and (texts[j][:1].isupper() or words[j] in ("-", "of", "for", "on")) and j - i < 8
        ):
            j += 1
        while j > i and words[j - 1] in ("-", "of", "for", "on"):
            j -= 1
        if j - i < 2 and not according:
            return None
        if self.outlets.at(words, i, j) is not None:
            return None
        run = toks.span_text(i, j)
        if according:
            start, end = toks.char_span(i, j)
            return SourceMention(start, end, i, j, run, anon_sentence, None, run)
        # "Lee Kyu Chang, director of X at ORG, said"
        if j < e and words[j] == "," and j + 1 < e and words[j + 1] in self.t.title_words:
            k = j + 1
            affiliation: str | None = None
            while k < e and words[k] not in self.t.speech_verbs and words[k] != "." and k - j < 25:
                if (
                    words[k] in ("at", "of", "for")
                    and k + 1 < e
                    and (texts[k + 1][:1].isupper() or words[k + 1] == "the")
                ):
                    a = k + 1
                    if words[a] == "the":
                        a += 1
                    b = a
                    while b < e and (
                        texts[b][:1].isupper() or words[b] in ("of", "for", "to", "and")
                    ):
                        b += 1
                    while b > a and words[b - 1] in ("of", "for", "to", "and"):
                        b -= 1
                    if b > a:
                        affiliation = toks.span_text(a, b)
                k += 1
            if k < e and words[k] in self.t.speech_verbs:
                end = k - 1 if words[k - 1] == "," else k
                start, stop = toks.char_span(i, end)
                return SourceMention(
                    start,
                    stop,
                    i,
                    end,
                    toks.text[start:stop],
                    anon_sentence,
                    run,
                    affiliation,
                )
        return None
