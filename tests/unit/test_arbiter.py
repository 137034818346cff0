"""A greeting or thanks that also tells the assistant something, or a long story
DIET can't place, is answered for what it says (bot/nlu/arbiter.py)."""
from __future__ import annotations

import pytest

from bot.nlu.arbiter import choose


def ranked(*pairs):
    return [{"name": n, "confidence": c} for n, c in pairs]


def chosen_with_knowledge(matcher, kb, ranking, text):
    """The arbiter's choice with the knowledge base's cue words, as the pipeline runs it."""
    from bot.nlu.arbiter import knowledge_intent
    found = choose(ranking, matcher.understand.read(text), text, knowledge_intent(kb, matcher.normaliser))
    return (found or {}).get("name")


@pytest.mark.parametrize("text, ranking, expected", [
    # a greeting that goes on to say what they love
    ("hiya! i'm in year 9 and i'm obsessed with netball", ranked(("greet", 0.8), ("tell_about_me", 0.1)),
     "tell_about_me"),
    # thanks, then a question: the question's intent
    ("thanks! and how would i become a paramedic", ranked(("thank", 0.6), ("ask_routes", 0.3)), "ask_routes"),
    # a long story DIET is unsure of, full of interests
    ("so basically i spend every weekend at the skate park and i help my nan with her garden",
     ranked(("out_of_scope", 0.3), ("tell_about_me", 0.25)), "tell_about_me"),
    # small talk DIET is sure of stays small talk, whatever a word in it might mean
    ("talk later then", ranked(("goodbye", 0.95),), None),
    # out of scope with a topic word is still out of scope
    ("got a good recipe for lasagne", ranked(("out_of_scope", 0.5), ("tell_about_me", 0.3)), None),
    # nothing to read: DIET stands
    ("hello there friend", ranked(("greet", 0.9),), None),
    ("thanks", ranked(("thank", 0.9),), None),
    # an interest said on its own, which DIET can't place
    ("drama", ranked(("greet", 0.4), ("affirm", 0.3)), "tell_about_me"),
    ("hmm", ranked(("greet", 0.4), ("affirm", 0.3)), None),
    # where they are, said on its own, which DIET can't place either
    ("dietitian, retired", ranked(("greet", 0.3), ("affirm", 0.25)), "tell_about_me"),
    ("year eleven", ranked(("affirm", 0.3), ("greet", 0.2)), "tell_about_me"),
    # "telling about me" with nothing about them, but a job named: the job question
    ("what does a podiatrist actually do", ranked(("tell_about_me", 0.5), ("ask_profession_info", 0.3)),
     "ask_profession_info"),
    # DIET is sure of a careers intent: it stands
    ("what does a paramedic do all day", ranked(("ask_profession_info", 0.9),), None),
    # "what are the AHPs" words around one named job: a question about that job
    ("so what is an orthoptist in the ahp world", ranked(("ask_what_are_ahps", 0.95),), "ask_profession_info"),
    ("what are the allied health professions", ranked(("ask_what_are_ahps", 0.95),), None),
    # DIET unsure: its best careers guess, never "what can you do?" (a reply, not an answer)
    ("and what about the language side of it?", ranked(("help", 0.4), ("ask_profession_info", 0.35)),
     "ask_profession_info"),
])
def test_what_the_message_says_decides_when_diet_cannot(matcher, text, ranking, expected):
    found = choose(ranking, matcher.understand.read(text), text)
    assert (found or {}).get("name") == expected


@pytest.mark.parametrize("text, expected", [
    ("will the HCPC find me a placement?", "ask_rtp_myth"),
    ("is there a grant or bursary for students", "ask_money"),
    ("what about work experience or shadowing someone", "ask_next_steps"),
    # "get in" is also a cue of a course's entry answer, but the question says more about routes
    ("so how would i get in after sixth form", "ask_routes"),
    ("which subjects should i study to get in", "ask_routes"),
    ("and what sort of fees are we talking", "ask_money"),
    ("so what would i have to do first", "ask_routes"),
    ("the weather is nice today", None),
])
def test_an_unsure_question_is_placed_by_the_knowledge_base_s_own_words(matcher, kb, text, expected):
    unsure = ranked(("ask_regulator", 0.2), ("ask_rtp_myth", 0.1))
    assert chosen_with_knowledge(matcher, kb, unsure, text) == expected


