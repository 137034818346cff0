"""The matcher: what it makes of what people say, and what it recommends."""
from __future__ import annotations

from datetime import date

import pytest

from bot.matching import Profile, years
from bot.matching.engine import RIASEC_WEIGHT, TIE_MARGIN


class _Today(date):
    @classmethod
    def today(cls) -> date:
        return date(2026, 12, 7)


def top(matcher, *turns, n=3):
    profile = Profile()
    for turn in turns:
        profile, ranking = matcher.recommend(turn, profile)
    return [s.id for s in ranking.professions[:n]]


def score(matcher, text, pid):
    _, ranking = matcher.recommend(text)
    return next(s.raw for s in ranking.professions if s.id == pid)


@pytest.mark.parametrize("text, expected", [
    ("i love football and want to help people recover from injuries", "physiotherapist"),
    ("I'm really into cooking and nutrition", "dietitian"),
    ("i find eyes and vision fascinating", "orthoptist"),
    ("i want to work in an operating theatre during surgery", "operating-department-practitioner"),
    ("i play the piano and sing in a choir", "music-therapist"),
    ("i love drawing and painting", "art-therapist"),
    ("i'm in the drama club and love acting", "dramatherapist"),
])
def test_clear_interests_rank_the_right_profession_first(matcher, text, expected):
    assert top(matcher, text, n=1) == [expected]


def test_typos_and_text_speak_are_understood(matcher):
    assert top(matcher, "i wanna do radiograpy", n=2)[0] in (
        "diagnostic-radiographer", "therapeutic-radiographer")
    assert top(matcher, "wanna b a physioterapist", n=1) == ["physiotherapist"]
    profile = matcher.understand("i like helpin ppl")
    assert any(m.kind == "riasec" and m.id == "S" for m in profile.positive())


def test_negation_lowers_instead_of_raising(matcher):
    neutral = score(matcher, "i like helping people", "paramedic")
    assert score(matcher, "i like helping people but i hate blood", "paramedic") < neutral
    assert score(matcher, "i don't like blood", "paramedic") < 0
    assert score(matcher, "i love blood and guts", "paramedic") > 0
    assert score(matcher, "i don't mind blood", "paramedic") > 0
    assert score(matcher, "not into sport at all", "physiotherapist") < 0
    profile = matcher.understand("i don't like blood and needles")
    assert profile.negative("concept") and not profile.positive("concept")


@pytest.mark.parametrize("text, liked, not_liked", [
    ("i want something with sport rather than music", "sport", "music"),
    ("more into science instead of art tbh", "science", "art"),
    ("happier outdoors as opposed to stuck behind a computer", "driving", "technology"),
])
def test_what_they_prefer_something_to_counts_against_it(matcher, text, liked, not_liked):
    """ "X rather than Y": Y is what they would not choose."""
    profile = matcher.understand(text)
    assert liked in {m.id for m in profile.positive("concept")}
    assert not_liked in {m.id for m in profile.negative("concept")}


@pytest.mark.parametrize("text, described", [
    ("radiography sounds good. which kind uses radiation to treat people rather than take pictures?",
     "therapeutic-radiographer"),
    ("which one does the scans instead of treating cancer", "diagnostic-radiographer"),
])
def test_what_a_description_sets_itself_against_counts_against_its_jobs(matcher, text, described):
    assert matcher.understand.read(text).described == described


def test_interests_accumulate_across_turns(matcher):
    profile, _ = matcher.recommend("i love football")
    profile, ranking = matcher.recommend("i'm also really interested in feet and how people walk",
                                         profile)
    said = {m.said for m in profile.positive()}
    assert "football" in said
    assert ranking.professions[0].id in ("podiatrist", "physiotherapist")
    assert {"podiatrist", "physiotherapist"} <= set(ranking.ids()[:3])
    # a later statement about the same thing replaces the earlier one
    profile, _ = matcher.recommend("actually i'm not into football any more", profile)
    assert not any(m.said == "football" and m.positive for m in profile.mentions.values())


