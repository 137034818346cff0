"""Entities with knowledge-base ids, the safeguarding check, and both as Rasa
components (created and run the way Rasa tests its own SpacyEntityExtractor)."""
from __future__ import annotations

import pytest

from bot.nlu.entities import EntityFinder
from bot.safety import SafetyCheck


@pytest.fixture(scope="module")
def finder(nlp):
    return EntityFinder(nlp)


@pytest.mark.parametrize("text, expected", [
    ("how do I become a physio", [("profession", "physiotherapist", "physio")]),
    # misspelt, upper case: the value is the id, the span is the original characters
    ("what do PHYSIOTERAPISTS do", [("profession", "physiotherapist", "PHYSIOTERAPISTS")]),
    ("compare dietitians and speech & language therapists",
     [("profession", "dietitian", "dietitians"),
      ("profession", "speech-and-language-therapist", "speech & language therapists")]),
    ("I'm a support worker in a care home", [("profession", "ahp-support-worker", "support worker")]),
    ("is the support worker route ok", [("route", "support-worker", "support worker route")]),
    ("can I do a degree apprenticeship in radiography",
     [("route", "apprenticeship", "degree apprenticeship"),
      ("profession_group", "radiography", "radiography")]),
    ("arts therapists vs an art therapist",
     [("profession_group", "arts-therapies", "arts therapists"),
      ("profession", "art-therapist", "art therapist")]),
    ("wanna be a paramedik", [("profession", "paramedic", "paramedik")]),
    ("ex-paramedic, out since 2016", [("profession", "paramedic", "paramedic")]),
    ("mental health matters to me", []),           # "matters" is a word, not "masters"
    ("what are AHPs", []),                         # the whole family is a topic, not a choice
    ("", []),
    ("🙂🙂🙂", []),
])
def test_entities_have_ids_and_original_spans(finder, text, expected):
    found = finder(text)
    assert [(f.entity, f.value, f.text) for f in found] == expected
    for f in found:
        assert text[f.start:f.end] == f.text


def test_odd_unicode_keeps_offsets(finder):
    text = "İstanbul’da ﬁne, I'd like OT"
    [found] = finder(text)
    assert (found.value, text[found.start:found.end]) == ("occupational-therapist", "OT")


@pytest.fixture(scope="module")
def at_risk(nlp):
    """The phrase lists alone (no trained classifier): what they must catch by themselves."""
    return SafetyCheck.from_pipeline(nlp)


@pytest.mark.parametrize("text, kind", [
    ("i wanna die", "suicide"), ("I want to kill myself", "suicide"), ("i self harm", "self_harm"),
    ("my stepdad hits me", "abuse"), ("im being bullied at school and i hate it", "bullying"),
    ("I took an overdose last night", "medical_emergency"),
    ("my friend says she is going to kill herself", "friend"),
    ("my mate says he wants to die", "friend"),
    ("i cant go on anymore", "suicide"), ("nobody would miss me if i was gone", "suicide"),
    ("i've been starving myself to lose weight", "eating_disorder"),
    ("\U0001f48a\U0001f48a took a load of pills an hour ago", "medical_emergency"),
    ("I want to work with people who self harm because I self harm", "self_harm"),
])
def test_risk_is_recognised_with_its_kind(at_risk, text, kind):
    verdict = at_risk.assess(text)
    assert verdict.risk and verdict.kind == kind


def test_a_past_that_is_back_now_is_risk(at_risk):
    assert at_risk("I took an overdose at 16, got help, but lately I've been thinking about it again")


def test_risk_in_one_sentence_of_a_career_question_keeps_the_career_part(at_risk):
    verdict = at_risk.assess("honestly i want to die. anyway how much do physios earn?")
    assert verdict.risk and verdict.kind == "suicide"
    assert "physios" in verdict.career and "die" not in verdict.career


@pytest.mark.parametrize("text", [
    "I'd like to work with people who self harm",
    "I want to help people with depression",
    "paramedics see overdoses all the time",
    "is suicide prevention a job for an occupational therapist",
    "I love sport and I'm good at biology", "", "   ",
    # a calm past, told while asking about a career
    "I took an overdose at 16 but got help and I've been well for years, could I be a paramedic?",
])
def test_career_talk_is_no_false_alarm(at_risk, text):
    assert not at_risk(text)


class _FixedModel:
    """A classifier that hears the same amount of risk in everything."""
    def __init__(self, odds):
        self.odds, self.threshold = odds, 0.5

    def probabilities(self, texts):
        return [self.odds] * len(texts)

    def which(self, raw, prepared):
        return "abuse"