@pytest.mark.parametrize("text, ranking, expected", [
    # a question that starts as one, which DIET reads as a no for its "not"
    ("is it not basically the same as a nutritionist", ranked(("deny", 0.9),), "ask_difference"),
    ("does that not mean uni first", ranked(("deny", 0.8),), "ask_profession_info"),
    # a yes or a no that goes on to ask: still a yes or a no
    ("yeah can you show me", ranked(("affirm", 0.95),), None),
    ("nope not that one", ranked(("deny", 0.95),), None),
])
def test_a_question_that_reads_like_a_no_is_a_question(matcher, kb, text, ranking, expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, ranking", [
    ("does she work with footballers as well or just old people", ranked(("tell_about_me", 0.8),)),
    ("can they do music stuff with kids too", ranked(("affirm", 0.5), ("tell_about_me", 0.3))),
])
def test_a_question_about_the_job_with_interest_words_is_about_the_job(matcher, kb, text, ranking):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


@pytest.mark.parametrize("text, ranking, expected", [
    # DIET half reads a way in as dates: a route named, no word of dates
    ("ok is there an apprenticeship version so i could stay local",
     ranked(("ask_key_dates", 0.3), ("ask_routes", 0.2)), "ask_routes"),
    # DIET's weak guess has words of its own in the message: it stands
    ("when do the applications open for the degree", ranked(("ask_key_dates", 0.4), ("ask_routes", 0.3)),
     "ask_key_dates"),
    # a two-word question in the knowledge base's words, DIET unsure: that question
    ("how long?", ranked(("nlu_fallback", 0.4), ("ask_next_steps", 0.35)), "ask_entry_requirements"),
    ("salary?", ranked(("nlu_fallback", 0.4), ("affirm", 0.3)), "ask_pay"),
    # how long a course takes, asked as how fast, which DIET takes for something off the topic
    ("ok how quick is quick then", ranked(("out_of_scope", 0.6), ("ask_pay", 0.2)), "ask_entry_requirements"),
    # a route named as what the money would be for: a money question
    ("would i get anything towards the fees if i went for the masters route",
     ranked(("ask_routes", 0.4), ("ask_money", 0.3)), "ask_money"),
    ("could i get a student loan for the degree one", ranked(("ask_profession_info", 0.4), ("ask_money", 0.3)),
     "ask_money"),
    # which A levels to take: what the course asks for, not the ways in
    ("so which a levels should i be taking then", ranked(("ask_routes", 0.4), ("ask_entry_requirements", 0.3)),
     "ask_entry_requirements"),
    # ... but DIET sure of small talk stands
    ("ok thanks", ranked(("thank", 0.95),), None),
])
def test_an_unsure_careers_guess_gives_way_to_what_the_words_ask(matcher, kb, text, ranking, expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, described", [
    # a job pointed to by what it does, in the words a teenager uses
    ("tell me about the one with the scanners", "diagnostic-radiographer"),
    ("which one of them works with kids' eyes", "orthoptist"),
    ("is there one where you treat people's feet", "podiatrist"),
    ("the ambulance one, how do i get in", "paramedic"),
    ("and a therapeutic one?", "therapeutic-radiographer"),   # a word of one job's name
    # asked as a kind or a type of job
    ("which type works with people's feet", "podiatrist"),
    ("which kind of radiographer treats cancer", "therapeutic-radiographer"),
    # a job told by what someone in it did, or by what it uses
    ("the guy who fitted my grandad's false legs, is that an nhs job", "prosthetist-orthotist"),
    ("the one that makes bionic arms for people", "prosthetist-orthotist"),
    ("apparently there's a job where you use art as therapy, what's that", "art-therapist"),
    # a description no job clearly leads, or none at all: nothing is guessed
    ("the one that people like", None),
    ("is there one that's less stressful", None),
    # an ordinal or a name is not a description
    ("tell me about the first one", None),
    ("the physio one", None),
])
def test_a_job_described_not_named_is_the_one_asked_about(matcher, text, described):
    reading = matcher.understand.read(text)
    assert reading.described == described
    if described:
        assert reading.target == described


def test_a_description_turns_a_list_question_into_a_question_about_that_job(matcher):
    text = "which one of them does children's eyes"
    found = choose(ranked(("ask_what_are_ahps", 0.7), ("tell_about_me", 0.2)),
                   matcher.understand.read(text), text)
    assert found["name"] == "ask_profession_info"