def test_vague_profiles_ask_questions_that_separate_the_leaders(matcher):
    _, ranking = matcher.recommend("I like biology and helping people")
    assert ranking.vague
    assert 1 <= len(ranking.questions) <= 2
    assert all(len(q.options) >= 2 for q in ranking.questions)
    _, clear = matcher.recommend("i love football and sport science and want to help athletes recover")
    assert not clear.vague and clear.questions == []


def test_close_scores_prefer_professions_in_demand_and_say_so(matcher):
    # naming both gives them the same score: podiatry, one of the guide's small and vital
    # professions, comes before physiotherapy, which is not in demand, and says why
    _, tied = matcher.recommend("physio or podiatry?")
    first, second = tied.top(2)
    assert (first.id, second.id) == ("podiatrist", "physiotherapist") and first.raw == second.raw
    assert "small and vital" in first.to_payload()["reasons"][-1]
    assert second.in_demand_reason is None
    # a clear lead stays first, and the in-demand one behind it gets no note
    _, apart = matcher.recommend("i love sport science and helping athletes recover, physio or podiatry?")
    first, second = apart.top(2)
    assert (first.id, second.id) == ("physiotherapist", "podiatrist")
    assert first.raw - second.raw > TIE_MARGIN and second.in_demand_reason is None


def test_reasons_quote_only_what_the_person_said(matcher):
    text = "i love football and i'm good at biology, and i'm calm under pressure"
    profile, ranking = matcher.recommend(text)
    said = {m.said for m in profile.mentions.values()}
    for s in ranking.top(3):
        payload = s.to_payload()
        assert payload["reasons"], s.id
        for reason in payload["reasons"]:
            if "NHS" in reason or "small and vital" in reason or reason.startswith("you like"):
                continue  # the in-demand note and interest-type notes quote nothing
            assert any(part in reason for part in said), (reason, said)


def test_broad_statements_count_through_interest_types(matcher):
    _, ranking = matcher.recommend("i like fixing things")
    leaders = ranking.ids()[:4]
    assert "prosthetist-orthotist" in leaders or "operating-department-practitioner" in leaders
    reasons = [r for s in ranking.top(3) for r in s.to_payload()["reasons"]]
    assert "you like hands-on, practical work" in reasons
    # the interest-type signal never outweighs one specific term
    assert RIASEC_WEIGHT < min(w for c in matcher.concepts.values() for w in c.weights.values())


@pytest.mark.parametrize("turns, profession, routes", [
    (["i'm in year 11 and love sport"], "physiotherapist", {"degree", "apprenticeship", "support-worker"}),
    (["I have a degree in sports science"], "physiotherapist", {"postgraduate"}),
    (["I have a degree in psychology and need to keep earning"], "occupational-therapist",
     {"postgraduate", "apprenticeship"}),
    (["i need to earn while i learn"], "paramedic", {"apprenticeship", "support-worker"}),
    (["i'm a rehab assistant in a hospital"], "physiotherapist", {"support-worker", "apprenticeship"}),
    # a support worker with a degree in another subject: the master's is open to them as well
    (["I work as a therapy assistant on a rehab ward", "my BA is in history"], "occupational-therapist",
     {"support-worker", "apprenticeship", "postgraduate"}),
    (["I was a physio for ten years and left the register 6 years ago"], "physiotherapist",
     {"return-to-practice"}),
    (["I qualified as a dietitian in India"], "dietitian", {"international"}),
    (["i left school at 16 with no qualifications"], "occupational-therapist", {"support-worker", "degree"}),
    (["i'm at school"], "art-therapist", {"postgraduate"}),
    (["i have a degree in biology"], "paramedic", {"degree"}),
    (["i'm in year 12"], "osteopath", {"degree"}),
])
def test_route_rules(matcher, turns, profession, routes):
    profile = Profile()
    for turn in turns:
        profile = profile.merge(matcher.understand(turn))
    fits = matcher.fit_routes(profession, profile)
    assert {r.id for r in fits} == routes
    assert all(r.why for r in fits)


