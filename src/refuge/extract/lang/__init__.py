"""Language-specific tables, one interface per component.

Each component reads only its own table type; a language provides one instance of each.
English is the only language so far; Korean and Chinese add a module of the same shape
(``lang/ko.py``, ``lang/zh.py``) and an entry in ``_LANGUAGES`` without touching the
components' logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Phrase = str  # words separated by single spaces, as the tokenizer splits them (lower case)


@dataclass(frozen=True, slots=True)
class NumberTables:
    units: Mapping[str, int]  # "one".."nineteen", "twenty".."ninety"
    scales: Mapping[str, int]  # "hundred", "thousand", "million"
    dozen: frozenset[str]  # "dozen"
    vague: Mapping[str, int]  # "dozens" -> 12, "hundreds" -> 100: a lower bound only
    article_one: frozenset[str]  # "a", "an": one, but only before a scale or "dozen"
    qualifiers_before: Mapping[Phrase, str]  # "more than" -> at_least
    qualifiers_after: Mapping[Phrase, str]  # "or more" -> at_least, "odd" -> approx
    range_between: frozenset[str]  # "between"
    range_joiners: frozenset[str]  # "to", "-", "or", "and" (after between)
    not_counts_after: frozenset[str]  # "%", "percent", "year", "years", "km": not people


@dataclass(frozen=True, slots=True)
class CountTables:
    plural_groups: Mapping[Phrase, str]  # "defectors" -> total, "children" -> minors
    singular_groups: Mapping[Phrase, str]  # "woman" -> women (with "a"/"one")
    modifier_groups: Mapping[str, str]  # "underage" -> minors, "female" -> women
    modifiers: frozenset[str]  # words allowed between a number and its group noun
    nationalities: Mapping[Phrase, str]  # "north korean" -> KP
    singular_determiners: frozenset[str]  # "a", "an", "one"
    partitive: frozenset[Phrase]  # "of them", "of whom": "20 of them were children"
    aggregate_after: frozenset[Phrase]  # "since", "so far", "every year": a statistic
    aggregate_before: frozenset[Phrase]  # "the number of", "a total of ... since"
    minor_range_words: frozenset[str]  # "infants", "teenagers" in "ranging from X to Y"
    # Ages: number words ("ten" in "a ten-year-old"), the age of majority, decades of adult
    # age ("in their thirties") and the words that state ages after a group ("aged").
    number_words: Mapping[str, int] = field(default_factory=dict)
    adult_age: int = 18
    adult_decades: frozenset[str] = frozenset()
    age_words: frozenset[str] = frozenset()
    # "hundreds", "dozens": numbers that count no one group ("hundreds more were held").
    vague_numbers: frozenset[str] = frozenset()
    # "of North Korea" after a group noun: its nationality ("citizens of the DPRK").
    nationality_after: Mapping[Phrase, str] = field(default_factory=dict)
    # Words before "a month" or "a year" that make it a length of time ("for a month"),
    # not a rate ("40 a month").
    duration_words: frozenset[str] = frozenset()
    # "An estimated 2,000 North Koreans are still held in China": a stock, not a group;
    # the words before the number, the least such number, and the present-tense verbs of
    # a state after it.
    stock_estimate: tuple[str, ...] = ()
    stock_minimum: int = 1000
    present_state_verbs: frozenset[str] = frozenset()
    # Words before "a teenager", "a farmer" that make it a role or an agent, not a person
    # counted ("had crossed the river as a teenager", "a house rented by a farmer").
    role_preps: frozenset[str] = frozenset()
    # Verbs of acts that add up over time ("have been arrested since January"): with a
    # perfect tense and "since", the count is a statistic.
    accumulating_verbs: frozenset[str] = frozenset()
    # Month names: "caught between January and April" after a count makes it a statistic
    # over a period.
    period_months: frozenset[str] = frozenset()
    period_joiners: frozenset[str] = frozenset()
    # "have been arrested since January": the perfect passive that makes acts add up.
    perfect_auxiliaries: frozenset[str] = frozenset()
    passive_been: frozenset[str] = frozenset()
    # Words before a role preposition that make it no role ("as well as a woman").
    role_prep_exceptions: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventTables:
    # trigger phrase -> (event type, form); form is one of
    # "past" (a finite or participle past form), "present", "gerund", "base", "nominal".
    triggers: Mapping[Phrase, tuple[str, str]]
    # Words after a trigger that change its type: "returned to north korea" is a repatriation.
    negations: frozenset[str]
    modals: frozenset[str]
    pending_cues: frozenset[Phrase]  # "face", "at risk of", "awaiting"
    generic_cues: frozenset[Phrase]  # "stop", "prevent", "oppose": advocacy, not a fact
    completion: frozenset[Phrase]  # "completed", "carried out": a nominal that happened
    auxiliaries: frozenset[str]  # be / have forms between subject and participle
    determiners: frozenset[str]  # "the detained refugees": attributive, not an event
    destination_preps: frozenset[str]  # "to"
    speech_verbs: frozenset[str]  # "said", "told": a date near them dates the telling
    progressive_markers: frozenset[Phrase]  # "has been", "have been" + -ing: habitual
    # "usually", "often": a sentence about what tends to happen, not about this group.
    habitual: frozenset[str] = frozenset()
    # "denied", "dismissed": what follows in the sentence is a claim the speaker rejects.
    denials: frozenset[str] = frozenset()
    # "in recent years", "every year": like ``habitual``, phrases of more than one word.
    habitual_phrases: frozenset[Phrase] = frozenset()
    # "reports that", "claims that": what follows in the sentence is told, not asserted.
    claim_cues: frozenset[Phrase] = frozenset()
    # "had said", "had warned": an earlier expectation the report has moved past; a move
    # it announced is not pending now.
    superseded_cues: frozenset[Phrase] = frozenset()
    # "would not say whether", "not clear whether": what follows is an open question.
    open_question_cues: frozenset[Phrase] = frozenset()
    # "no one", "nobody", "none": a subject that negates the clause's event.
    negative_subjects: frozenset[Phrase] = frozenset()
    # Words after "no" that make it a negative subject ("no North Koreans were deported").
    negative_heads: frozenset[str] = frozenset()
    # "as other groups ... have been": a comparison with other people, not this group.
    comparison_cues: frozenset[Phrase] = frozenset()
    # "That was wrong.": a sentence retracting the one before it.
    retractions: frozenset[Phrase] = frozenset()
    # Nouns of people: a participle right after one modifies it ("North Koreans held in X")
    # and is not the claim a denial rejects.
    group_heads: frozenset[str] = frozenset()
    # Prepositions before a gerund that make it an event that happened ("after arresting").
    gerund_fact_preps: frozenset[str] = frozenset()
    # Cities that name the country a group is sent to ("flown to Seoul").
    destination_cities: Mapping[Phrase, str] = field(default_factory=dict)
    # A definite nominal event of a counted group happened: "the forced return of some 600
    # North Koreans", "Tuesday's repatriation of 50 escapees". The words that make the
    # noun phrase definite ("the", a possessive), those that may stand between "of" and the
    # number ("some", "more than"), the number words, and the modifiers that make the event
    # one not yet done ("the planned return of 50").
    definite_markers: frozenset[str] = frozenset()
    possessive_markers: frozenset[str] = frozenset()
    # Words before an opening quote that carry the clause on into it ('would be "sent
    # home"'), so the quote does not cut the verb from its mood.
    into_quote: frozenset[str] = frozenset()
    # Offices on the near side of the border ("handed over to the public security bureau":
    # a transfer) and words that make the receiver North Korea's ("North Korean police").
    local_custodians: frozenset[str] = frozenset()
    receiving_kp: frozenset[str] = frozenset()
    # Who acts for a state ("Lao police drove them across the border to China").
    authority_words: frozenset[str] = frozenset()
    # Words after a number that make it no count of people ("took off 20 minutes late").
    not_people_units: frozenset[str] = frozenset()
    # Verbs of a move told with its route before "to" ("driven, handcuffed, to the detention
    # centre in Tonghua", "flown under escort from St Petersburg to Vladivostok").
    routed_moves: frozenset[str] = frozenset()
    # Words that stop the route of such a move: a new clause or another act.
    route_stops: frozenset[str] = frozenset()
    # Nouns of custody places ("the detention centre", "a police lockup") and of border
    # points ("the border crossing at Khasan"), where a move ends before a handover.
    custody_nouns: frozenset[str] = frozenset()
    border_points: frozenset[str] = frozenset()
    # Words after "put on a train" that tell a move under guard without its end ("north",
    # "under escort").
    escorted_route: frozenset[str] = frozenset()
    # Verbs that, joined after such a move ("driven to Dandong and handed to North Korean
    # officers"), tell where it ended: at a handover, not in another custody place.
    handover_verbs: frozenset[str] = frozenset()
    # Bare nouns of anyone at all: a participle after one ("people sent back face torture")
    # tells what befalls such people, not an act done to a group.
    generic_people: frozenset[str] = frozenset()
    # Past verbs of doing before a counted nominal event ("carried out two raids"): it
    # happened.
    done_verbs: frozenset[Phrase] = frozenset()
    # Past verbs of permission: "allowed them to be flown to Seoul" tells a move done.
    permission_verbs: frozenset[str] = frozenset()
    # Lengths of time that tell a habit ("for years"); with ``habitual`` and
    # ``habitual_phrases`` they keep a done-verb or a permission from telling one act.
    habit_durations: frozenset[Phrase] = frozenset()
    # Verbs that are custody only with an authority as their agent ("questioned by State
    # Security", not "questioned by reporters").
    questioning_verbs: frozenset[str] = frozenset()
    # Words of a route over the border ("over the bridge", "across the river").
    crossing_words: frozenset[str] = frozenset()
    # Words before a people noun that make it a counted group ("dozens of people").
    partitive_words: frozenset[str] = frozenset()
    # Subjects that open a sentence about the people just told of ("They were not sent
    # back"), so a denial there takes back the act the sentence before told.
    plural_subjects: frozenset[str] = frozenset()
    # Arrest triggers that tell a raid ("police raided the flat"): an arrest only where no
    # other verb of their sentence tells it.
    raid_verbs: frozenset[str] = frozenset()
    indefinite_markers: frozenset[str] = frozenset()
    count_qualifiers: frozenset[str] = frozenset()
    count_words: frozenset[str] = frozenset()
    unrealised_modifiers: frozenset[str] = frozenset()
    # Words that presuppose a definite event happened ("condemned the return of 600 North
    # Koreans in October", "since the forced return of"), unlike "stop" or "urged".
    presupposing_cues: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PlaceTables:
    countries: Mapping[Phrase, str]  # "north korea" -> KP
    country_names: Mapping[str, str]  # KP -> "North Korea"
    kind_words: Mapping[str, str]  # "province" -> province (after a name)
    locator_preps: frozenset[str]  # "in", ",": "Tumen in Jilin Province"
    role_cues: Mapping[Phrase, str]  # "handed over at" -> handover; "via" -> transit
    event_roles: Mapping[str, str]  # event type -> role of a place after its trigger
    facility_heads: Mapping[Phrase, str]  # "detention center" -> detention
    facility_modifiers: frozenset[str]  # "border", "municipal"
    facility_links: frozenset[str]  # "in", "at", "of" before the facility's place
    # Countries where the people of these reports are safe: a town there named before an
    # arrest told by "there" or "the same city" is where the news came from.
    safe_countries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DateTables:
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    ordinal_suffixes: frozenset[str]
    units: Mapping[str, str]  # "day" -> day, "weeks" -> week, "months" -> month
    ago: frozenset[str]
    last: frozenset[str]  # "last", "past", "previous"
    this: frozenset[str]  # "this", "the current"
    earlier: frozenset[str]  # "earlier", "late", "early", "mid"
    yesterday: frozenset[str]
    today: frozenset[str]
    aggregate_preps: frozenset[str]  # "since": a starting point of a statistic, not a date
    # Nouns of documents and statements: "Tuesday's report" dates a telling, not an event.
    document_nouns: frozenset[str] = frozenset()
    # "according to the man's brother, who reached South Korea in 2016": a date in a clause
    # about the source (opened by one of ``source_relatives`` after a comma, after one of
    # ``attributions`` or a speech verb) dates the source's life, not the incident.
    source_relatives: frozenset[str] = frozenset()
    # Nouns of a custody step a date is told from ("three days after the arrest").
    event_nouns: frozenset[str] = frozenset()
    event_determiners: frozenset[str] = frozenset()  # "the", "their" (arrest)
    place_relatives: frozenset[str] = frozenset()  # "where" (the family lived)
    attributions: frozenset[str] = frozenset()
    # Verbs of a life before custody ("where the family lived before it fled in 2019").
    background_verbs: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SourceTables:
    anonymous_nouns: frozenset[Phrase]  # "source", "sources", "official", "resident"
    anonymous_starts: frozenset[str]  # "a", "an", "one", "two", "several"
    modifier_starts: frozenset[str]  # "familiar", "in", "close", "inside" after the noun
    stop_words: frozenset[str]  # "who", "said", "told": end of the source phrase
    anonymity_phrases: frozenset[Phrase]  # "asked for anonymity"
    speech_verbs: frozenset[str]  # "said", "told"
    according_to: frozenset[Phrase]  # "according to"
    title_words: frozenset[str]  # "director", "spokesman"
    outlet_words: frozenset[str]  # words of outlets that report, not sources ("daily nk")


@dataclass(frozen=True, slots=True)
class LawTables:
    phrases: Mapping[Phrase, str]  # phrase -> instrument id
    # Instruments found by a keyword plus a context word in the same sentence.
    contextual: tuple[tuple[frozenset[Phrase], frozenset[Phrase], str], ...]
    exclusions: Mapping[str, frozenset[Phrase]]  # id -> context phrases that rule it out


@dataclass(frozen=True, slots=True)
class FlagTables:
    # flag -> tuple of (first words, second words, max token distance) co-occurrence rules;
    # the span runs from the first to the end of the second.
    rules: Mapping[str, tuple[tuple[frozenset[Phrase], frozenset[Phrase], int], ...]]
    minor_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class SegmentTables:
    separation_markers: frozenset[Phrase]  # "earlier", "in a separate case"
    anaphora: frozenset[Phrase]  # "they", "the defectors": back to the current incident
    headline_max_chars: int
    # "he", "the woman", "the pastor": back to the incident of one person.
    singular_anaphora: frozenset[Phrase] = frozenset()
    # Words after which a sentence's subject follows ("the source said the group ...").
    subject_leads: frozenset[str] = frozenset()
    # Words a sentence may open with before its subject ("But", "Later", "Then").
    openers: frozenset[str] = frozenset()
    # "all three groups", "both groups": a sentence about every incident told before it.
    distributive: frozenset[Phrase] = frozenset()
    # Pronouns of people: a sentence with one and an event may open an incident whose
    # people an earlier sentence introduced ("police officers arrested her there").
    person_pronouns: frozenset[str] = frozenset()
    # Pronouns and possessives that gender one person ("his flat", "she was held").
    male_pronouns: frozenset[str] = frozenset()
    female_pronouns: frozenset[str] = frozenset()
    # "where they were arrested": the places of the group's arrest, named before.
    arrest_place_references: frozenset[Phrase] = frozenset()
    # "arrested them there", "at the station in the same town", "the city's bus station":
    # an arrest whose place is the one named before, and the words before "there" that
    # make it a place of origin or an opener ("from there", "there were").
    place_back_references: frozenset[Phrase] = frozenset()
    not_place_there_before: frozenset[str] = frozenset()
    not_place_there_after: frozenset[str] = frozenset()
    # Anaphora too loose to name the group as an object ("arrested those who helped").
    loose_anaphora: frozenset[str] = frozenset()
    # Nouns of who tells or helps, whose town describes them ("a shelter worker in Chiang
    # Rai", "a charity in Kunming", "a group based in Seoul"): the town is no event's place.
    describer_nouns: frozenset[str] = frozenset()
    # Relative pronouns after "a woman in Seoul" that make the town hers ("whose sister
    # was taken"), not the act's.
    describer_relatives: frozenset[str] = frozenset()
    describer_preps: frozenset[str] = frozenset()  # "in"
    describer_places: frozenset[str] = frozenset()  # "based" ("a group based in Seoul")
    describer_articles: frozenset[str] = frozenset()  # "a", "an", "one"
    # Determiners before a group noun: without one it is a bare plural newly named.
    definite_group_markers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LanguageTables:
    code: str
    numbers: NumberTables
    counts: CountTables
    events: EventTables
    places: PlaceTables
    dates: DateTables
    sources: SourceTables
    law: LawTables
    flags: FlagTables
    segment: SegmentTables


def tables_for(language: str) -> LanguageTables | None:
    """The tables of ``language``, or None when Refuge cannot read it yet."""
    if language == "en":
        from refuge.extract.lang import en

        return en.TABLES
    return None


SUPPORTED_LANGUAGES = ("en",)

__all__ = [
    "SUPPORTED_LANGUAGES",
    "CountTables",
    "DateTables",
    "EventTables",
    "FlagTables",
    "LanguageTables",
    "LawTables",
    "NumberTables",
    "PlaceTables",
    "SegmentTables",
    "SourceTables",
    "tables_for",
]