def test_the_arbiters_choice_is_not_left_beside_diets_old_first_choice():
    """Rasa's FallbackClassifier calls two close intents ambiguous: DIET's old first
    choice must fall below the chosen one, in DIET's order and summing to what is left."""
    from bot.nlu.components import ranked_first
    chosen = {"name": "ask_profession_info", "confidence": 0.9}
    result = ranked_first(chosen, ranked(("ask_what_are_ahps", 0.96), ("ask_profession_info", 0.02),
                                         ("greet", 0.02)))
    assert [r["name"] for r in result] == ["ask_profession_info", "ask_what_are_ahps", "greet"]
    assert result[1]["confidence"] < 0.9 - 0.05
    assert result[1]["confidence"] > result[2]["confidence"]
    assert sum(r["confidence"] for r in result) == pytest.approx(1.0)


@pytest.mark.parametrize("text, diet, expected", [
    # DIET's question has none of its words in the message; another question's are there
    ("how much is the pay like", "ask_profession_info", "ask_pay"),
    ("we've got a mortgage, is there a way to be employed while I learn?", "ask_outreach", "ask_routes"),
    ("how do i apply to be one", "ask_key_dates", "ask_routes"),
    # a way in asked for by the shape of the words, not a listed phrase
    ("if he went off uni altogether, is there some other route into it?", "ask_profession_settings",
     "ask_routes"),
    ("could someone start at the bottom and work their way up to it", "ask_demand", "ask_routes"),
    # DIET's question has its own words: it stands
    ("what's the pay like for a physio", "ask_pay", None),
    # no question's words at all: DIET stands
    ("where do paramedics work", "ask_profession_settings", None),
])
def test_a_questions_own_words_beat_an_unsupported_guess(matcher, kb, text, diet, expected):
    ranking = ranked((diet, 0.8), ("ask_routes", 0.1), ("ask_pay", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("How many days then?", "ask_return_to_practice"),   # a question, not a yes
    ("ok cool thanks", None),                             # small talk stays small talk
])
def test_a_question_is_not_small_talk(matcher, kb, text, expected):
    ranking = ranked(("affirm", 0.6), ("ask_profession_info", 0.3))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("ok and how would i get in then", "ask_routes"),   # a routes question, not "what can you do?"
    ("what can you do", None),
    ("how does this chat work", None),
])
def test_a_question_in_its_own_words_is_not_a_request_for_help(matcher, kb, text, expected):
    assert chosen_with_knowledge(matcher, kb, ranked(("help", 0.8), ("ask_routes", 0.1)), text) == expected


def test_a_story_about_their_hobbies_is_about_them_not_off_topic(matcher):
    text = "me and my mates film dance videos and i do all the editing and the football"
    found = choose(ranked(("out_of_scope", 0.7), ("tell_about_me", 0.2)), matcher.understand.read(text), text)
    assert found["name"] == "tell_about_me"


def test_which_job_does_something_is_a_question_about_that_one_job(matcher):
    text = "which job helps people who can't swallow after a stroke"
    reading = matcher.understand.read(text)
    assert reading.described == "speech-and-language-therapist"   # the "not" still describes
    assert choose(ranked(("find_career", 0.8),), reading, text)["name"] == "ask_profession_info"
    # "is there a job where ...": a list of what could suit them is fine
    other = "is there a job where you're in the operating theatre"
    assert choose(ranked(("find_career", 0.8),), matcher.understand.read(other), other) is None