def test_returner_gets_the_updating_the_regulator_asks_for(matcher, monkeypatch):
    profile = matcher.understand("i was an OT and have been out of practice for 4 years")
    assert profile.years_out == 4
    fit = matcher.fit_routes("occupational-therapist", profile)
    assert [r.id for r in fit] == ["return-to-practice"]
    assert any("30 days" in w for w in fit[0].why)
    # a year of leaving counts back from today: a fixed today, so the test means the same every year
    monkeypatch.setattr(years, "date", _Today)
    long_out = matcher.understand("i used to be a radiographer but stopped in 2009, want to come back")
    assert long_out.former_profession == "diagnostic-radiographer" and long_out.years_out == 17
    fit = matcher.fit_routes("diagnostic-radiographer", long_out)
    assert [r.id for r in fit] == ["return-to-practice"]
    assert any("60 days" in w for w in fit[0].why)


def test_a_returner_asking_about_another_profession_is_a_graduate_there(matcher):
    profile = matcher.understand("i was a physio for 8 years and left 3 years ago")
    assert [r.id for r in matcher.fit_routes("physiotherapist", profile)] == ["return-to-practice"]
    assert {r.id for r in matcher.fit_routes("podiatrist", profile)} == {"postgraduate"}


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "<script>alert(1)</script>",
                                  "x" * 100_000, "’; DROP TABLE professions; --", "\x00\x1f\u202e"])
def test_bad_input_never_crashes(matcher, text):
    profile, ranking = matcher.recommend(text)
    assert len(ranking.professions) == 17


@pytest.mark.parametrize("text, signal, present", [
    # a degree said in a CV-like list, in any subject
    ("band 3 rehab assistant, english lit degree. love the kids", "has-degree", True),
    ("retail manager, 41, history degree.", "has-degree", True),
    ("is a degree apprenticeship paid?", "has-degree", False),
    ("physio degree? how long is it", "has-degree", False),
    ("got a BMus years back and I teach piano now", "has-degree", True),
    # a degree someone else holds, told by the adult asking for them
    ("my nephew has a geography degree, could he still train as an OT", "has-degree", True),
    # a case put as "if ... already": so, not supposed
    ("if a student already has a degree in biology, is there a shorter way", "has-degree", True),
    ("what if i got a degree first and then applied", "has-degree", False),
    ("physio has a degree apprenticeship now, right?", "has-degree", False),
    # a degree in a list of what they do, the "i" left out
    ("i tutor maths online, studied chemistry at uni, now wondering about radiography", "has-degree", True),
    # trained in a city, not a country
    ("qualified as an OT in Manila, been here two months", "trained-abroad", True),
    # a register named in the middle of the words
    ("uk-trained ot and I came off the HCPC register in 2016", "former-registrant", True),
    ("I let my HCPC registration lapse", "former-registrant", True),
    ("how do i get on the register", "former-registrant", False),
    # worked abroad but trained here: not the international route
    ("uk-trained ot, worked in australia for years, came off the register", "trained-abroad", False),
    ("i trained in india as a physio", "trained-abroad", True),
    # where the story starts is where they trained: a teaching hospital is not a teaching job
    ("qualified as an OT in Ghana, then 6 years at a teaching hospital in Kumasi. how do i work here",
     "trained-abroad", True),
    # registered there, not here: nothing to return to
    ("I'm a registered physiotherapist in Brazil and want to do the same job in the UK",
     "former-registrant", False),
    ("I was on the HCPC register, then worked in Canada for four years", "former-registrant", True),
    # a family that moved here: where they came from, not where anyone trained
    ("my daughter is 15, we moved here from Syria last year", "trained-abroad", False),
    ("radiographer from Portugal here", "trained-abroad", True),
    # a circumstance said with a "not" is not that circumstance ...
    ("I haven't got a degree.", "has-degree", False),
    ("i don't have a degree", "has-degree", False),
    ("i dont need to earn", "needs-to-earn", False),
    # asking to earn while training says they need to
    ("any chance I could earn while I study for it?", "needs-to-earn", True),
    # ... but a phrase that says "no" itself still counts
    ("pharmacy technician for 8 years, no qualifications.", "no-a-levels", True),
    # having no degree is where most students start, not a lack of A levels
    ("warehouse supervisor, no degree, 36", "no-a-levels", False),
    ("i've got a BTEC but no degree", "has-degree", False),
    # needing to earn said with a "not" still needs to earn; not needing to does not
    ("no way could I get by on a student loan", "needs-to-earn", True),
    ("honestly i cant go without a wage", "needs-to-earn", True),
    ("I don't need a wage while I study, my partner works", "needs-to-earn", False),
    # someone else's lack of a degree, told with "doesn't"
    ("my partner's 38 and doesn't have a degree, could he do it", "has-degree", False),
    # a degree as a list item told subject-last
    ("hairdresser 9 years, BA in fashion marketing. could i do OT", "has-degree", True),
    ("chef. degree in hospitality management, long time ago", "has-degree", True),
    ("degree in podiatry - how many years is it?", "has-degree", False),
    # a need to keep earning told by what they won't give up
    ("porter at the trust, want to move up to radiographer without quitting", "needs-to-earn", True),
    ("we need my salary, my husband's self employed", "needs-to-earn", True),
    ("as long as there's money still coming in i'm fine with anything", "needs-to-earn", True),
    ("she really can't afford to stop working, she's got rent", "needs-to-earn", True),
    # studying unpaid out of reach, in any order of words
    ("we couldn't afford for me to be a full time student", "needs-to-earn", True),
    ("could I afford the course if I did weekends?", "needs-to-earn", False),
    # no degree wanted
    ("three more years at university really isn't an option for me", "wants-work-now", True),
    ("honestly a degree just isn't realistic with three kids", "wants-work-now", True),
    ("i'm not keen on going back to uni at 40", "wants-work-now", True),
    ("I don't want to study history, I want something practical", "wants-work-now", False),
    # a degree supposed is not one held; a degree held "if that helps" is
    ("so if i went and did the usual degree, how many years?", "has-degree", False),
    ("what if i got a psychology degree first", "has-degree", False),
    ("ten years as a sports therapist (BSc sports therapy) with a rugby club", "has-degree", True),
    ("BSc (Hons) Psychology 2012, now in HR", "has-degree", True),
    ("i got a degree in chemistry, if that matters", "has-degree", True),
])
def test_circumstances_said_in_everyday_ways(matcher, text, signal, present):
    assert (signal in matcher.understand.read(text).profile.signals) == present