@pytest.mark.parametrize("odds, alarm", [(0.02, False), (0.3, True)])
def test_a_risk_topic_needs_a_little_risk_from_the_classifier(nlp, odds, alarm):
    # "neglect" about themselves: an alarm when the classifier hears some risk (below its own
    # threshold), none when it hears almost none
    check = SafetyCheck.from_pipeline(nlp, _FixedModel(odds))
    verdict = check.assess("I grew up in care because of neglect and I think about it a lot")
    assert verdict.risk == alarm and (not alarm or verdict.reason == "topic")


@pytest.mark.parametrize("odds, alarm", [(0.02, False), (0.2, True)])
def test_a_risk_phrase_needs_a_little_risk_from_the_classifier(nlp, odds, alarm):
    # below the classifier's own threshold, but not nothing: an overdose told as a long
    # recovered past is no alarm, the same words with a hint of risk are
    check = SafetyCheck.from_pipeline(nlp, _FixedModel(odds))
    assert check.assess("my stepdad hits me when he's drunk").risk == alarm


class _OneSentenceModel(_FixedModel):
    """A classifier that hears risk in one sentence only, and `whole` in the message around it."""
    def __init__(self, risky_words, whole):
        super().__init__(0.0)
        self.risky_words, self.whole = risky_words, whole

    def probabilities(self, texts):
        odds = [0.9 if self.risky_words in raw and len(texts) > 1 and i < len(texts) - 1 else 0.0
                for i, (raw, _) in enumerate(texts)]
        return odds[:-1] + [self.whole] if len(texts) > 1 else [0.9 if self.risky_words in texts[0][0] else 0]


@pytest.mark.parametrize("whole, alarm", [(0.02, False), (0.4, True)])
def test_a_sentence_only_the_classifier_fears_needs_support_from_its_message(nlp, whole, alarm):
    """A fragment cut out of a calm careers message ("i can't stop earning, it's just my wage")
    is no alarm when the whole message sounds calm to the classifier; it is when it does not."""
    check = SafetyCheck.from_pipeline(nlp, _OneSentenceModel("can't stop earning", whole))
    verdict = check.assess("I'm a nursery nurse. I'd love to be an OT but I can't stop earning, it's "
                           "just my wage coming in.")
    assert verdict.risk == alarm


@pytest.mark.parametrize("text, alarm", [
    ("I cut myself a few times when I was 13. I'm 19 now and doing really well. Could I be an OT?", False),
    ("I cut myself a few times when I was 13. I'm 19 now and it's started again. Could I be an OT?", True),
])
def test_a_calm_past_needs_the_classifier_to_hear_risk_in_the_whole_message(nlp, text, alarm):
    """Told as over (a past cue, a recovered cue, nothing about now), a sentence of risk words is
    no alarm unless the classifier hears risk in the message as a whole; said to be back, it is."""
    check = SafetyCheck.from_pipeline(nlp, _OneSentenceModel("cut myself", 0.3))
    assert check.assess(text).risk == alarm


@pytest.mark.parametrize("text, odds, alarm", [
    ("ugh i want to die, the interview is TOMORROW not friday \U0001f602", 0.6, False),
    ("my mum's going to kill me if my room isn't tidy jk", 0.6, False),
    ("ugh i want to die, the interview is TOMORROW not friday \U0001f602", 0.95, True),  # sure of it
    ("i want to die \U0001f602 not even joking", 0.6, True),   # said to be meant
    ("jk... kinda not, i want to die", 0.6, True),
])
def test_risk_words_told_as_a_joke_need_a_sure_classifier(nlp, text, odds, alarm):
    check = SafetyCheck.from_pipeline(nlp, _FixedModel(odds))
    assert check.assess(text).risk == alarm


class _WordModel(_FixedModel):
    """A classifier that hears risk in any text with `word` in it."""
    def __init__(self, word):
        super().__init__(0.0)
        self.word = word

    def probabilities(self, texts):
        return [0.9 if self.word in raw.lower() else 0.0 for raw, _ in texts]


@pytest.mark.parametrize("text, alarm", [
    ("this personal statement will be the death of me. do dietitians need chemistry?", False),
    ("Dying to know what paramedics earn", False),
    ("i think about death all the time", True),
])
def test_figures_of_speech_are_left_out_before_the_message_is_read(nlp, text, alarm):
    word = "death" if "death" in text else "dying"
    assert SafetyCheck.from_pipeline(nlp, _WordModel(word)).assess(text).risk == alarm


def test_a_joke_does_not_switch_off_the_lists_without_the_classifier(at_risk):
    assert at_risk("i want to die \U0001f602")


@pytest.mark.parametrize("text, kind", [
    ("feeling sucidal tonight", "suicide"),            # a list word misspelt
    ("i self harmed", "self_harm"),                    # an inflection the lemma table lacks
    ("been selfharming again", "self_harm"),           # a list phrase run together
])
def test_misspelt_inflected_and_run_together_list_words_are_read(at_risk, text, kind):
    verdict = at_risk.assess(text)
    assert verdict.risk and verdict.kind == kind