@pytest.mark.parametrize("text, expected", [
    # a way in that "starts" somewhere is a routes question: starting again would forget them
    ("not sure about uni, could i start off as an assistant and work my way up", "ask_routes"),
    ("can we start again from scratch", None),
])
def test_starting_somewhere_is_not_starting_again(matcher, kb, text, expected):
    ranking = ranked(("restart", 0.9), ("ask_routes", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_a_life_story_that_ends_with_a_question_is_still_about_them(matcher):
    text = ("Plumber for twenty years, 44 now. In my spare time I build model railways and I've rigged up "
            "a little workshop in the garage where I fix the neighbours' bikes. My dad's physio made him a "
            "splint last year and I keep thinking I could do that. Is there a job like that?")
    found = choose(ranked(("out_of_scope", 0.7), ("tell_about_me", 0.2)), matcher.understand.read(text), text)
    assert (found or {}).get("name") == "tell_about_me"


def test_an_unsure_question_naming_one_job_is_about_that_job(matcher, kb):
    text = "do paramedics really see people at their worst?"
    ranking = ranked(("ask_resources", 0.3), ("ask_key_dates", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


@pytest.mark.parametrize("text, ranking, expected", [
    # too close to call: the question its words say more of
    ("do you need to be able to drive to be a paramedic",
     ranked(("ask_entry_requirements", 0.48), ("ask_practical", 0.46)), "ask_practical"),
    # too close, and no word for either: DIET's first, not "did you mean ...?"
    ("what about orthoptists then",
     ranked(("ask_pay", 0.49), ("ask_demand", 0.47)), "ask_pay"),
])
def test_two_careers_questions_too_close_to_call_are_decided_not_asked_back(matcher, kb, text, ranking,
                                                                              expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_an_unsure_question_naming_a_way_in_is_about_that_way_in(matcher, kb):
    ranking = ranked(("ask_profession_info", 0.3), ("ask_routes", 0.2), ("ask_key_dates", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "so what's the apprenticeship in it like") == "ask_routes"
    # ... also when its words are those of a question about a job ("what's an")
    assert chosen_with_knowledge(matcher, kb, ranking, "and whats an apprenticeship in it like") == "ask_routes"


@pytest.mark.parametrize("text, ranking, expected", [
    ("so do u have to go to uni for that", ranked(("ask_money", 0.6), ("ask_routes", 0.2)), "ask_routes"),
    ("which unis do it", ranked(("ask_resources", 0.3), ("ask_key_dates", 0.2)), "ask_routes"),
    ("what subjects should i take for it", ranked(("find_career", 0.4), ("ask_entry_requirements", 0.35)),
     "ask_entry_requirements"),
])
def test_everyday_words_for_uni_and_school_subjects_say_what_is_asked(matcher, kb, text, ranking, expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text", ["so who sorts that out then", "ok what else would count", "and why is that",
                                  # (after a surprise or a go-ahead: "oh really.", "go on then,")
                                  "oh wow. so what happens next then", "go on then, how would that work"])
def test_a_follow_up_question_read_as_a_yes_is_a_question(matcher, kb, text):
    ranking = ranked(("affirm", 0.7), ("ask_what_are_ahps", 0.1), ("restart", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, text) not in (None, "affirm", "ask_what_are_ahps")


@pytest.mark.parametrize("text, first", [
    ("would doing that help me end up being a dietitian?", "ask_progression"),
    ("is there any way I could go on to be a proper OT after this", "ask_next_steps"),
    # asked inside the sentence, "the X one" for the job, and DIET's own "ways in" kept
    ("so one day could i become the physio one", "ask_routes"),
])
def test_a_step_towards_the_job_they_want_is_a_question_about_its_ways_in(matcher, kb, text, first):
    ranking = ranked((first, 0.6), ("ask_routes", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_routes"


def test_where_a_job_leads_is_still_progression(matcher, kb):
    ranking = ranked(("ask_progression", 0.8), ("ask_routes", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "where can being a paramedic lead") in (None, "ask_progression")


def test_an_unsure_step_towards_a_job_is_about_its_ways_in(matcher, kb):
    ranking = ranked(("ask_resources", 0.4), ("ask_routes", 0.35))
    assert chosen_with_knowledge(matcher, kb, ranking,
                                 "could I then go on to be a proper podiatrist while I work?") == "ask_routes"


@pytest.mark.parametrize("text, ranking, expected", [
    ("cheers. so what are the steps then?", ranked(("thank", 0.55), ("ask_next_steps", 0.3)), "ask_routes"),
    ("my mate says band 6, would I be on that at the start?",
     ranked(("ask_my_results", 0.4), ("ask_pay", 0.38)), "ask_pay"),
])
def test_the_steps_and_a_band_say_what_is_asked(matcher, kb, text, ranking, expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("how would I become an electrician", "out_of_scope"),
    ("how do you get into journalism", "out_of_scope"),
    ("how do i become one", None),                 # the job being talked about
    ("how do i get into the nhs", None),
    ("how do I become a physio", None),
])
def test_the_ways_into_a_job_this_chat_does_not_cover_are_not_the_ahp_ways_in(matcher, kb, text, expected):
    ranking = ranked(("ask_routes", 0.9), ("ask_profession_info", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, text) in ((expected,) if expected else (None, "ask_routes"))


def test_whether_a_job_counts_as_an_ahp_stays_a_question_about_the_ahps(matcher, kb):
    ranking = ranked(("ask_what_are_ahps", 0.8), ("ask_profession_info", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "would orthoptists be classed as one of them") is None


def test_a_question_with_nothing_about_coming_back_is_not_read_as_returning(matcher, kb):
    ranking = ranked(("ask_return_to_practice", 0.6), ("ask_money", 0.3))
    assert chosen_with_knowledge(matcher, kb, ranking, "is there funding from the NHS for that?") == "ask_money"
    # ... but one that says so stays
    assert chosen_with_knowledge(matcher, kb, ranking, "is there funding for coming back?") in (None, "ask_return_to_practice")


def test_where_a_job_is_done_is_a_question_about_its_settings(matcher, kb):
    ranking = ranked(("ask_profession_info", 0.75), ("ask_profession_settings", 0.15))
    assert chosen_with_knowledge(matcher, kb, ranking, "do dietitians only work in hospitals then") \
        == "ask_profession_settings"


def test_whether_an_apprentice_is_paid_is_about_the_apprenticeship(matcher, kb):
    ranking = ranked(("ask_pay", 0.8), ("ask_money", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "do apprentices actually get a wage") == "ask_routes"


def test_an_unsure_pay_question_about_a_way_in_is_about_that_way_in(matcher, kb):
    ranking = ranked(("ask_pay", 0.38), ("ask_routes", 0.22))
    assert chosen_with_knowledge(matcher, kb, ranking, "and the apprenticeship, is that paid") == "ask_routes"


@pytest.mark.parametrize("text, ranking, expected", [
    # "start again" forgets everything: only its own words start again
    # ... and getting back in is coming back to the job, not starting the chat again
    ("keen to get back in now", ranked(("restart", 0.85), ("ask_return_to_practice", 0.1)),
     "ask_return_to_practice"),
    ("i'd like to get back in, so what's the first step", ranked(("restart", 0.7), ("ask_next_steps", 0.2)),
     "ask_return_to_practice"),   # "get back in", "first step": the way back in
    ("can we wipe all that and start over", ranked(("restart", 0.9),), None),
    # a careers question DIET takes for asking for a person: what its words ask
    ("so how many days would I need then?", ranked(("human_handoff", 0.6), ("ask_next_steps", 0.2)),
     "ask_return_to_practice"),
])
def test_a_conversation_restarts_only_when_asked_to(matcher, kb, text, ranking, expected):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, ranking", [
    ("my cousin keeps going on about becoming an orthoptist and I nodded along... what is it?",
     ranked(("ask_money", 0.8), ("find_career", 0.1))),
    ("a teacher told me to look into podiatry, what's that", ranked(("ask_my_results", 0.7),)),
    # the question first, then the story behind it
    ("what does a dietitian even do? the school nurse mentioned one at my check-up",
     ranked(("ask_rtp_myth", 0.8), ("ask_routes", 0.1))),
])
def test_what_is_it_after_one_job_named_asks_about_that_job(matcher, kb, text, ranking):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


def test_what_do_i_do_is_not_a_question_about_the_job_named(matcher, kb):
    ranking = ranked(("ask_return_to_practice", 0.8), ("ask_routes", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "dietitian, out 7 years. what do i actually do?") != (
        "ask_profession_info")


@pytest.mark.parametrize("text", ["roughly 7", "about five years", "8ish", "nearly 3 yrs now"])
def test_an_amount_on_its_own_tells_about_them(matcher, kb, text):
    """The answer to "how long have you been out?", not chit-chat or something off topic."""
    ranking = ranked(("out_of_scope", 0.7), ("greet", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "tell_about_me"


def test_a_question_typed_without_its_apostrophe_is_still_a_question(matcher, kb):
    ranking = ranked(("human_handoff", 0.6), ("ask_key_dates", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "so whats the number of days") == "ask_return_to_practice"


@pytest.mark.parametrize("text", ["and the other one?", "ok what about physio then", "same for radiographers?"])
def test_a_short_follow_up_pointing_at_a_job_is_answered_not_asked_back(matcher, kb, text):
    """DIET can't place "and the other one?": the replies answer it as the last question again."""
    ranking = ranked(("deny", 0.3), ("ask_pay", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


def test_a_money_question_with_nothing_about_returning_is_about_money(matcher, kb):
    ranking = ranked(("ask_return_to_practice", 0.8), ("ask_money", 0.15))
    text = "would he get a bursary or anything towards the course?"
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_money"


@pytest.mark.parametrize("text, expected", [
    ("ok and what's the very first thing to do", "ask_routes"),
    ("so are those 7 hour days?", "ask_return_to_practice"),
])
def test_unsure_questions_placed_by_their_words(matcher, kb, text, expected):
    assert chosen_with_knowledge(matcher, kb, ranked(("deny", 0.3), ("greet", 0.2)), text) == expected



@pytest.mark.parametrize("text", ["is it degree only?", "so is it uni or an apprenticeship then",
                                  "do most people go apprenticeship or uni for it"])
def test_a_choice_between_ways_in_is_a_routes_question(matcher, kb, text):
    """DIET unsure of a short question about the ways into the job being discussed: its ways in."""
    assert chosen_with_knowledge(matcher, kb, ranked(("ask_profession_info", 0.35), ("ask_pay", 0.3)),
                                 text) == "ask_routes"


@pytest.mark.parametrize("text, ranking", [
    # "you" for whoever does the job, with interest words in it: about the job, not about them
    ("do you get to use the ultrasound machines from day one or later on",
     ranked(("tell_about_me", 0.9), ("ask_profession_info", 0.05))),
    ("is sports rehab part of the job or a separate role", ranked(("ask_what_are_ahps", 0.8), ("find_career", 0.1))),
])
def test_a_question_about_what_the_job_involves_is_not_about_the_person(matcher, kb, text, ranking):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


@pytest.mark.parametrize("text, expected", [
    ("so the physio one how many years at uni", "ask_entry_requirements"),
    ("and the second one what's the salary", "ask_pay"),
    ("ok the dietitian one, where do they work", "ask_profession_settings"),
])
def test_a_short_follow_up_that_asks_in_its_own_words_asks_that(matcher, kb, text, expected):
    """Pointing at a job and asking about it: what its words ask, not the last question again."""
    ranking = ranked(("deny", 0.3), ("ask_profession_info", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("is there any grant for it? my savings won't last long", "ask_money"),
    ("what would I earn at the start, I'm on 28k now", "ask_pay"),
])
def test_telling_and_asking_too_close_to_call_is_the_question(matcher, kb, text, expected):
    """DIET torn between telling about oneself and a question ("did you mean ...?"): the question
    its words ask."""
    ranking = ranked(("tell_about_me", 0.5), (expected, 0.47), ("ask_demand", 0.02))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_telling_without_a_question_stays_telling(matcher, kb):
    ranking = ranked(("tell_about_me", 0.5), ("ask_money", 0.47))
    assert chosen_with_knowledge(matcher, kb, ranking, "money is tight at home, bills and all") != "ask_money"


@pytest.mark.parametrize("first", ["human_handoff", "help"])
def test_a_question_about_what_the_job_does_is_not_a_request_for_help(matcher, kb, first):
    ranking = ranked((first, 0.46), ("ask_profession_info", 0.16))
    assert chosen_with_knowledge(matcher, kb, ranking, "so do they actually stitch people up themselves") == (
        "ask_profession_info")


def test_asking_for_a_person_is_still_asking_for_a_person(matcher, kb):
    ranking = ranked(("human_handoff", 0.9), ("ask_profession_info", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, "can i talk to someone real please") is None


@pytest.mark.parametrize("text, guess, expected", [
    ("would he have to pay the fees if he went that way", "ask_pay", "ask_money"),
    ("so would she need to pay for the course herself", "ask_pay", "ask_money"),
])
def test_a_cue_word_inside_a_longer_cue_of_another_question_is_not_evidence(matcher, kb, text, guess, expected):
    """ "pay" in "pay the fees" asks what it costs, not what the job pays."""
    ranking = ranked((guess, 0.9), (expected, 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_what_a_job_pays_stays_a_pay_question(matcher, kb):
    ranking = ranked(("ask_pay", 0.9), ("ask_money", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, "what do they get paid once qualified") is None


@pytest.mark.parametrize("first, text, expected", [
    ("ask_what_are_ahps", "I've been asked to cover all the AHPs at our careers fair and half of them I've "
     "never heard of. What does a prosthetist actually do?", "ask_profession_info"),
    ("tell_about_me", "My lad is 16 and obsessed with the gym. Fine, but how much does a physio earn?", "ask_pay"),
])
def test_a_story_that_ends_by_asking_about_one_job_asks_that(matcher, kb, first, text, expected):
    ranking = ranked((first, 0.95), (expected, 0.02))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_a_story_that_ends_with_a_question_about_the_ahps_stays_about_the_ahps(matcher, kb):
    ranking = ranked(("ask_what_are_ahps", 0.95), ("ask_profession_info", 0.02))
    text = "My son wants to be a physio. Which other jobs count as allied health professions?"
    assert chosen_with_knowledge(matcher, kb, ranking, text) is None


def test_coming_back_or_a_myth_about_it_too_close_to_call_is_answered_not_asked_back(matcher, kb):
    text = ("thinking of going back to podiatry after 6 years off but my mate says the return "
            "courses are really expensive and there's no help")
    ranking = ranked(("ask_return_to_practice", 0.45), ("ask_rtp_myth", 0.43), ("ask_my_results", 0.06))
    assert chosen_with_knowledge(matcher, kb, ranking, text) in ("ask_return_to_practice", "ask_rtp_myth")


def test_two_careers_questions_too_close_to_call_need_nothing_named_to_be_answered(matcher, kb):
    ranking = ranked(("ask_pay", 0.45), ("ask_progression", 0.43), ("ask_my_results", 0.04))
    assert chosen_with_knowledge(matcher, kb, ranking, "what band would i be on after") == "ask_pay"


@pytest.mark.parametrize("text, guess, expected", [
    ("what do radiographers earn? the kids always ask about money", "ask_money", "ask_pay"),
    ("Money is tight at home. How long is the course for speech therapy?", "ask_money", "ask_entry_requirements"),
])
def test_the_sentence_that_asks_decides_what_is_asked(matcher, kb, text, guess, expected):
    ranking = ranked((guess, 0.8), (expected, 0.15))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_a_request_for_a_video_is_a_request_for_resources_whatever_it_is_instead_of(matcher, kb):
    ranking = ranked(("ask_resources", 0.29), ("ask_demand", 0.14), ("thank", 0.11))
    text = "is there a video or something interactive rather than me talking at them for an hour"
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_resources"


@pytest.mark.parametrize("text, expected", [
    ("which of them are the most short staffed right now", "ask_demand"),
    ("where could we find someone to visit the school", "ask_resources"),
    ("can you tell me where to sign up for it", "ask_resources"),
])
def test_questions_diet_cannot_place_in_everyday_words(matcher, kb, text, expected):
    ranking = ranked(("greet", 0.3), ("thank", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("my friend reckons dramatherapy students have to be in therapy themselves while training. true?",
     "ask_practical"),
    ("I'm 40 with two kids at home. Is there help with childcare costs for students?", "ask_money"),
])
def test_telling_about_oneself_and_asking_an_everyday_question_is_that_question(matcher, kb, text, expected):
    ranking = ranked(("tell_about_me", 0.8), ("find_career", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_telling_about_oneself_and_asking_for_jobs_stays_about_them(matcher, kb):
    ranking = ranked(("tell_about_me", 0.8), ("find_career", 0.1))
    text = "I love cooking and science and I help my nan with her meals. Which jobs would suit me?"
    assert chosen_with_knowledge(matcher, kb, ranking, text) is None


@pytest.mark.parametrize("text, ranking", [
    # a quicker way in asked for, whatever else its words are near (a second degree's loans)
    ("I did a degree already, is there a faster route for people like me", ranked(("ask_money", 0.8), ("ask_routes", 0.1))),
    # something told about where they stand, and whether it changes the way in
    ("two of them have got degrees already, in history and maths. would that make a difference",
     ranked(("tell_about_me", 0.95), ("ask_routes", 0.02))),
    # ... told as an afterthought DIET can't place at all
    ("oh and i've got a BA in film studies btw, would that change anything",
     ranked(("restart", 0.4), ("tell_about_me", 0.1), ("ask_rtp_myth", 0.1))),
])
def test_a_quicker_way_in_or_a_change_to_it_is_a_routes_question(matcher, kb, text, ranking):
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_routes"


def test_where_they_stand_told_without_a_question_is_about_them(matcher, kb):
    """DIET unsure of a statement of circumstances: told, not a careers question to guess at."""
    ranking = ranked(("out_of_scope", 0.3), ("ask_key_dates", 0.2), ("ask_pay", 0.1))
    assert chosen_with_knowledge(matcher, kb, ranking, "i'd have to carry on earning though") == "tell_about_me"


def test_a_question_about_a_way_in_named_is_a_routes_question(matcher, kb):
    ranking = ranked(("tell_about_me", 0.5), ("ask_profession_info", 0.4))
    assert chosen_with_knowledge(matcher, kb, ranking, "or could i begin as an assistant and work my way up") == "ask_routes"



@pytest.mark.parametrize("text, expected", [
    ("ok but practically speaking how would I get back in", "ask_return_to_practice"),
    ("got any good stuff to show my class on friday", "ask_resources"),
])
def test_everyday_words_for_returning_and_for_a_class_say_what_is_asked(matcher, kb, text, expected):
    ranking = ranked(("nlu_fallback", 0.4), ("affirm", 0.35), ("out_of_scope", 0.2))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == expected


def test_whether_it_matters_for_a_question_diet_is_sure_of_stays_that_question(matcher, kb):
    """A degree told with a money question DIET is sure of: the money question, not the ways in."""
    ranking = ranked(("ask_money", 0.8), ("ask_routes", 0.1))
    text = "i've got a degree already and used my loan for it, does that matter for funding"
    assert chosen_with_knowledge(matcher, kb, ranking, text) in (None, "ask_money")  # (None: DIET's stands)


@pytest.mark.parametrize("text", ["how long's the course for it", "is it quite a long course"])
def test_how_long_the_course_is_asked_about_the_course(matcher, kb, text):
    """"how long's" is "how long is"; "a long course" asks the length: the course, not the job's summary."""
    ranking = ranked(("ask_profession_info", 0.7), ("ask_routes", 0.1), ("ask_entry_requirements", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_entry_requirements"


@pytest.mark.parametrize("ranking", [ranked(("ask_pay", 0.9), ("ask_routes", 0.05)),
                                     ranked(("affirm", 0.5), ("ask_pay", 0.3)),
                                     ranked(("ask_routes", 0.6), ("ask_pay", 0.3))])
def test_training_without_losing_a_wage_is_a_question_about_the_ways_in(matcher, kb, ranking):
    """Asking to train while still earning ("the rent won't pay itself") asks for a way in that
    pays, not what the job pays, whatever DIET made of it."""
    text = "right so can i do the training and keep my salary? the rent won't pay itself"
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_routes"


def test_what_a_job_pays_when_qualified_stays_a_pay_question(matcher, kb):
    ranking = ranked(("ask_pay", 0.9), ("ask_routes", 0.05))
    text = "what do dietitians get paid once they qualify"
    assert chosen_with_knowledge(matcher, kb, ranking, text) in (None, "ask_pay")


def test_not_going_back_to_uni_is_not_coming_back_to_practice(matcher, kb):
    """"not going back to full time uni" with an apprenticeship asked about: the ways in, not a
    return to practice ("back" is their studies, not a job they left)."""
    text = "the scans one then. could i do it as an apprentice? i'm not going back to uni at my age"
    assert not matcher.understand.read(text).returning
    assert chosen_with_knowledge(matcher, kb, ranked(("ask_routes", 0.6), ("ask_pay", 0.2)), text) in (None, "ask_routes")


def test_where_else_a_job_is_done_is_a_question_about_its_settings(matcher, kb):
    ranking = ranked(("ask_profession_info", 0.4), ("ask_what_are_ahps", 0.3))
    text = "where else can podiatrists work apart from clinics"
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_settings"


@pytest.mark.parametrize("text", ["she can't go back to being a full time student with a mortgage",
                                  "i won't go back into education at 45"])
def test_going_back_to_study_is_not_a_return_to_practice(matcher, text):
    assert not matcher.understand.read(text).returning


def test_a_question_about_the_job_read_as_returning_is_about_the_job(matcher, kb):
    """DIET sure of "coming back" for a question about what the job being discussed does, with an
    interest in it ("do they see footballers"): nothing in it is about a return."""
    ranking = ranked(("ask_return_to_practice", 0.95), ("ask_profession_settings", 0.02))
    assert chosen_with_knowledge(matcher, kb, ranking, "hang on, do they ever see footballers") == "ask_profession_info"


def test_what_a_job_is_asked_inside_a_sentence_is_a_question_about_it(matcher, kb):
    """"they'll ask me what a podiatrist does and I've no idea": what the job is, not jobs for them."""
    ranking = ranked(("find_career", 0.9), ("ask_resources", 0.05))
    text = "my class will ask me what a podiatrist actually does and honestly I've no clue"
    assert chosen_with_knowledge(matcher, kb, ranking, text) == "ask_profession_info"


def test_a_follow_up_in_the_words_of_a_job_question_is_not_the_list_of_ahps(matcher, kb):
    ranking = ranked(("ask_what_are_ahps", 0.9), ("ask_routes", 0.05))
    assert chosen_with_knowledge(matcher, kb, ranking, "and which training would that be") == "ask_routes"
    # the list asked for stays the list
    assert chosen_with_knowledge(matcher, kb, ranking, "which jobs are allied health professions") is None