@pytest.mark.parametrize("text, word, verb", [
    ("I work with OTs and honestly envy their job", "envy", True),
    ("i knit", "knit", False),   # a hobby said as a verb is still a hobby
    ("i play the cello", "cello", False),
    ("especially jujitsu", "jujitsu", False),
])
def test_a_verb_is_not_looked_up_as_a_hobby(matcher, text, word, verb):
    """WordNet's table holds nouns: in "envy their job" envy is not an interest."""
    from bot.matching.understanding import _used_as_verb
    doc = matcher.nlp(text.lower())
    [i] = [t.i for t in doc if t.lower_ == word]
    assert _used_as_verb(doc, i) == verb


@pytest.mark.parametrize("text, former", [
    ("I left radiotherapy four years ago to be a stay-at-home dad", "therapeutic-radiographer"),
    ("Prosthetist, left in 2017, want back in", "prosthetist-orthotist"),
    ("the physio left me some exercises", None),   # someone else's job
    ("Dietitian, been out about 3 years now, is it hard to come back", "dietitian"),
    ("ex-orthoptist here, wanting to return", "orthoptist"),
    # a group's name: the job it usually means
    ("I was a radiographer until 2015, can I come back?", "diagnostic-radiographer"),
    # an age between the job and leaving it; "not been one since": left it
    ("dietitian, 61, retired in 2020 and itching to do something again", "dietitian"),
    ("haven't been an orthoptist since the kids were born, is it too late", "orthoptist"),
    ("osteopath, not practised since 2015", "osteopath"),
    # someone else helped back into their life is not the person coming back to a job
    ("after 20 years in retail I'd love to be like the OT who got my dad back into his allotment",
     None),
])
def test_a_job_they_left_is_the_one_they_qualified_in(matcher, text, former):
    assert matcher.understand.read(text).profile.former_profession == former