def test_a_risk_topic_about_oneself_is_not_a_friend_at_risk(at_risk):
    # the friend list's "she self-harms" must not read every "self harm" as someone else's
    assert at_risk.assess("self harm again, i hate myself").kind == "self_harm"


def _rasa_messages(*texts):
    from rasa.shared.nlu.training_data.message import Message
    return [Message(data={"text": t}) for t in texts]


def _reader_component(built):
    from bot.nlu.components import MessageReader
    config = {**MessageReader.get_default_config(), "knowledge_db": str(built / "knowledge.db")}
    return MessageReader.create(config, None, None, None)


def test_message_reader_component_gives_entities_and_the_reading(built):
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    model = SpacyNLP.load_model(str(built / "spacy"))
    [message] = _reader_component(built).process(_rasa_messages("how do i become an ODP"), model)
    [entity] = message.get("entities")
    assert entity["entity"] == "profession"
    assert entity["value"] == "operating-department-practitioner"
    assert entity["extractor"] == "MessageReader"
    assert entity["role"] == "target"
    assert (entity["start"], entity["end"]) == (19, 22)
    assert message.get("reading")["target"] == "operating-department-practitioner"
    assert "reading" in message.as_dict(only_output_properties=True)   # reaches the actions


def test_the_reading_keeps_circumstances_the_question_carries(built):
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    model = SpacyNLP.load_model(str(built / "spacy"))
    [message] = _reader_component(built).process(
        _rasa_messages("i'm a physio assistant, could i train as a physio without quitting?"), model)
    reading = message.get("reading")
    assert reading["target"] == "physiotherapist"
    assert "support-worker" in reading["profile"]["signals"]


def _screen_and_classify(built, *texts):
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from bot.nlu.components import SafeguardingClassifier, SafetyScreen
    model = SpacyNLP.load_model(str(built / "spacy"))
    screen = SafetyScreen.create({"model": str(built / "none.pkl"),   # the lists only
                                  "pipeline": str(built / "spacy")}, None, None, None)
    classifier = SafeguardingClassifier.create(SafeguardingClassifier.get_default_config(),
                                               None, None, None)
    messages = screen.process(_rasa_messages(*texts))
    for m in messages:   # what DIET would have said
        m.set("intent", {"name": "tell_about_me", "confidence": 0.4})
        m.set("intent_ranking", [{"name": "tell_about_me", "confidence": 0.4}])
    return classifier.process(messages)


def test_safeguarding_components_set_at_risk_and_keep_the_career_part(built):
    risky, career, mixed = _screen_and_classify(
        built, "i want to end my life", "I want to work in mental health",
        "honestly i want to die lol. anyway what do dietitians earn")
    assert risky.get("intent") == {"name": "at_risk", "confidence": 1.0}
    # alone, so the fallback never finds it close to another intent; DIET's kept apart
    assert risky.get("intent_ranking") == [{"name": "at_risk", "confidence": 1.0}]
    assert risky.get("career_ranking")[0]["name"] == "tell_about_me"
    assert [e["value"] for e in risky.get("entities") if e["entity"] == "risk_kind"] == ["suicide"]
    assert career.get("intent")["name"] == "tell_about_me"
    # the rest of the pipeline read only the career sentence; the tracker keeps the message
    assert mixed.get("intent")["name"] == "at_risk"
    assert mixed.get("text") == "what do dietitians earn"


def test_safeguarding_component_withdraws_a_false_alarm_on_career_talk(built):
    from bot.nlu.components import SafeguardingClassifier
    component = SafeguardingClassifier.create(SafeguardingClassifier.get_default_config(),
                                              None, None, None)
    [career] = _rasa_messages("working with people who self-harm sounds meaningful to me")
    career.set("intent", {"name": "at_risk", "confidence": 0.85})
    career.set("intent_ranking", [{"name": "at_risk", "confidence": 0.85},
                                  {"name": "tell_about_me", "confidence": 0.1}])
    component.process([career])
    assert career.get("intent") == {"name": "tell_about_me", "confidence": 0.1}


@pytest.mark.parametrize("word, read_as", [
    ("starting", "starting"), ("sorting", "sorting"), ("waiting", "waiting"),   # English, not "sporting"
    ("swiming", "swimming"), ("fotball", "football"), ("physiotheraphy", "physiotherapy"),
    # spelt as it sounds
    ("ocupashunal", "occupational"), ("fiziotherapist", "physiotherapist"), ("nutrishun", "nutrition")])
def test_inflected_english_words_stay_and_misspelt_domain_words_are_fixed(nlp, word, read_as):
    from bot.nlp import Normaliser
    assert Normaliser.from_pipeline(nlp).correct(word) == read_as