@pytest.mark.parametrize("text, years", [
    ("I worked as an orthoptist until 2019 and I'd like to come back", 2026 - 2019),
    ("Dietitian, been out about 3 years now, is it hard to come back", 3),
    ("took early retirement from podiatry at 55 and I'm 63 now, could I come back?", 8),
    # the registration let go, with the reason between it and the year
    ("I was a physio, let my HCPC registration lapse when my twins arrived in 2017", 2026 - 2017),
    # years in another role since are not the years out ("been a ... for the past six years")
    ("been a rehab assistant for the past six years, but I'm a podiatrist really, I let my registration "
     "go after my son was born in 2012", 2026 - 2012),
])
def test_years_out_said_by_when_they_stopped(matcher, text, years, monkeypatch):
    import bot.matching.years as years_module
    from datetime import date
    monkeypatch.setattr(years_module, "date", type("D", (), {"today": staticmethod(lambda: date(2026, 6, 1))}))
    assert matcher.understand.read(text).profile.years_out == years


@pytest.mark.parametrize("text, sport", [
    ("I trained as an occupational therapist in Canada", False),   # training for a job
    ("could I get paid while I train?", False),
    ("i love training at the gym with my mates", True),
])
def test_training_for_a_job_is_not_a_sport(matcher, text, sport):
    profile = matcher.understand.read(text).profile
    assert ("sport" in {m.id for m in profile.positive("concept")}) == sport


def test_wanting_to_be_first_on_the_scene_points_to_paramedic(matcher):
    _, ranking = matcher.recommend("i wanna be the person who is first to get there when things go wrong")
    assert "paramedic" in [p.id for p in ranking.professions[:3]]


def test_having_heard_something_is_not_an_interest_in_hearing(matcher):
    heard = matcher.understand.read("I've heard there's NHS help for people like me")
    assert ("concept", "sensory-hearing") not in heard.profile.mentions
    assert ("concept", "sensory-hearing") in matcher.understand.read(
        "I'm fascinated by hearing and how ears work").profile.mentions


@pytest.mark.parametrize("text", [
    "never been on any register, I've done twelve years in call centres. is there a return to "
    "practice route that would get me into podiatry quicker?",
    "I'm going back to work after 6 years raising my twins, I used to be in banking. could I train "
    "to be a dietitian?",
    "I began an OT degree in 2012 but didn't finish it, been a receptionist since. could I go back to it?",
])
def test_a_career_changer_is_not_taken_for_a_returner(matcher, text):
    """Going back to work, years in another job, or a course left unfinished: nothing to return to."""
    profile = matcher.understand.read(text).profile
    assert "former-registrant" not in profile.signals
    assert profile.former_profession is None and profile.years_out is None


@pytest.mark.parametrize("text, former, years", [
    # qualified here over five years ago and never on the register: the return rules apply,
    # counted from the year they qualified
    ("did my dietetics degree in 2011 and then never really registered, been a PA since",
     "dietitian", 2026 - 2011),
    ("qualified as an orthoptist 2014 but I was never registered anywhere, is that a problem now",
     "orthoptist", 2026 - 2014),
    # the job named again, in other words, as what they want to do now
    ("got my speech and language therapy degree in 2016 but never went on the register. these days "
     "I'd love to work as an SLT", "speech-and-language-therapist", 2026 - 2016),
    # qualified recently: they apply to join the register, there is nothing to return to
    ("graduated in podiatry in 2024 and never got registered yet", None, None),
    # a long subject between the qualifying and its year
    ("I graduated in prosthetics and orthotics in 2013 and never properly registered", "prosthetist-orthotist",
     2026 - 2013),
])
def test_qualified_but_never_registered_counts_from_qualifying(matcher, text, former, years,
                                                                monkeypatch):
    import bot.matching.years as years_module
    from datetime import date
    monkeypatch.setattr(years_module, "date", type("D", (), {"today": staticmethod(lambda: date(2026, 6, 1))}))
    profile = matcher.understand.read(text).profile
    assert profile.former_profession == former
    assert profile.years_out == years
    assert ("former-registrant" in profile.signals) == (former is not None)


@pytest.mark.parametrize("text, former, years", [
    ("I was a podiatrist on the diabetic foot team til 2015, then the kids came along", "podiatrist", 2026 - 2015),
    ("I've been out since before covid, I was a dietitian", "dietitian", 2026 - 2020),
    ("orthoptist, stopped when I turned 35 to care for my dad and I'm 41 now", "orthoptist", 6),
    # a group's word with one of its jobs named beside it: that job
    ("I was a radiographer on the radiotherapy side, had to stop in 2021 after my back op",
     "therapeutic-radiographer", 2026 - 2021),
])
def test_the_time_out_in_more_everyday_words(matcher, text, former, years, monkeypatch):
    import bot.matching.years as years_module
    from datetime import date
    monkeypatch.setattr(years_module, "date", type("D", (), {"today": staticmethod(lambda: date(2026, 6, 1))}))
    profile = matcher.understand.read(text).profile
    assert (profile.former_profession, profile.years_out) == (former, years)


def test_not_keeping_a_registration_going_is_leaving_the_register(matcher):
    profile = matcher.understand.read("SLT, I couldn't keep up my HCPC registration while I was in Dubai").profile
    assert "former-registrant" in profile.signals and "trained-abroad" not in profile.signals


@pytest.mark.parametrize("text, abroad", [
    ("physio, I moved overseas for work in 2017 and I'm back in England now", False),
    ("spent years abroad teaching surfing, never did anything clinical", False),
    ("I qualified abroad as a radiographer, how do I work here", True),
    ("we relocated to Canada for my wife's work, I'm a paramedic, back in Bristol now", False),
    ("physio here, I trained in Lisbon and moved to the UK in May", True),
    # a job abroad that was not the profession, after qualifying here
    ("got my OT degree in 2012 then spent ages teaching yoga in Thailand, never registered", False),
])
def test_time_spent_abroad_is_not_a_qualification_from_abroad(matcher, text, abroad):
    assert ("trained-abroad" in matcher.understand.read(text).profile.signals) == abroad


@pytest.mark.parametrize("text, target", [
    ("I'm a band 4 rehab assistant on a stroke unit, and how do I get to be one of the physios?",
     "physiotherapist"),
    ("i work as a senior healthcare assistant next to the OTs, how would I become one of them",
     "occupational-therapist"),
])
def test_their_own_role_with_words_before_it_is_not_the_job_they_want(matcher, text, target):
    """"I'm a band 4 rehab assistant": their job (a support role), not the one they ask about."""
    reading = matcher.understand.read(text)
    assert reading.target == target
    assert "support-worker" in reading.profile.signals
    assert all(e.role == "current" for e in reading.entities
               if e.entity == "profession" and e.value == "ahp-support-worker")


@pytest.mark.parametrize("text, former", [
    ("qualified in Lagos as a physio, 10 yrs experience. does return to practice apply to me?", False),
    ("radiographer from Manila, here since 2021 but not working. would the return to practice route "
     "work for me?", False),
    ("OT here, out 6 years. is return to practice for me?", True),   # registered here: it does
])
def test_asking_whether_the_way_back_applies_is_not_having_been_registered(matcher, text, former):
    assert ("former-registrant" in matcher.understand.read(text).profile.signals) == former


@pytest.mark.parametrize("text", [
    "massage therapist for years, off since my twins came along. want to go back to work but as a proper "
    "osteopath this time",
    "I was a gym instructor till 2020, now I'd love to come back to work as a qualified dietitian",
])
def test_going_back_to_work_as_a_new_job_is_not_a_return_to_it(matcher, text):
    """ "back ... as a proper osteopath this time": the job they want, never the one they left."""
    reading = matcher.understand.read(text)
    assert reading.target in ("osteopath", "dietitian")
    assert reading.profile.former_profession is None
    assert "former-registrant" not in reading.profile.signals


@pytest.mark.parametrize("text, target", [
    ("could she start as a dietitian assistant and work up", "dietitian"),
    ("is it worth getting a job as a physio assistant first", "physiotherapist"),
])
def test_starting_as_an_assistant_in_a_job_is_a_step_towards_it(matcher, text, target):
    reading = matcher.understand.read(text)
    assert reading.target == target
    assert "support-worker" not in reading.profile.signals   # not a job they have


@pytest.mark.parametrize("text, years", [
    ("it's been thirty odd years since I was on the wards", 30.0),
    ("maybe 15-odd years now", 15.0),
    ("about 3", 3.0),                      # the answer to "how long have you been out?"
    ("seven ish", 7.0),
    ("stopped when my youngest was born and he's 9 now", 9.0),
    ("left when my son was born, hes 7 now", 7.0),                 # typed without the apostrophe
    ("been at home since my first was born and shes 10", 10.0),
    ("I left practice during covid to look after my mum", None),   # the year depends on today
])
def test_years_out_in_everyday_words(text, years):
    from datetime import date
    from bot.matching.years import years_out
    found = years_out(text, returner=True)
    if years is None:
        assert found == float(date.today().year - 2020)
    else:
        assert found == years


def test_the_job_in_the_question_is_the_one_asked_about(matcher):
    reading = matcher.understand.read("I work with dietitians a lot and like them. But what does a "
                                      "podiatrist actually do day to day?")
    assert reading.target == "podiatrist"


@pytest.mark.parametrize("text, returning", [
    ("no way am I paying uni fees all over again, any funding?", False),
    ("could I ever work again as a podiatrist after 10 years off?", True),
    # who a job registers with is a question about the regulator, not about coming back
    ("ok and who do paramedics register with", False),
    ("is registration with the hcpc needed for dietitians", False),
    ("how do i get my registration back, i was a physio", True),
])
def test_again_is_a_return_only_to_work(matcher, text, returning):
    assert matcher.understand.read(text).returning is returning


@pytest.mark.parametrize("text, parent", [
    # their own children as part of their own story: not a parent asking for a child
    ("dietitian here, I let my registration go when I had my son in 2018, is it too late", False),
    ("I was an orthoptist until my twins arrived, can I get back into it", False),
    ("gave up radiography to stay home with my kids, they're older now, what would I need to do", False),
    # a parent asking for their child, even after telling their own story
    ("I had my daughter young and never went to uni, but my son is keen on podiatry, where does he start", True),
    ("my son wants to work with athletes, what would suit him", True),
])
def test_their_own_children_in_their_story_are_not_a_parent_asking(matcher, text, parent):
    assert ("asker-parent" in matcher.understand.read(text).profile.signals) == parent


@pytest.mark.parametrize("text, talk", [
    ("who should I speak to about getting started", False),
    ("would an orthoptist have to talk to children all day", False),
    ("i really enjoy chatting and i talk to everyone at the bus stop", True),
])
def test_talking_to_someone_as_a_question_is_not_a_liking_for_talk(matcher, text, talk):
    profile = matcher.understand.read(text).profile
    assert ("communication" in {m.id for m in profile.positive("concept")}) == talk


@pytest.mark.parametrize("text", [
    "rad technologist? no, radiologic technologist, trained in Cebu, how do I register here",
    "i work as a radiology technologist in Lagos",
])
def test_a_radiographer_s_title_abroad_is_a_radiographer(matcher, text):
    assert "diagnostic-radiographer" in matcher.understand.read(text).named


@pytest.mark.parametrize("text, sport", [
    ("i like working out the cheapest weekly shop for my family", False),
    ("I'm forever working out how to fix things round the house", False),
    ("working out is my thing, five mornings a week", True),
])
def test_working_something_out_is_not_exercise(matcher, text, sport):
    profile = matcher.understand.read(text).profile
    assert ("sport" in {m.id for m in profile.positive("concept")}) == sport


@pytest.mark.parametrize("text, years", [
    # someone's age is not time out of practice
    ("honestly who'd hire a 61 year old who's been off 4 years", 4.0),
    ("am I past it as a 49-year-old returner?", None),
    ("I'm 55 years of age and left physio 9 years ago", 9.0),
    # a child's age, told after the birth they left for
    ("gave up work before the twins were born, the older one is 8 now", 8.0),
    # the year they qualified and the years they worked after it
    ("I qualified as a therapeutic radiographer in 2001, did 9 years and then left for a desk job",
     2026 - 2001 - 9),
    # the child's age as a birthday just gone; the length of a degree is not time out
    ("quit dietetics the week my youngest was born, she's just turned seven. surely it's 4 years at uni "
     "all over again", 7.0),
    ("left when I had my son, he just turned 10", 10.0),
    # a leaving told by the calendar's words
    ("orthoptist, came off the register last year when we moved house", 1.0),
    ("my registration lapsed earlier this year, forgot the renewal", 0.5),
    # the year they went into other work
    ("ex paramedic, moved into driving instruction in 2020 and miss it", 6.0),
])
def test_ages_children_and_years_worked_in_the_time_out(text, years, monkeypatch):
    from datetime import date
    import bot.matching.years as years_module
    monkeypatch.setattr(years_module, "date", type("D", (), {"today": staticmethod(lambda: date(2026, 6, 1))}))
    assert years_module.years_out(text.lower(), returner=True) == years


@pytest.mark.parametrize("text, target, degree", [
    # another profession before, and an AHP "this time": a new career, not a return
    ("spent 15 years as a midwife (midwifery degree), stopped in 2018. want back in the NHS, this time "
     "as an OT", "occupational-therapist", True),
    # a support role in a profession's team, and no degree: never registered, so not returning
    ("did 9 years as a physio technical instructor till 2020 but never did the degree, want to come "
     "back and qualify properly", None, False),
])
def test_a_new_job_this_time_is_not_a_return(matcher, text, target, degree):
    reading = matcher.understand.read(text)
    assert reading.profile.former_profession is None
    assert "former-registrant" not in reading.profile.signals
    assert reading.profile.years_out is None
    if target:
        assert reading.target == target
    assert ("has-degree" in reading.profile.signals) == degree


@pytest.mark.parametrize("text, pid", [
    ("used to be a therapy radiographer years back", "therapeutic-radiographer"),
    ("worked as a speech-language pathologist in Canada", "speech-and-language-therapist"),
])
def test_other_titles_of_a_profession(matcher, text, pid):
    assert matcher.understand.read(text).profile.former_profession == pid


def test_a_word_is_not_read_as_another_words_dictionary_form(matcher):
    """spaCy's lemma of "bit" is "bite"; "the return bit" is no interest in wounds."""
    reading = matcher.understand.read("can i do the refresher bit at weekends")
    assert ("concept", "blood") not in reading.profile.mentions


@pytest.mark.parametrize("text, former, years", [
    ("quit my podiatry job around four years ago to look after my dad", "podiatrist", 4.0),
    # a course left is training, not a job
    ("i quit my podiatry course halfway through, 2019", None, None),
])
def test_a_job_they_left_in_their_own_words(matcher, text, former, years):
    profile = matcher.understand.read(text).profile
    assert profile.former_profession == former
    assert profile.years_out == years


def test_wanting_to_do_what_the_job_they_watch_does_makes_it_the_target(matcher):
    reading = matcher.understand.read("I'm a rehab support worker on the stroke unit and I've seen what the "
                                      "speech therapists do for 3 years, I'd like to do what they do")
    assert reading.target == "speech-and-language-therapist"
    assert "support-worker" in reading.profile.signals


@pytest.mark.parametrize("text", [
    "the man who sorted my knee out, i think he was a physio, was brilliant",
    "my dad was a paramedic for years and loved it",
])
def test_someone_elses_job_in_the_past_is_not_theirs(matcher, text):
    profile = matcher.understand.read(text).profile
    assert profile.former_profession is None
    assert "former-registrant" not in profile.signals


@pytest.mark.parametrize("text, years", [
    ("been out about five years i reckon", 5.0),
    ("I've been off for nearly 9 tbh", 9.0),
    ("out 3 years or so", 3.0),
])
def test_a_reply_that_is_only_the_time_out(text, years):
    from bot.matching.years import only_an_amount, years_out
    assert only_an_amount(text)
    assert years_out(text.lower(), returner=True) == years


@pytest.mark.parametrize("text, own, wanted", [
    # a support role in a profession's team, named with the profession: their own job
    ("i'm a band 2 physio support worker on the wards and want to qualify through an apprenticeship",
     {"physiotherapist", "ahp-support-worker"}, None),
    # a job held until now, after qualifying abroad
    ("trained as a radiographer in Manila, I've been a healthcare assistant here for two years",
     set(), None),
])
def test_their_own_support_role_is_not_the_job_they_want(matcher, text, own, wanted):
    reading = matcher.understand.read(text)
    roles = {e.value: e.role for e in reading.entities if e.entity == "profession"}
    assert {pid for pid, role in roles.items() if role == "current"} >= own
    assert reading.target == wanted
