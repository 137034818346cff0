"""What the assistant says for each kind of request, checked against the
knowledge base and the payloads of the public contract, docs/contract.md (no
Rasa needed)."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from bot.dialogue import Turn, about_me, answers, professions, resources, routes
from bot.dialogue.respond import respond

CONTRACT_ROUTES = {"degree", "postgraduate", "apprenticeship", "support-worker",
                   "return-to-practice", "international"}


def ent(entity, value):
    return {"entity": entity, "value": value}


def say(ctx, handler, text="", intent="", entities=(), **memory):
    """A turn as the actions run it: read, merged into the profile, then handled."""
    return respond(ctx, Turn(text=text, intent=intent, entities=list(entities), **memory), handler)


def test_interests_get_ranked_recommendations_with_reasons(ctx):
    reply = say(ctx, about_me.understand_me, "i love football and im good at biology")
    [recs] = reply.payloads("recommendations")
    top = recs["professions"]
    assert top[0]["id"] == "physiotherapist"
    assert [p["score"] for p in top] == sorted((p["score"] for p in top), reverse=True)
    assert all(p["reasons"] for p in top) and "you enjoy football" in top[0]["reasons"]
    assert reply.slots["recommended"][0] == "physiotherapist"
    assert reply.slots["profession"] == "physiotherapist"


def test_interests_accumulate_across_messages_and_dislikes_count(ctx):
    first = say(ctx, about_me.understand_me, "I like art and helping people")
    second = say(ctx, about_me.understand_me, "but I really don't like blood",
                 profile=first.slots["profile"])
    ids = [p["id"] for p in second.payloads("recommendations")[0]["professions"]]
    assert "art-therapist" in ids[:3]
    profile = ctx.profile(second.slots["profile"])
    assert any(not m.positive for m in profile.mentions.values())   # the dislike is kept
    assert any(m.id == "art" for m in profile.positive())            # and so is the earlier art


def test_vague_profile_gets_a_clarifying_question_with_buttons(ctx):
    reply = say(ctx, about_me.understand_me, "I want to help people")
    assert "utter_clarifying_question" in reply.responses()
    question = next(m for m in reply.messages if m.get("response") == "utter_clarifying_question")
    assert all(b["payload"].startswith('/tell_about_me{"concept":') for b in question["buttons"])


def test_question_button_answer_is_understood(ctx):
    reply = say(ctx, about_me.understand_me, '/tell_about_me{"concept":"eyes"}',
                entities=[ent("concept", "eyes")])
    assert reply.payloads("recommendations")[0]["professions"][0]["id"] == "orthoptist"


def test_circumstances_are_remembered_and_filter_routes(ctx):
    told = say(ctx, about_me.understand_me, "I already have a degree in biology")
    assert "has-degree" in told.slots["profile"]["signals"]
    reply = say(ctx, routes.routes, "how do I become a physio", "ask_routes",
                [ent("profession", "physiotherapist")], profile=told.slots["profile"])
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "physiotherapist"
    assert [r["id"] for r in payload["routes"]] == ["postgraduate"]
    assert "degree" in payload["other_routes"]


def test_routes_without_a_profession_are_routes_into_the_workforce(ctx):
    reply = say(ctx, routes.routes, "what are the ways in", "ask_routes")
    [payload] = reply.payloads("routes")
    assert payload["profession"] is None
    assert {r["id"] for r in payload["routes"]} <= CONTRACT_ROUTES


def test_a_named_route_is_explained_with_the_professions_that_offer_it(ctx):
    reply = say(ctx, routes.routes, "tell me about apprenticeships", "ask_routes",
                [ent("route", "apprenticeship")])
    [payload] = reply.payloads("routes")
    assert payload == {"type": "routes", "profession": None,
                       "routes": [{"id": "apprenticeship", "name": "Degree apprenticeship"}]}
    summary = next(m for m in reply.messages if m.get("response") == "utter_route_summary")
    assert "Paramedic" in summary["values"]["professions"]


def test_routes_for_the_profession_being_discussed(ctx):
    reply = say(ctx, routes.routes, "how do i get into it", "ask_routes", profession="dietitian")
    assert reply.payloads("routes")[0]["profession"] == "dietitian"


@pytest.mark.parametrize("years, days", [(1, 0), (3, 30), (6, 60)])
def test_return_to_practice_by_years_out(ctx, years, days):
    reply = say(ctx, about_me.understand_me,
                f"I was a physio and I've been out of practice for {years} years")
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "physiotherapist"
    assert payload["routes"][0]["id"] == "return-to-practice"
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert (f"{days} days" in updating["values"]["detail"]) == (days > 0)


def test_osteopaths_return_through_the_gosc(ctx):
    reply = say(ctx, routes.return_to_practice, "I'm an osteopath, how do I come back",
                "ask_return_to_practice", [ent("profession", "osteopath")])
    said = " ".join(str(v) for m in reply.messages for v in (m.get("values") or {}).values())
    assert "General Osteopathic Council" in said
    assert "utter_rtp_updating" not in reply.responses() and "utter_rtp_intro" not in reply.responses()


@pytest.mark.parametrize("intent", ["ask_routes", "ask_profession_info"])
def test_a_returner_asking_what_they_actually_have_to_do_gets_their_updating(ctx, intent):
    told = say(ctx, routes.return_to_practice, "speech therapist, came off the register when my son was born, "
               "hes 7 now")
    reply = say(ctx, routes.routes, "wow ok. so what would i really have to do", intent,
                profile=told.slots["profile"], profession="speech-and-language-therapist")
    assert "utter_rtp_updating" in reply.responses()


@pytest.mark.parametrize("text, answer", [
    ("who is allowed to supervise my updating hours", "rtp-supervisor"),
    ("will the HCPC sort out a placement for me", "rtp-placement"),   # and its myth
    ("does any of it have to be done on a hospital ward", "rtp-where"),
    ("who pays for all this, is there any funding for returners", "rtp-money"),
])
def test_a_returner_s_specific_question_gets_its_specific_answer(ctx, text, answer):
    told = say(ctx, routes.return_to_practice, "I was a physio and left the register 3 years ago")
    reply = say(ctx, routes.return_to_practice, text, "ask_return_to_practice", profile=told.slots["profile"])
    ids = [p["id"] for p in reply.payloads("answer")]
    assert ids[:1] == [answer]
    if "placement" in text:
        assert reply.payloads("myth")[0]["id"] == "hcpc-finds-placement"
    assert "utter_rtp_intro" not in reply.responses()


def test_unknown_years_out_are_asked_with_buttons(ctx):
    reply = say(ctx, routes.return_to_practice, "how does return to practice work",
                "ask_return_to_practice")
    ask = next(m for m in reply.messages if m.get("response") == "utter_rtp_ask_years")
    assert [b["payload"] for b in ask["buttons"]][0] == '/tell_about_me{"years_out":1}'


def test_how_much_updating_before_the_years_are_known_gets_every_band_then_the_question(ctx):
    reply = say(ctx, routes.return_to_practice, "radiographer, had a few kids since. least amount of days needed?",
                "ask_return_to_practice")
    names = [m.get("response") for m in reply.messages]
    bands = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating_bands")
    assert "30 days" in bands["values"]["bands"] and "60 days" in bands["values"]["bands"]
    assert names.index("utter_rtp_updating_bands") < names.index("utter_rtp_ask_years")


@pytest.mark.parametrize("text, myth_id", [
    ("will the HCPC find me a placement?", "hcpc-finds-placement"),
    ("do I have to do formal study and private study as well", "must-do-all-three"),
    ("does supervised practice have to be on the frontline", "frontline-only"),
    ("I never registered after I qualified, do the rules apply", "never-registered"),
    ("I'd have to retrain from scratch wouldn't I", "short-break-needs-updating"),
    ("surely it costs thousands to get back on the register", "costs-thousands"),
    ("my skills would be useless now, nobody would take me back", "experience-wont-count"),
    # a word between the myth's words
    ("i'd be starting a whole fresh degree, wouldn't i", "short-break-needs-updating"),
    ("the refresher would cost me literally thousands", "costs-thousands"),
    # doubt about coming back after a long time, in other words
    ("would a trust honestly have me back at this point", "experience-wont-count"),
    # "an" for "a", and a word that only strengthens it
    ("coming back will cost an absolute fortune, won't it", "costs-thousands"),
    ("twelve years out, that's surely a lost cause", "experience-wont-count"),
    # the worry that the work has moved on without them
    ("the drugs and kit have all changed since, I'd honestly be a liability", "experience-wont-count"),
    # being out long, told as what employers want; the return told as taking years
    ("a hospital won't want someone who's been out so long, surely", "experience-wont-count"),
    ("it'd take me years to do all that updating with a baby", "short-break-needs-updating"),
])
def test_each_myth_is_answered_with_its_fact(ctx, kb, text, myth_id):
    reply = say(ctx, routes.myth, text, "ask_rtp_myth")
    [payload] = reply.payloads("myth")
    fact = next(m for m in kb.myths() if m.id == myth_id)
    assert payload == {"type": "myth", "id": myth_id, "myth": fact.myth, "fact": fact.fact,
                       "source": list(fact.source)}


def test_a_myth_told_with_the_years_out_gets_its_fact_and_their_updating(ctx):
    """"Left OT in 2012, I'd surely have to redo the whole degree": the fact, then the days for
    fourteen-odd years out and the return-to-practice route, not a general list."""
    reply = say(ctx, routes.myth, "I left OT in 2012, surely I'd have to redo the whole degree now",
                "ask_rtp_myth")
    assert reply.payloads("myth")
    assert "utter_rtp_updating" in reply.responses()
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist"
    assert [r["id"] for r in shown["routes"]] == ["return-to-practice"]


def test_a_question_about_their_own_case_after_telling_the_years_gets_their_updating(ctx):
    """A returner who said how long they were out asks what that means for them, in words near a
    myth ("hours"): the days for their years again, not only the myth's fact."""
    first = say(ctx, routes.return_to_practice, "speech therapist, been out about 18 months after moving abroad",
                "ask_return_to_practice")
    reply = say(ctx, routes.myth, "so i wouldn't need any supervised hours in my case?", "ask_rtp_myth",
                profile=first.slots["profile"], profession=first.slots.get("profession"))
    assert "utter_rtp_updating" in reply.responses()
    [updating] = [m["values"] for m in reply.messages if m.get("response") == "utter_rtp_updating"]
    assert "less than two years" in updating["detail"].lower()


def test_unmatched_myth_question_lists_them_all(ctx, kb):
    reply = say(ctx, routes.myth, "any myths about coming back?", "ask_rtp_myth")
    assert len(reply.payloads("myth")) == len(kb.myths())


@pytest.mark.parametrize("intent, response", [
    ("ask_profession_info", "utter_profession_summary"),
    ("ask_profession_settings", "utter_profession_settings"),
    ("ask_regulator", "utter_profession_regulator_hcpc"),
    ("ask_entry_requirements", "utter_profession_entry"),
    ("ask_demand", "utter_profession_demand"),
])
def test_profession_details_come_from_the_knowledge_base(ctx, kb, intent, response):
    reply = say(ctx, professions.detail, "", intent, [ent("profession", "orthoptist")])
    assert response in reply.responses()
    orthoptist = kb.profession("orthoptist")
    [card] = reply.payloads("profession")
    assert (card["id"], card["aspect"]) == ("orthoptist", professions.ASPECTS[intent])
    # the card: what the job is, getting in, how long, pay, its own page, from the knowledge base
    assert card["entry_requirements"] == orthoptist.entry_requirements
    assert card["course"] == orthoptist.detail("course") and card["pay"]
    assert card["page"]["url"] == orthoptist.links[0].url
    values = next(m for m in reply.messages if m.get("response") == response)["values"]
    if intent == "ask_profession_info":
        assert values["summary"] == orthoptist.summary
    if intent == "ask_demand":  # the guide lists orthoptists as short and small and vital
        assert "shortage" in values["demand"] and "small and vital" in values["demand"]


def test_pay_band_only_where_the_knowledge_base_has_one(ctx, kb):
    with_band = next(p for p in kb.professions() if p.starting_band)
    without = next(p for p in kb.professions() if not p.starting_band)
    banded = say(ctx, professions.detail, "", "ask_pay", [ent("profession", with_band.id)])
    assert next(m for m in banded.messages
                if m.get("response") == "utter_profession_band")["values"]["band"] == with_band.starting_band
    unknown = say(ctx, professions.detail, "", "ask_pay", [ent("profession", without.id)])
    assert "utter_profession_no_band" in unknown.responses()


def test_every_registered_profession_has_a_band_or_says_why_not(kb):
    for p in kb.professions("registered"):
        assert p.starting_band or p.detail("no_band"), p.id
        assert p.detail("course") and p.entry_requirements, p.id
        # a page of its own, not only the general AHP page
        assert p.links[0].url != "https://www.healthcareers.nhs.uk/we-are-the-nhs/allied-health-professionals", p.id


def test_osteopaths_have_no_nhs_band_and_paramedics_move_to_band_6(ctx):
    osteopath = say(ctx, professions.detail, "is being an osteopath well paid", "ask_pay",
                    [ent("profession", "osteopath")])
    assert "self-employed" in osteopath.messages[0]["values"]["why"]
    paramedic = say(ctx, professions.detail, "paramedic pay", "ask_pay", [ent("profession", "paramedic")])
    said = [m["values"] for m in paramedic.messages if "values" in m]
    assert said[0]["band"] == "5" and "band 6" in said[1]["note"]


def test_osteopath_regulator_is_the_gosc_and_support_roles_have_none(ctx):
    assert "utter_profession_regulator_gosc" in say(
        ctx, professions.detail, "", "ask_regulator", [ent("profession", "osteopath")]).responses()
    assert "utter_profession_not_regulated" in say(
        ctx, professions.detail, "", "ask_regulator",
        [ent("profession", "ahp-support-worker")]).responses()


def test_radiographer_on_its_own_is_the_x_ray_job_and_the_other_is_offered(ctx):
    reply = say(ctx, professions.detail, "what do radiographers do", "ask_profession_info",
                [ent("profession_group", "radiography")])
    assert reply.payloads("profession")[0]["id"] == "diagnostic-radiographer"
    also = next(m for m in reply.messages if m.get("response") == "utter_group_also")
    assert [b["payload"] for b in also["buttons"]] == [
        '/ask_profession_info{"profession":"therapeutic-radiographer"}']
    # once the radiotherapy one is being discussed, "radiographers" means that one
    reply = say(ctx, routes.routes, "how do radiographers train", "ask_routes",
                [ent("profession_group", "radiography")], profession="therapeutic-radiographer")
    assert reply.payloads("routes")[0]["profession"] == "therapeutic-radiographer"


def test_the_ahps_list_names_all_fourteen(ctx, kb):
    reply = say(ctx, professions.list_ahps, "what are the AHPs", "ask_what_are_ahps")
    values = reply.messages[0]["values"]
    assert values["count"] == 14
    for p in kb.professions("registered"):
        assert p.name in values["registered"]


def test_compare_two_or_three_side_by_side(ctx):
    reply = say(ctx, professions.compare, "compare it with podiatry", "compare_professions",
                [ent("profession", "podiatrist")], profession="physiotherapist")
    [table] = reply.payloads("comparison")
    assert [p["id"] for p in table["professions"]] == ["physiotherapist", "podiatrist"]
    # each job shown is marked as the contract says, without a second card
    assert [(p["id"], "name" in p) for p in reply.payloads("profession")] == [
        ("physiotherapist", False), ("podiatrist", False)]
    assert {"summary", "settings", "routes", "entry_requirements", "starting_band", "shortage",
            "small_and_vital"} <= set(table["professions"][0])
    three = say(ctx, professions.compare, "", "compare_professions",
                [ent("profession_group", "arts-therapies")])
    assert len(three.payloads("comparison")[0]["professions"]) == 3
    lonely = say(ctx, professions.compare, "compare", "compare_professions")
    assert lonely.responses() == ["utter_compare_need_two"]


def test_one_ahp_against_a_job_that_is_not_one_gets_the_answer_that_tells_them_apart(ctx):
    """After a list that put physiotherapy second, "orthoptist vs optician?" is not a table of
    orthoptist and physio: the everyday answer that tells orthoptists and opticians apart."""
    reply = say(ctx, professions.compare, "orthoptist or optician, which is which again", "compare_professions",
                [ent("profession", "orthoptist")], recommended=["orthoptist", "physiotherapist"])
    assert not reply.payloads("comparison")
    [answer] = reply.payloads("answer")
    assert answer["id"] == "orthoptist-or-optometrist"


def test_resources_follow_the_audience_and_have_real_links(ctx):
    reply = say(ctx, resources.resources, "anything for teachers?", "ask_resources")
    [payload] = reply.payloads("resources")
    assert payload["audience"] == "teachers"
    assert payload["resources"] and all(r["url"].startswith("https://") for r in payload["resources"])
    returner = say(ctx, resources.resources, "links for returners please", "ask_resources",
                   profile={"signals": {"former-registrant": "x"}})
    assert returner.payloads("resources")[0]["audience"] == "returners"


def test_my_results_summary_keeps_no_personal_data(ctx):
    # what the REST channel would have redacted, told to the dialogue itself
    told = say(ctx, about_me.understand_me, "I'm Sam Taylor, sam.taylor@example.com or 07700 900123. "
               "I love music and I'm good at listening to people, text me on 07700 900123")
    reply = say(ctx, about_me.my_results, "my results", "ask_my_results",
                profile=told.slots["profile"])
    [results] = reply.payloads("results")
    assert results["professions"][0]["id"] == "music-therapist" and results["professions"][0]["routes"]
    kept = json.dumps([reply.messages, reply.slots])
    assert not re.search(r"\bsam\b|taylor|@|07700|900123", kept, re.IGNORECASE)
    empty = say(ctx, about_me.my_results, "my results", "ask_my_results")
    assert empty.responses()[0] == "utter_results_none"


def test_parent_and_teacher_get_their_own_offer(ctx):
    assert "utter_for_parent" in say(ctx, about_me.understand_me,
                                     "I'm a parent or teacher helping a young person").responses()
    assert "utter_for_teacher" in say(ctx, about_me.understand_me, "I'm a teacher").responses()


def test_nothing_recognised_asks_again_with_choices(ctx):
    reply = say(ctx, about_me.understand_me, "hmm dunno")
    assert reply.responses()[:2] == ["utter_did_not_understand_interests", "utter_ask_interests"]
    assert reply.messages[1]["buttons"]


def test_a_route_question_with_a_circumstance_gets_the_routes_for_that_circumstance(ctx):
    reply = say(ctx, routes.routes, "I've got a history degree, how would I become a physio?", "ask_routes")
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "physiotherapist"
    assert "postgraduate" in [r["id"] for r in payload["routes"]]
    assert "has-degree" in reply.slots["profile"]["signals"]       # and it is remembered


@pytest.mark.parametrize("text, route", [
    # the ways in asked for by their shape, with a circumstance told the way people list it
    ("Bar manager 8 yrs, degree in film studies. what's the fastest route for OT", "postgraduate"),
    ("been a postman 20 years, any shortcut for someone like me into OT? can't give up my wage",
     "apprenticeship"),
])
def test_a_way_in_asked_by_its_shape_gets_the_routes_that_fit(ctx, text, route):
    reply = say(ctx, about_me.understand_me, text, "find_career")
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "occupational-therapist"
    assert route in [r["id"] for r in payload["routes"]]


def test_a_way_in_asked_after_what_they_tell_gets_the_routes_that_fit(ctx):
    reply = say(ctx, about_me.understand_me, "got a chemistry degree from years back btw any quick way in for that",
                "tell_about_me", profession="dietitian")
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "dietitian" and "postgraduate" in [r["id"] for r in payload["routes"]]


def test_an_entry_question_in_its_own_words_is_answered_whatever_else_it_tells(ctx):
    reply = say(ctx, professions.detail, "which qualifications do i need, i left school at 16",
                "ask_entry_requirements", profession="podiatrist")
    assert "utter_profession_entry" in reply.responses()


def test_a_family_told_with_a_need_to_earn_is_a_circumstance_not_an_interest(ctx):
    reply = say(ctx, routes.routes, "she'd have to keep earning, we've got three kids", "ask_pay",
                profession="paramedic")
    assert "apprenticeship" in [r["id"] for r in reply.payloads("routes")[0]["routes"]]
    assert not reply.payloads("recommendations")


def test_needing_to_earn_part_time_also_gets_a_part_time_degree(ctx):
    reply = say(ctx, routes.routes, "how do i become a dietitian? part time only, can't give up my job",
                "ask_routes")
    assert {"apprenticeship", "degree"} <= {r["id"] for r in reply.payloads("routes")[0]["routes"]}


def test_the_job_they_do_now_is_not_the_one_they_ask_about(ctx):
    reply = say(ctx, routes.routes, "im a physio assistant, how could i become a physio without quitting",
                "ask_routes")
    [payload] = reply.payloads("routes")
    assert payload["profession"] == "physiotherapist"
    assert {"apprenticeship", "support-worker"} <= {r["id"] for r in payload["routes"]}
    support = say(ctx, routes.routes, "I work as a support worker, what's the way to become an OT",
                  "ask_routes")
    assert support.payloads("routes")[0]["profession"] == "occupational-therapist"


def test_interests_told_with_another_question_also_get_recommendations(ctx):
    reply = say(ctx, routes.routes, "i love netball and biology, how do i get into physio", "ask_routes")
    assert reply.payloads("routes")[0]["profession"] == "physiotherapist"
    assert reply.payloads("recommendations")
    assert reply.slots["profession"] == "physiotherapist"   # the focus stays on what they asked


def test_follow_ups_point_back_to_the_last_list_and_route(ctx):
    shown = ["occupational-therapist", "physiotherapist", "podiatrist"]
    second = say(ctx, professions.detail, "tell me about the second one", "ask_profession_info",
                 recommended=shown, profession="occupational-therapist")
    assert second.payloads("profession")[0]["id"] == "physiotherapist"
    explained = say(ctx, routes.routes, "what's a degree apprenticeship like", "ask_routes",
                    entities=[ent("route", "apprenticeship")], profession="occupational-therapist",
                    recommended=shown)
    assert explained.slots["route"] == "apprenticeship"
    other = say(ctx, routes.routes, "could i do the other one that way instead", "ask_routes",
                recommended=shown, profession="occupational-therapist", route="apprenticeship")
    [payload] = other.payloads("routes")
    assert payload["profession"] == "physiotherapist" and payload["routes"][0]["id"] == "apprenticeship"


@pytest.mark.parametrize("text", ["is diagnostic radiography only x-rays or what",
                                  "radiographers just do xrays don't they"])
def test_a_job_question_that_plainly_asks_an_everyday_answer_gets_it(ctx, text):
    reply = say(ctx, professions.detail, text, "ask_profession_info")
    assert [p["id"] for p in reply.payloads("answer")] == ["radiographers-more-than-x-rays"]
    assert [p["id"] for p in reply.payloads("profession")] == ["diagnostic-radiographer"]


def test_a_plain_job_question_still_gets_the_summary(ctx):
    reply = say(ctx, professions.detail, "what does a diagnostic radiographer do", "ask_profession_info")
    assert reply.payloads("answer") == []
    assert [p["id"] for p in reply.payloads("profession")] == ["diagnostic-radiographer"]


@pytest.mark.parametrize("later, days", [("oh and i stopped about 7 years back", "60 days"),
                                         ("been out roughly three years if that matters", "30 days")])
def test_a_returner_saying_later_how_long_they_have_been_out_gets_their_updating(ctx, later, days):
    first = say(ctx, about_me.understand_me, "I used to be a podiatrist and want to go back")
    reply = say(ctx, about_me.understand_me, later, "tell_about_me", profile=first.slots["profile"])
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert days in updating["values"]["detail"]
    [routes_shown] = reply.payloads("routes")
    assert routes_shown["routes"][0]["id"] == "return-to-practice"


def test_a_returners_how_long_is_about_their_updating_not_a_course(ctx):
    told = say(ctx, routes.return_to_practice, "I was a dietitian and left the register 3 years ago")
    reply = say(ctx, professions.detail, "how long would the whole thing take", "ask_entry_requirements",
                profile=told.slots["profile"])
    assert "utter_entry_requirements" not in reply.responses()
    assert [r["id"] for p in reply.payloads("routes") for r in p["routes"]] == ["return-to-practice"] \
        or reply.payloads("answer")


def test_someone_who_never_spoke_of_coming_back_is_not_answered_as_a_returner(ctx):
    text = "I manage a shop, history degree, and I'd love to do what the OT who helped my dad does"
    reply = say(ctx, routes.return_to_practice, text, "ask_return_to_practice",
                [ent("profession", "occupational-therapist")])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist"
    assert "return-to-practice" not in {r["id"] for r in shown["routes"]}
    assert "postgraduate" in {r["id"] for r in shown["routes"]}   # the degree was heard


def test_a_request_for_websites_or_videos_gets_links_whatever_else_it_asks(ctx):
    from bot.dialogue import answers
    reply = say(ctx, answers.answer, "are there any videos or websites about volunteering first",
                "ask_next_steps")
    assert any(p["resources"] for p in reply.payloads("resources"))
    assert all(r["url"].startswith("https://") for p in reply.payloads("resources") for r in p["resources"])


@pytest.mark.parametrize("text", [
    "and how does she find one of those helper jobs",
    "where does he even look for apprenticeships like that",
])
def test_asking_where_to_find_something_gets_links_too(ctx, text):
    reply = say(ctx, routes.routes, text, "ask_routes", profession="occupational-therapist")
    assert any(p["resources"] for p in reply.payloads("resources"))


def test_the_job_last_named_is_the_one_a_bare_follow_up_asks_about(ctx):
    first = say(ctx, about_me.understand_me, "paramedics see loads of emergencies dont they, i love that")
    reply = say(ctx, professions.detail, "what's the starting pay", "ask_pay",
                profile=first.slots["profile"])
    assert [p["id"] for p in reply.payloads("profession")] == ["paramedic"]


@pytest.mark.parametrize("name, a_name", [
    ("Occupational therapist", "an occupational therapist"),
    ("Physiotherapist", "a physiotherapist"),
    ("AHP support worker", "an AHP support worker"),
])
def test_a_job_is_named_with_the_right_article_inside_a_sentence(name, a_name):
    from bot.dialogue.reply import job_names
    assert job_names(name)["a_name"] == a_name


def test_someone_trained_abroad_gets_the_international_route_not_a_welcome_back(ctx):
    reply = say(ctx, routes.return_to_practice,
                "I qualified as a physiotherapist in Kerala and worked there six years. How can I work here?",
                "ask_return_to_practice", [ent("profession", "physiotherapist")])
    [shown] = reply.payloads("routes")
    assert {r["id"] for r in shown["routes"]} == {"international"}
    assert "utter_rtp_intro" not in reply.responses()


@pytest.mark.parametrize("question, intent", [
    ("What English test score will they want from me?", "ask_entry_requirements"),
    ("How long does the HCPC normally take to decide?", "ask_regulator"),
    ("What does the application cost?", "ask_money"),
    # read as other questions, but about their registration here all the same
    ("and roughly how long does the HCPC take?", "ask_routes"),
    ("Is the regulator the same sort of body as the one back home?", "ask_regulator"),
    ("What about English? I studied in English the whole way through.", "ask_profession_info"),
])
def test_someone_trained_abroad_gets_the_international_answer_to_their_questions(ctx, question, intent):
    told = say(ctx, about_me.understand_me, "I qualified as a physiotherapist in Kerala and worked there")
    reply = say(ctx, professions.detail, question, intent, profile=told.slots["profile"])
    assert [p["id"] for p in reply.payloads("answer")] == ["hcpc-international"]


def test_get_into_that_just_after_a_list_is_about_the_best_of_it(ctx):
    reply = say(ctx, routes.routes, "how would i get into that after sixth form", "ask_routes",
                recommended=["speech-and-language-therapist", "orthoptist"])
    assert [p["profession"] for p in reply.payloads("routes")] == ["speech-and-language-therapist"]
    general = say(ctx, routes.routes, "what are the ways in", "ask_routes",
                  recommended=["speech-and-language-therapist", "orthoptist"])
    assert [p["profession"] for p in general.payloads("routes")] == [None]


def test_a_returners_question_about_their_return_is_not_read_as_one_about_the_job(ctx):
    told = say(ctx, routes.return_to_practice, "I was an ODP and came off the register 4 years ago")
    reply = say(ctx, professions.detail, "do I have to find my own placement", "ask_profession_settings",
                profile=told.slots["profile"])
    assert "utter_profession_settings" not in reply.responses()
    assert [p["id"] for p in reply.payloads("answer")][:1] == ["rtp-placement"]


def test_a_situation_told_at_length_with_a_job_named_gets_the_ways_in_for_them(ctx):
    text = ("PT at a gym, 26, only a BTEC in sport. I live on my own so uni with no wage "
            "isn't happening. Physio?")
    reply = say(ctx, professions.detail, text, "ask_pay", [ent("profession", "physiotherapist")])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "physiotherapist" and "apprenticeship" in {r["id"] for r in shown["routes"]}
    # a one-line question about pay stays a question about pay
    short = say(ctx, professions.detail, "how much does an art therapist get paid when they first start?",
                "ask_pay", [ent("profession", "art-therapist")])
    assert not short.payloads("routes")


def test_someone_trained_abroad_telling_their_story_gets_their_jobs_international_route(ctx):
    reply = say(ctx, about_me.understand_me,
                "I was a diagnostic radiographer in Syria for eight years and I live in Coventry now",
                "tell_about_me")
    assert [(p["profession"], [r["id"] for r in p["routes"]]) for p in reply.payloads("routes")] == \
        [("diagnostic-radiographer", ["international"])]


@pytest.mark.parametrize("intent", ["ask_pay", "ask_practical", "ask_profession_info"])
def test_their_own_job_from_abroad_and_a_vague_question_gets_the_international_route(ctx, intent):
    """Whatever DIET reads into "what's the process for me?", someone telling their own job
    and where they trained is asking how to work here."""
    reply = say(ctx, professions.detail, "Im a dietitian from Lagos, just got my visa sorted. "
                "whats the process for me?", intent, [ent("profession", "dietitian")])
    assert [(p["profession"], [r["id"] for r in p["routes"]]) for p in reply.payloads("routes")] == \
        [("dietitian", ["international"])]


def test_a_first_message_about_a_job_is_not_welcomed_back_as_a_returner(ctx):
    reply = say(ctx, routes.return_to_practice, "wait u can make artificial limbs as a job?? how do u get into that",
                "ask_return_to_practice")
    assert "utter_rtp_intro" not in reply.responses()
    assert not [p for p in reply.payloads("routes") if "return-to-practice" in {r["id"] for r in p["routes"]}]


def test_how_long_is_a_named_route_is_answered_with_that_route(ctx):
    reply = say(ctx, professions.detail, "how long is the apprenticeship?", "ask_entry_requirements",
                [ent("route", "apprenticeship")], profession="physiotherapist")
    assert "utter_entry_requirements" not in reply.responses()
    assert reply.slots.get("route") == "apprenticeship"


@pytest.mark.parametrize("text", [
    "can i get paid while training for OT cos money is tight at home",
    "what if i have to keep working while i study to be an OT, we need the money",
    "i'd have to work through it though, there's no one else to pay the rent",
])
def test_getting_paid_while_training_for_a_job_gets_its_paid_ways_in(ctx, text):
    reply = say(ctx, professions.detail, text, "ask_money", [ent("profession", "occupational-therapist")])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist" and "apprenticeship" in {r["id"] for r in shown["routes"]}


def test_a_question_about_part_time_study_says_how_long_the_course_takes_part_time(ctx):
    reply = say(ctx, routes.routes, "Is it full time only or can it be part time?", "ask_routes",
                profession="speech-and-language-therapist")
    said = " ".join(str(v) for m in reply.messages for v in (m.get("values") or {}).values())
    assert "part time" in said


def test_what_is_the_hcpc_is_answered_without_a_job(ctx):
    reply = say(ctx, professions.detail, "what's the HCPC", "ask_regulator")
    [said] = [m["values"] for m in reply.messages if m.get("response") == "utter_regulator"]
    assert said["regulator"] == "Health and Care Professions Council (HCPC)"
    assert said["url"].startswith("https://")


def test_a_second_question_about_the_way_in_is_answered_too(ctx):
    """"I can't drive yet. How would I get into it?": the driving answer, then the ways in."""
    reply = say(ctx, answers.answer, "im only 15 so i cant drive yet lol. so how do i get into it",
                "ask_practical", profession="paramedic")
    assert reply.payloads("answer")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "paramedic"


def test_a_statement_that_names_the_way_in_adds_no_routes(ctx):
    reply = say(ctx, answers.answer, "I've heard you need a C1 licence to become a paramedic.",
                "ask_practical", profession="paramedic")
    assert reply.payloads("answer") and not reply.payloads("routes")


def test_a_degree_held_is_not_the_degree_route_asked_for(ctx):
    """"BSc in computing. Could I retrain in radiography?": a graduate's ways in, master's included."""
    reply = say(ctx, routes.routes, "I work in IT, BSc in computing. Could I retrain as a diagnostic radiographer?",
                "ask_routes", [ent("profession", "diagnostic-radiographer")])
    [shown] = reply.payloads("routes")
    assert "postgraduate" in {r["id"] for r in shown["routes"]}


@pytest.mark.parametrize("text", ["can I do that while working? I need a wage",
                                  "could I train with a hospital and get paid for it?"])
def test_working_while_training_is_not_a_question_about_pay(ctx, text):
    reply = say(ctx, professions.detail, text, "ask_pay", profession="operating-department-practitioner")
    [shown] = reply.payloads("routes")
    assert "apprenticeship" in {r["id"] for r in shown["routes"]}


def test_what_a_job_pays_is_still_a_question_about_pay(ctx):
    reply = say(ctx, professions.detail, "what's the wage like once you qualify", "ask_pay",
                profession="operating-department-practitioner")
    assert not reply.payloads("routes")


@pytest.mark.parametrize("text", [
    "whats the difference between a podiatrist and a chiropodist",   # one job, two names
    "is a dietitian different from a personal trainer who does meal plans",   # one AHP and another role
])
def test_a_difference_within_one_job_is_not_a_comparison_with_the_last_one(ctx, text):
    pid = "podiatrist" if "podiatrist" in text else "dietitian"
    reply = say(ctx, professions.compare, text, "compare_professions", [ent("profession", pid)],
                profession="occupational-therapist", recommended=["occupational-therapist", "physiotherapist"])
    assert not reply.payloads("comparison")
    assert {p["id"] for p in reply.payloads("profession")} == {pid}


@pytest.mark.parametrize("text, intent, title", [
    ("my son's got a VR headset, is there anything like that about health jobs?", "ask_profession_info",
     "AHP VR360"),
    ("is there a competition my year 9s could have a go at?", "ask_outreach", "Step into the NHS"),
    ("any careers stuff that works for SEND pupils?", "ask_next_steps",
     "Careers and Enterprise Company: SEND employer's guide"),
])
def test_a_resource_asked_for_by_what_it_is_is_the_one_shown(ctx, text, intent, title):
    reply = say(ctx, professions.detail, text, intent)
    shown = [m["values"].get("title") for m in reply.messages
             if m.get("response") in ("utter_resource_item", "utter_resource_to_find")]
    assert shown and shown[0] == title


def test_a_resource_word_in_a_story_is_not_a_request(ctx):
    reply = say(ctx, about_me.understand_me, "I volunteer at a stroke club on Saturdays and love it",
                "tell_about_me")
    assert reply.payloads("recommendations") and not reply.payloads("resources")


@pytest.mark.parametrize("intent", ["ask_return_to_practice", "ask_routes"])
def test_a_returners_way_back_is_into_the_job_they_left(ctx, intent):
    told = say(ctx, about_me.understand_me, "Podiatrist, out for 4 years now, selling for an orthotics firm")
    handler = routes.return_to_practice if intent == "ask_return_to_practice" else routes.routes
    reply = say(ctx, handler, "right so how do I get started", intent, profile=told.slots["profile"],
                profession="prosthetist-orthotist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist"
    assert "return-to-practice" in {r["id"] for r in shown["routes"]}


def test_a_way_in_question_read_as_returning_is_the_way_into_the_job_discussed(ctx):
    reply = say(ctx, routes.return_to_practice, "how would i get into it, im in year 9 so not for ages",
                "ask_return_to_practice", profession="orthoptist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "orthoptist" and "return-to-practice" not in {r["id"] for r in shown["routes"]}


@pytest.mark.parametrize("intent", ["ask_routes", "ask_pay"])
def test_a_returner_asking_about_pay_while_updating_gets_the_returners_answer(ctx, intent):
    told = say(ctx, about_me.understand_me, "ODP, left theatres in 2019 and I'm thinking of going back")
    reply = say(ctx, routes.routes, "and is there any pay while I'm doing the updating?", intent,
                profile=told.slots["profile"], profession="operating-department-practitioner")
    assert "rtp-money" in [p["id"] for p in reply.payloads("answer")]


def test_a_support_worker_told_to_go_for_the_registered_job_gets_its_ways_in(ctx):
    reply = say(ctx, about_me.understand_me,
                "I'm a band 3 physio assistant in the community. Everyone says I should go for physiotherapy.",
                "tell_about_me")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "physiotherapist"


def test_the_difference_between_two_names_of_one_job_shows_that_job(ctx):
    reply = say(ctx, professions.detail, "chiropodist or podiatrist, is there a difference", "ask_difference",
                [ent("profession", "podiatrist"), ent("profession", "podiatrist")])
    assert {p["id"] for p in reply.payloads("profession")} == {"podiatrist"}


def test_a_resource_asked_for_after_telling_about_someone_is_shown(ctx):
    reply = say(ctx, about_me.understand_me,
                "my daughter's 12 and lives on her games console. is there anything interactive she could try?",
                "tell_about_me")
    shown = [m["values"].get("title") for m in reply.messages
             if m.get("response") in ("utter_resource_item", "utter_resource_to_find")]
    assert "AHP VR360" in shown


def test_telling_about_themselves_with_a_question_is_still_about_them(ctx):
    reply = say(ctx, about_me.understand_me, "I'm autistic and I love patterns and puzzles, is there a job for me?",
                "tell_about_me")
    assert reply.payloads("recommendations") and not reply.payloads("resources")


def test_a_returners_story_read_as_a_myth_gets_their_return(ctx):
    # no myth in it and no "is it true": DIET's myth guess is their own return
    reply = say(ctx, routes.myth, "I was a dietitian until 2021, then I looked after my dad for a "
                "few years. I'd like to work again now. Can I?", "ask_rtp_myth",
                [ent("profession", "dietitian")])
    assert not reply.payloads("myth")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "dietitian" and shown["routes"][0]["id"] == "return-to-practice"


def test_a_career_changers_hands_on_wish_is_not_a_myth_about_wards(ctx):
    reply = say(ctx, routes.myth, "I've driven buses for 20 years. I'd like a job on a hospital ward "
                "working with patients, but I have no qualifications.", "ask_rtp_myth")
    assert not reply.payloads("myth")


def test_two_routes_named_as_a_choice_get_the_ways_in_not_one_of_them(ctx):
    reply = say(ctx, routes.routes, "is it a degree or an apprenticeship for that", "ask_routes",
                [ent("route", "degree"), ent("route", "apprenticeship")], profession="paramedic")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "paramedic"
    assert {"degree", "apprenticeship"} <= {r["id"] for r in shown["routes"]}


def test_starting_as_a_helper_is_the_support_worker_route(ctx):
    reply = say(ctx, routes.routes, "could I start off as a helper and move up", "ask_routes",
                profession="occupational-therapist")
    assert any(r["id"] == "support-worker" for p in reply.payloads("routes") for r in p["routes"])


def test_a_way_in_asked_after_telling_about_someone_gets_the_ways_in_too(ctx):
    reply = say(ctx, about_me.understand_me, "My niece is 16 and loves helping people, but her grades "
                "are poor. How could she get into the NHS?", "tell_about_me")
    assert reply.payloads("recommendations") and reply.payloads("routes")


@pytest.mark.parametrize("text", [
    "is it true they make you go to therapy yourself while you're a student",
    "would i need to sort out my own therapy on the course",
])
def test_an_answer_is_found_whoever_the_question_says_it_is_for(ctx, text):
    reply = say(ctx, answers.answer, text, "ask_practical", profession="dramatherapist")
    assert [a["id"] for a in reply.payloads("answer")] == ["dramatherapy-entry"]


def test_a_parent_asking_about_childcare_while_studying_hears_of_the_parents_grant(ctx):
    reply = say(ctx, answers.answer, "my two are at nursery, would there be anything to help with childcare while i study",
                "ask_money", profession="occupational-therapist")
    assert "learning-support-fund" in [a["id"] for a in reply.payloads("answer")]


@pytest.mark.parametrize("profession, length", [("therapeutic-radiographer", "36 months"),
                                                ("physiotherapist", "four years")])
def test_how_long_an_apprenticeship_takes_is_told_where_a_source_says(ctx, kb, profession, length):
    reply = say(ctx, routes.routes, "and how many years does the apprentice version take", "ask_routes",
                entities=[ent("route", "apprenticeship")], profession=profession)
    assert reply.payloads("routes")[0]["routes"][0]["id"] == "apprenticeship"
    note = next(r.note for r in kb.profession(profession).routes if r.id == "apprenticeship")
    assert length in note and note in str(reply.messages)


@pytest.mark.parametrize("text", ["could I keep my job and train at the same time",
                                  "is it possible to study while i'm still working full time"])
def test_studying_around_a_job_hears_how_long_the_course_takes_part_time(ctx, text):
    reply = say(ctx, routes.routes, text, "ask_routes", profession="art-therapist")
    [course] = [m for m in reply.messages if m.get("response") == "utter_profession_course"]
    assert "part-time" in course["values"]["course"]


@pytest.mark.parametrize("text, profession", [("which ones hardly anyone does?", None),
                                              ("which one is the rarest out of them", "physiotherapist")])
def test_which_jobs_are_small_or_short_of_people_is_answered_with_the_guide_s_lists(ctx, kb, text, profession):
    reply = say(ctx, professions.detail, text, "ask_demand", profession=profession)
    [said] = [m["values"] for m in reply.messages if m.get("response") == "utter_demand_lists"]
    small = [p.name for p in kb.professions("registered") if p.small_and_vital]
    assert small and all(name in said["small"] for name in small)
    assert "Physiotherapist" not in said["small"]


def test_a_practical_question_without_an_answer_gets_what_the_job_asks_of_newcomers(ctx):
    reply = say(ctx, answers.answer, "do you have to be tall to do it", "ask_practical",
                profession="orthoptist")
    said = [m.get("response") for m in reply.messages]
    assert said[0] == "utter_answer_unknown" and "utter_profession_entry" in said
    assert reply.payloads("routes")[0]["profession"] == "orthoptist"


def test_a_returners_vague_follow_up_is_about_their_return_not_what_the_job_is(ctx):
    reply = say(ctx, professions.detail, "ok and then what", "ask_profession_info",
                profession="podiatrist", profile={"former_profession": "podiatrist", "years_out": 6.0,
                                                  "signals": {"former-registrant": "I was a podiatrist"}})
    assert not reply.payloads("profession") or reply.payloads("routes")
    assert any(r["id"] == "return-to-practice" for p in reply.payloads("routes") for r in p["routes"])


def test_whether_a_job_is_an_ahp_is_answered_before_the_list(ctx):
    reply = say(ctx, professions.list_ahps, "do dietitians count as one of them", "ask_what_are_ahps",
                [ent("profession", "dietitian")])
    assert reply.messages[0]["response"] == "utter_is_an_ahp"
    assert reply.payloads("profession_list")


def test_a_scheme_heard_of_in_a_question_after_a_story_is_shown(ctx):
    reply = say(ctx, about_me.understand_me, "My partner is in the navy so we move a lot. I'm 41 and work in "
                "a bakery. Someone told me there's NHS support for forces families?", "tell_about_me")
    shown = [m["values"].get("title") for m in reply.messages
             if m.get("response") in ("utter_resource_item", "utter_resource_to_find")]
    assert any("Step into Health" in (t or "") for t in shown)


def test_a_returners_later_year_for_something_they_did_is_not_when_they_left(ctx):
    returner = {"former_profession": "dietitian", "years_out": 6.0,
                "signals": {"former-registrant": "I was a dietitian"}}
    reply = say(ctx, routes.return_to_practice, "I completed some online modules back in 2023, do they count?",
                "ask_return_to_practice", profession="dietitian", profile=returner)
    assert reply.slots.get("profile", returner)["years_out"] == 6.0


@pytest.mark.parametrize("question, intent", [
    ("right, so what number of days am I looking at", "ask_next_steps"),
    ("ok what's my first step", "ask_next_steps"),
    ("and where would I begin", "ask_routes"),
])
def test_a_returner_s_follow_up_gets_the_updating_for_their_years(ctx, question, intent):
    """Years out told first; the follow-up, whatever DIET reads it as, gets the days for them."""
    told = say(ctx, routes.return_to_practice, "dietitian here, off the register for eight years now",
               "ask_return_to_practice")
    reply = say(ctx, answers.answer, question, intent, profile=told.slots["profile"])
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert "60 days" in updating["values"]["detail"]
    assert [r["id"] for r in reply.payloads("routes")[0]["routes"]] == ["return-to-practice"]


@pytest.mark.parametrize("text, intent", [
    ("Qualified as a physio in Lagos and practised 6 years. We came over in 2021 and I've been home with "
     "the baby. I'd like to get back to it here. Would return to practice be my route?", "ask_return_to_practice"),
    ("dietitian from Manila, not worked since moving here. is return to practice the way back in for me?",
     "ask_routes"),
])
def test_someone_trained_abroad_asking_for_return_to_practice_gets_the_international_route(ctx, text, intent):
    pid = "physiotherapist" if "physio" in text else "dietitian"
    reply = say(ctx, routes.routes, text, intent, [ent("route", "return-to-practice"), ent("profession", pid)])
    assert "utter_rtp_not_yours" in reply.responses()
    shown = {r["id"] for p in reply.payloads("routes") for r in p["routes"]}
    assert "international" in shown and "return-to-practice" not in shown


def test_someone_never_registered_asking_for_return_to_practice_gets_the_ways_that_fit(ctx):
    text = ("I've never been on a register, I've worked in a bakery for 15 years. could the return "
            "to practice route get me into radiography?")
    reply = say(ctx, routes.routes, text, "ask_routes",
                [ent("route", "return-to-practice"), ent("profession", "diagnostic-radiographer")])
    assert "utter_rtp_not_yours" in reply.responses()
    shown = {r["id"] for p in reply.payloads("routes") for r in p["routes"]}
    assert shown and "return-to-practice" not in shown


def test_too_late_to_become_a_new_job_is_a_routes_question_for_a_career_changer(ctx):
    reply = say(ctx, routes.myth, "been a postman 20 years, am I too old now to become a podiatrist at 45?",
                "ask_rtp_myth", [ent("profession", "podiatrist")])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist" and "return-to-practice" not in {r["id"] for r in shown["routes"]}


def test_links_about_one_job_come_with_that_job_s_card(ctx):
    reply = say(ctx, resources.resources, "where can my niece read up on orthoptics, any good sites?",
                "ask_resources", [ent("profession", "orthoptist")])
    assert reply.payloads("resources")[0]["resources"]
    assert [p["id"] for p in reply.payloads("profession")] == ["orthoptist"]


@pytest.mark.parametrize("said, wanted", [
    ("trouble is I can't go without a salary, there's rent to find", "apprenticeship"),
    ("I should say I've got a geography degree already", "postgraduate"),
])
def test_a_circumstance_told_while_a_job_is_discussed_gets_the_ways_in_that_fit(ctx, said, wanted):
    """Told as a statement after a job's facts: the ways into that job that fit them now."""
    first = say(ctx, professions.detail, "what does an occupational therapist do", "ask_profession_info",
                [ent("profession", "occupational-therapist")])
    reply = say(ctx, about_me.understand_me, said, "tell_about_me", profile=first.slots.get("profile"),
                profession=first.slots["profession"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist"
    assert wanted in {r["id"] for r in shown["routes"]}


@pytest.mark.parametrize("text", [
    "I've been roped into a careers day for our year 8s in spring and know nothing about these jobs",
    "radiographer here, I've agreed to do a talk at my son's primary school next term. where do I begin??",
])
def test_a_teacher_or_an_ahp_preparing_a_talk_gets_help_and_links_not_suggestions(ctx, text):
    reply = say(ctx, about_me.understand_me, text, "tell_about_me")
    assert reply.payloads("resources") and reply.payloads("resources")[0]["resources"]
    assert not reply.payloads("recommendations")


def test_a_pupil_described_by_their_teacher_still_gets_suggestions(ctx):
    reply = say(ctx, about_me.understand_me,
                "one of my students is brilliant at chemistry and loves cooking for people, "
                "what might suit her?", "tell_about_me")
    assert reply.payloads("recommendations")


def test_a_bare_amount_after_the_years_question_gets_the_days(ctx):
    asked = say(ctx, routes.return_to_practice, "I'm a paramedic who came off the register, how do I come back?",
                "ask_return_to_practice", [ent("profession", "paramedic")])
    assert "utter_rtp_ask_years" in asked.responses()
    reply = say(ctx, about_me.understand_me, "roughly 3", "tell_about_me", profile=asked.slots["profile"])
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert "30 days" in updating["values"]["detail"]


def test_a_returner_asking_the_way_back_gets_it_not_a_myth_their_words_brushed(ctx):
    text = ("qualified dramatherapist, I stopped in 2017 for a mix of reasons and let my registration "
            "lapse. what's the way back for me?")
    reply = say(ctx, routes.myth, text, "ask_rtp_myth", [ent("profession", "dramatherapist")])
    assert not reply.payloads("myth")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "dramatherapist" and shown["routes"][0]["id"] == "return-to-practice"
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert "60 days" in updating["values"]["detail"]


def test_a_returners_question_an_answer_about_returning_plainly_fits_gets_it_whatever_diet_read(ctx):
    """A returner asks whether their updating can be teaching, in words DIET takes for money:
    the answer that says where supervised practice can be, with their return."""
    first = say(ctx, routes.return_to_practice, "podiatrist, left in 2021, want to come back", "ask_return_to_practice")
    reply = say(ctx, answers.answer, "ok so could a chunk of it be teaching students at the uni instead?", "ask_money",
                profile=first.slots["profile"], profession=first.slots.get("profession"))
    assert [a["id"] for a in reply.payloads("answer")] == ["rtp-where"]
    assert reply.payloads("routes")[0]["routes"][0]["id"] == "return-to-practice"


def test_a_returner_who_became_a_teacher_is_not_planning_a_lesson(ctx):
    reply = say(ctx, about_me.understand_me, "I was an OT for 8 years, left in 2015 to work as a teacher, "
                "and I'm thinking about going back. how would it work?", "tell_about_me")
    assert reply.payloads("routes")[0]["routes"][0]["id"] == "return-to-practice"


def test_a_short_follow_up_naming_another_job_asks_the_last_question_again(ctx):
    first = say(ctx, routes.routes, "with my chemistry degree, how would I qualify as a dietitian?",
                "ask_routes", [ent("profession", "dietitian")])
    assert first.slots["asked"] == "ask_routes"
    reply = say(ctx, professions.detail, "and what about speech therapy?", "ask_profession_info",
                [ent("profession", "speech-and-language-therapist")], profile=first.slots["profile"],
                profession=first.slots["profession"], asked=first.slots["asked"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "speech-and-language-therapist"
    assert "postgraduate" in {r["id"] for r in shown["routes"]}   # the degree told before still counts


def test_the_other_one_they_mentioned_is_the_other_job_they_named(ctx):
    told = say(ctx, about_me.understand_me, "I've been looking at orthoptics and radiotherapy, "
               "I've got a maths degree", "tell_about_me")
    first = say(ctx, routes.routes, "how would I qualify in orthoptics?", "ask_routes",
                [ent("profession", "orthoptist")], profile=told.slots["profile"],
                recommended=told.slots.get("recommended") or [])
    reply = say(ctx, routes.routes, "ok and the other one I mentioned?", "ask_routes",
                profile=first.slots["profile"], profession=first.slots["profession"],
                recommended=told.slots.get("recommended") or [], asked=first.slots["asked"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "therapeutic-radiographer"


def test_a_follow_up_with_a_question_of_its_own_is_that_question(ctx):
    first = say(ctx, routes.routes, "how do I become a podiatrist?", "ask_routes",
                [ent("profession", "podiatrist")])
    reply = say(ctx, professions.detail, "and how much do paramedics earn?", "ask_pay",
                [ent("profession", "paramedic")], asked=first.slots["asked"], profile=first.slots["profile"])
    assert not reply.payloads("routes") and [p["id"] for p in reply.payloads("profession")] == ["paramedic"]


def test_is_it_an_ahp_about_one_job_shows_that_job(ctx):
    reply = say(ctx, professions.list_ahps, "the orthotics one, does that count as an AHP job?",
                "ask_what_are_ahps", [ent("profession", "prosthetist-orthotist")])
    assert "utter_is_an_ahp" in reply.responses()
    assert [p["id"] for p in reply.payloads("profession")] == ["prosthetist-orthotist"]


def test_a_study_question_from_someone_never_registered_is_not_welcomed_back(ctx):
    first = say(ctx, routes.routes, "how do u become a music therapist", "ask_routes",
                [ent("profession", "music-therapist")])
    reply = say(ctx, routes.return_to_practice, "hang on so is that two degrees then??", "ask_return_to_practice",
                profile=first.slots["profile"], profession=first.slots["profession"])
    assert "utter_rtp_intro" not in reply.responses()
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "music-therapist" and "return-to-practice" not in {r["id"] for r in shown["routes"]}


def test_a_way_in_question_diet_takes_for_another_is_answered_with_the_ways_in(ctx):
    first = say(ctx, professions.detail, "what does a paramedic do", "ask_profession_info",
                [ent("profession", "paramedic")])
    reply = say(ctx, about_me.find_career, "so how would a person like me get into it", "find_career",
                profile=first.slots.get("profile"), profession=first.slots["profession"])
    assert reply.payloads("routes")[0]["profession"] == "paramedic"


@pytest.mark.parametrize("text", ["are there any taster days he could go on over the summer?",
                                  "where would we look for one near us?",
                                  "got anything hands-on for a group of year 6s?"])
def test_asking_where_to_look_or_for_something_to_do_gets_links(ctx, text):
    first = say(ctx, professions.detail, "what does a podiatrist do", "ask_profession_info",
                [ent("profession", "podiatrist")])
    reply = say(ctx, answers.answer, text, "ask_next_steps", profile=first.slots.get("profile"),
                profession=first.slots["profession"])
    assert reply.payloads("resources") and reply.payloads("resources")[0]["resources"]


def test_an_answer_about_one_job_shows_that_job_not_the_one_before(ctx):
    first = say(ctx, professions.detail, "what does a podiatrist do", "ask_profession_info",
                [ent("profession", "podiatrist")])
    reply = say(ctx, professions.compare, "hmm is a dietitian the same as a nutritionist though?",
                "ask_difference", [ent("profession", "dietitian")], profession=first.slots["profession"])
    assert reply.payloads("answer") and [p["id"] for p in reply.payloads("profession")] == ["dietitian"]


def test_the_same_job_by_another_name_is_one_job(ctx):
    first = say(ctx, professions.detail, "what does a podiatrist do", "ask_profession_info",
                [ent("profession", "podiatrist")])
    reply = say(ctx, answers.answer, "and is that the same as a chiropodist?", "ask_difference",
                [ent("profession", "podiatrist")], profession=first.slots["profession"])
    assert [p["id"] for p in reply.payloads("profession")] == ["podiatrist"]
    assert "utter_answer_unknown" not in reply.responses()
    # and it says so: both names are protected titles of that one job
    [same] = [m["values"] for m in reply.messages if m.get("response") == "utter_same_job_two_titles"]
    assert "chiropodist" in same["titles"] and "podiatrist" in same["titles"] and "HCPC" in same["regulator"]


@pytest.mark.parametrize("text, pid", [
    ("are chiropodists and podiatrists different jobs or the same", "podiatrist"),
    ("is an art psychotherapist different from an art therapist?", "art-therapist"),
])
def test_two_protected_titles_of_one_job_are_said_to_be_the_same_job(ctx, text, pid):
    reply = say(ctx, professions.compare, text, "ask_difference", [ent("profession", pid), ent("profession", pid)])
    assert "utter_same_job_two_titles" in reply.responses()
    assert [p["id"] for p in reply.payloads("profession")] == [pid]


def test_a_job_and_a_role_outside_the_ahps_are_not_called_the_same_job(ctx):
    reply = say(ctx, professions.compare, "is an osteopath the same as a chiropractor", "ask_difference",
                [ent("profession", "osteopath")])
    assert "utter_same_job_two_titles" not in reply.responses()


def test_a_returner_asking_how_to_update_gets_the_updating(ctx):
    told = say(ctx, routes.return_to_practice, "I'm an orthoptist, off the register since 2018",
               "ask_return_to_practice", [ent("profession", "orthoptist")])
    reply = say(ctx, professions.detail, "could I do part of it as an online course instead of in clinic?",
                "ask_profession_settings", profile=told.slots["profile"], profession=told.slots["profession"])
    updating = next(m for m in reply.messages if m.get("response") == "utter_rtp_updating")
    assert "formal study" in updating["values"]["notes"] + updating["values"]["detail"]


def test_where_can_my_son_read_asks_for_links(ctx):
    reply = say(ctx, professions.detail, "where can my son read about osteopathy?", "ask_profession_info",
                [ent("profession", "osteopath")])
    assert reply.payloads("resources") and [p["id"] for p in reply.payloads("profession")][:1] == ["osteopath"]


@pytest.mark.parametrize("handler, intent", [
    (professions.detail, "ask_profession_info"),
    (answers.answer, "ask_difference"),
])
def test_an_answer_about_another_job_makes_that_job_the_subject(ctx, handler, intent):
    """Podiatry under discussion, then "so is that like being a nutritionist?": the answer about
    dietitians, whose card is shown, and dietitian is the job a later "how do I train" is about."""
    reply = say(ctx, handler, "so is that like being a nutritionist??", intent, profession="podiatrist")
    assert [a["id"] for a in reply.payloads("answer")] == ["dietitian-or-nutritionist"]
    assert [c["id"] for c in reply.payloads("profession")] == ["dietitian"]
    assert reply.slots["profession"] == "dietitian"


def test_a_way_in_asked_in_its_own_shape_gets_the_ways_in(ctx):
    """"is there any way to do it that doesn't mean full-time uni?" read as money: the ways into
    the job being discussed come with the answer."""
    reply = say(ctx, answers.answer, "is there any way to do it without full time uni? rent wont pay itself",
                "ask_money", profession="podiatrist")
    assert [p["profession"] for p in reply.payloads("routes")] == ["podiatrist"]


def test_a_question_with_a_time_in_it_does_not_change_the_years_out(ctx):
    """Told 7 years out, then "is 60 days like three months full time?": still 7 years; "sorry
    it's more like 9 years" later does change it."""
    first = say(ctx, routes.return_to_practice, "I was an OT til 2019, how do I come back",
                "ask_return_to_practice")
    years = first.slots["profile"]["years_out"]
    asked = say(ctx, routes.return_to_practice, "is 60 days like three months full time?",
                "ask_return_to_practice", profile=first.slots["profile"])
    assert asked.slots.get("profile", first.slots["profile"])["years_out"] == years
    corrected = say(ctx, routes.return_to_practice, "sorry it's more like 9 years", "tell_about_me",
                    profile=first.slots["profile"])
    assert corrected.slots["profile"]["years_out"] == 9


@pytest.mark.parametrize("text, answer_id", [
    ("does the twelve month rule mean it all has to be within a year", "rtp-how-long"),   # "12 months"
    ("will they want to look at your art", "art-therapy-portfolio"),                     # "my art"
])
def test_answers_are_found_whatever_the_number_or_the_owner(ctx, text, answer_id):
    profession = "art-therapist" if "art" in text else "physiotherapist"
    reply = say(ctx, answers.answer, text, "ask_practical" if "art" in text else "ask_return_to_practice",
                profession=profession, profile={"signals": {"former-registrant": "x"}, "years_out": 6}
                if "rule" in text else {})
    assert answer_id in [a["id"] for a in reply.payloads("answer")]


def test_a_returner_asking_whether_online_learning_counts_hears_what_formal_study_can_be(ctx):
    reply = say(ctx, routes.return_to_practice, "can an online course count for some of the days?",
                "ask_return_to_practice", profile={"signals": {"former-registrant": "x"}, "years_out": 3,
                                                   "former_profession": "dietitian"})
    [updating] = [m for m in reply.messages if m.get("response") == "utter_rtp_updating"]
    assert "e-learning" in updating["values"]["notes"]


def test_a_returner_naming_their_job_in_one_word_gets_its_return(ctx):
    """"I want to get back on the register, it's been about six years" then just "podiatry":
    the return for a podiatrist with six years out, not what a podiatrist does."""
    first = say(ctx, routes.return_to_practice, "I want to get back on the register, its been about six years",
                "ask_return_to_practice")
    reply = say(ctx, professions.detail, "podiatry", "ask_profession_info", profile=first.slots["profile"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist"
    assert [r["id"] for r in shown["routes"]] == ["return-to-practice"]
    assert "utter_rtp_updating" in reply.responses()


RETURNER = {"signals": {"former-registrant": "x"}, "years_out": 4, "former_profession": "podiatrist"}


@pytest.mark.parametrize("text, answer_id", [
    ("could I be a helper in the foot clinic while I get my days done?", "rtp-placement"),
    ("how much is it to rejoin the hcpc?", "rtp-money"),
    ("my old study days were ages ago, do they need to be recent?", "rtp-how-long"),
    ("could my mate supervise me, she only qualified in 2024", "rtp-supervisor"),
    ("does the supervised bit have to be in a hospital theatre", "rtp-where"),
])
def test_a_returners_practical_question_gets_its_own_answer(ctx, text, answer_id):
    reply = say(ctx, routes.return_to_practice, text, "ask_return_to_practice", profile=RETURNER)
    assert [a["id"] for a in reply.payloads("answer")][:1] == [answer_id]


def test_a_returning_question_with_no_myth_in_it_gets_the_answer_and_their_return(ctx):
    """"my friend reckons I could work as an assistant while I update, is that right?" read as
    a myth: none matches, so the answer about working while updating, and their way back."""
    reply = say(ctx, routes.myth, "my friend reckons I could work as an assistant while I update, is that right?",
                "ask_rtp_myth", profile=RETURNER)
    assert [a["id"] for a in reply.payloads("answer")] == ["rtp-placement"]
    assert [r["id"] for p in reply.payloads("routes") for r in p["routes"]] == ["return-to-practice"]


def test_waiting_longer_gets_the_updating_for_then_and_keeps_what_they_said(ctx):
    """Four years out, "what if I wait two more years before I apply?": 60 days for six years;
    the four years they told stay in the profile."""
    profile = {"signals": {"former-registrant": "x"}, "years_out": 4, "former_profession": "orthoptist"}
    reply = say(ctx, routes.return_to_practice, "what if I wait two more years before I apply?",
                "ask_return_to_practice", profile=profile)
    [updating] = [m for m in reply.messages if m.get("response") == "utter_rtp_updating"]
    assert updating["values"]["years"] == "6" and "60 days" in updating["values"]["detail"]
    assert reply.slots["profile"]["years_out"] == 4


def test_working_unpaid_for_months_is_answered_as_a_myth(ctx):
    reply = say(ctx, routes.myth, "surely I'd be stuck doing months unpaid before I'm back on the register",
                "ask_rtp_myth", profile=RETURNER)
    assert [m["id"] for m in reply.payloads("myth")] == ["unpaid-for-months"]


def test_telling_where_they_trained_and_the_job_they_want_here_gets_the_international_route(ctx):
    reply = say(ctx, about_me.understand_me, "Hello, I am from India, 4 years working in the operating "
                "theatres there. I want to work as an ODP in the NHS", "tell_about_me")
    assert [(p["profession"], [r["id"] for r in p["routes"]]) for p in reply.payloads("routes")] == \
        [("operating-department-practitioner", ["international"])]


def test_whether_the_employer_pays_for_a_course_is_the_apprenticeship_answer(ctx):
    reply = say(ctx, answers.answer, "so will the trust pay for the course fees?", "ask_money", profession="paramedic")
    assert [a["id"] for a in reply.payloads("answer")] == ["apprentices-earn"]


@pytest.mark.parametrize("years, weeks", [(3, "6"), (8, "12")])
def test_a_returner_asking_in_weeks_hears_their_days_in_full_time_weeks(ctx, years, weeks):
    profile = {"signals": {"former-registrant": "x"}, "years_out": years, "former_profession": "dietitian"}
    reply = say(ctx, answers.answer, "roughly how many weeks is that if I go at it full-time?", "ask_routes",
                profile=profile)
    [said] = [m for m in reply.messages if m.get("response") == "utter_rtp_weeks"]
    assert said["values"]["weeks"] == weeks


def test_training_while_still_in_work_gets_the_paid_ways_in(ctx):
    reply = say(ctx, answers.answer, "could i do the training while im still working?", "ask_money",
                profession="occupational-therapist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist"
    assert "apprenticeship" in [r["id"] for r in shown["routes"]]


@pytest.mark.parametrize("text, intent, first", [
    # the question is about students' money; earning is the circumstance: the grant first
    ("Do students on the course get any extra money? I can't stop earning though", "ask_money", "answer"),
    # the question is about being paid while training: the paid ways in first
    ("do you get anything while you're doing the degree", "ask_pay", "routes"),
    ("could i get paid while i train, i've got rent to cover", "ask_money", "routes"),
])
def test_money_while_training_from_someone_who_earns_answers_both_parts(ctx, text, intent, first):
    handler = answers.answer if intent == "ask_money" else professions.detail   # as the actions map them
    reply = say(ctx, handler, text, intent, profession="diagnostic-radiographer")
    kinds = [p["type"] for p in reply.payloads() if p["type"] in ("answer", "routes")]
    assert kinds[0] == first and set(kinds) == {"answer", "routes"}
    [answer] = reply.payloads("answer")
    assert answer["id"] == "learning-support-fund"
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "diagnostic-radiographer"
    assert "apprenticeship" in {r["id"] for r in shown["routes"]}


@pytest.mark.parametrize("text", [
    "wheres the page with all the courses on it",
    "can you point me to anything for grandparents about these jobs",
    "is there a list or something we could look at together tonight",
    "vids?? i dont read much",
    "is there anyone in the job my daughter could talk to before she applies",
    # something to show or hand out, someone to hear from, somewhere to sign up
    "got any footage of an orthoptist at work for my year 8s",
    "we need a printable sheet about eye jobs for our open evening",
    "could an orthoptist come in and speak at our youth club",
    "how would I sign up to help at careers events",
])
def test_a_request_for_something_to_read_watch_or_talk_to_gets_links(ctx, text):
    """Asked for by the shape of the words, whatever DIET made of them: the answer and links."""
    reply = say(ctx, professions.detail, text, "ask_profession_info", profession="orthoptist")
    assert reply.payloads("resources")


def test_which_job_leaves_out_a_remembered_job_the_knowledge_base_no_longer_has(ctx):
    # the last list shown lives in the conversation's slots, so it can outlast a job's id
    turn = Turn(text="how much do they earn", intent="ask_pay", recommended=["physiotherapist", "retired-job"])
    reply = professions.which_profession(ctx, turn, "ask_pay")
    [question] = [m for m in reply.messages if m.get("response") == "utter_which_profession"]
    offered = [b["payload"] for b in question["buttons"]]
    assert any('"physiotherapist"' in p for p in offered)
    assert not any("retired-job" in p for p in offered)


def test_every_resources_payload_has_the_one_shape(ctx):
    """Links for an audience, a returner's, the results summary's and an everyday answer's: each
    with its title, address and source (where the knowledge base says it comes from, else the
    address itself), whichever reply shows them."""
    told = say(ctx, about_me.understand_me, "I love music and I'm good at listening to people")
    replies = {
        "resources": say(ctx, resources.resources, "anything for teachers?", "ask_resources"),
        "returner": say(ctx, routes.return_to_practice, "I was a dietitian, how do I come back?",
                        "ask_return_to_practice", [ent("profession", "dietitian")]),
        "results": say(ctx, about_me.my_results, "my results", "ask_my_results",
                       profile=told.slots["profile"]),
        "answer": say(ctx, answers.answer, "are there any videos or websites about volunteering first",
                      "ask_next_steps"),
    }
    for name, reply in replies.items():
        shown = [r for p in reply.payloads("resources") for r in p["resources"]]
        shown += [r for p in reply.payloads("results") for r in p["resources"]]
        assert shown, name
        for r in shown:
            assert set(r) == {"title", "url", "source"} and r["title"], (name, r)
            assert r["url"].startswith("https://"), (name, r)
            assert r["source"] == r["url"] or re.match(r"guide#[a-z0-9-]+$|https://", r["source"]), (name, r)


def test_key_dates_name_the_next_day_of_a_date_that_is_the_same_every_year(ctx):
    from tests.unit.test_domain import domain
    texts = domain()["responses"]
    reply = resources.key_dates(ctx, Turn(text="when are the key dates", intent="ask_key_dates"),
                                today=date(2026, 12, 7))
    # each date as the person reads it, the response's text filled with the values
    shown = {m["values"]["name"]: texts[m["response"]][0]["text"].format(**m["values"])
             for m in reply.messages if m["response"] in ("utter_key_date", "utter_key_date_next_on")}
    assert shown["AHPs Day"].startswith("- AHPs Day (next on 14 October 2027): The day that celebrates")
    assert shown["UCAS Clearing"].startswith("- UCAS Clearing (from early July): Clearing, for finding")
    assert "National ODP Day" not in shown   # a day for one profession, and none is being discussed


def test_a_returner_comparing_with_another_job_hears_about_their_own(ctx):
    """An osteopath coming back asks whether physios' rules are theirs: the GOsC's, not the HCPC's."""
    first = say(ctx, routes.return_to_practice, "used to be an osteopath, off the register since 2021",
                "ask_return_to_practice", [ent("profession", "osteopath")])
    second = say(ctx, routes.return_to_practice, "do I follow what the physios do then?",
                 "ask_return_to_practice", [ent("profession", "physiotherapist")],
                 profile=first.slots["profile"], profession="osteopath")
    [shown] = second.payloads("routes")
    assert shown["profession"] == "osteopath"
    assert [m["response"] for m in second.messages if m.get("response", "").startswith("utter_rtp_gosc")]


@pytest.mark.parametrize("first, question, expected", [
    ("paramedic, came off the register in 2019", "who should I get in touch with first", "rtp-contact"),
    ("OT, been out since 2017", "so who can help me with all this", "rtp-contact"),
])
def test_a_returner_asking_who_to_contact_hears_who(ctx, first, question, expected):
    told = say(ctx, routes.return_to_practice, first, "ask_return_to_practice")
    reply = say(ctx, answers.answer, question, "ask_next_steps", profile=told.slots["profile"],
                profession=told.slots.get("profession"))
    assert [p["id"] for p in reply.payloads("answer")] == [expected]


def test_an_osteopath_asking_who_to_talk_to_hears_of_the_gosc(ctx):
    told = say(ctx, routes.return_to_practice, "osteopath, not practised since 2020", "ask_return_to_practice",
               [ent("profession", "osteopath")])
    reply = say(ctx, answers.answer, "ok and who do I actually have to talk to", "ask_next_steps",
                profile=told.slots["profile"], profession="osteopath")
    said = " ".join(str(m.get("values", {})) for m in reply.messages)
    assert "General Osteopathic Council" in said or "GOsC" in said


def test_one_way_into_a_job_also_shows_the_job(ctx):
    """"how long is the apprenticeship" about ODPs: that way in, and the job's own card."""
    reply = say(ctx, routes.routes, "how long is the apprenticeship", "ask_routes",
                [ent("route", "apprenticeship")], profession="operating-department-practitioner")
    assert [r["id"] for r in reply.payloads("routes")[0]["routes"]] == ["apprenticeship"]
    assert reply.payloads("profession") == [
        {"type": "profession", "id": "operating-department-practitioner", "aspect": "routes"}]


@pytest.mark.parametrize("text, intent", [
    ("is there a paid route? I really can't afford to stop earning", "ask_pay"),
    ("any paid option for that, I couldn't quit work", "ask_money"),
    # not working is what they can't afford
    ("could I go the apprentice way, honestly can't afford not to work", "ask_money"),
    # a need told, in a pay question's words, about them: not what the job pays
    ("I'd have to keep earning though", "ask_pay"),
])
def test_asking_for_a_paid_way_in_gets_the_ways_in(ctx, text, intent):
    reply = say(ctx, answers.answer, text, intent, profession="podiatrist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist" and "apprenticeship" in [r["id"] for r in shown["routes"]]


def test_a_circumstance_that_changes_the_ways_in_gets_them_for_the_job_discussed(ctx):
    """DIET reads "what if I never want to sit exams again" as a returner's worry; it is a career
    changer's circumstance about the podiatry being discussed."""
    reply = say(ctx, answers.answer, "what if i'd rather skip uni completely, exams aren't for me",
                "ask_rtp_myth", profession="podiatrist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist"
    assert "return-to-practice" not in [r["id"] for r in shown["routes"]]


def test_whether_a_wanted_job_is_within_reach_gets_the_ways_in_that_fit(ctx):
    told = say(ctx, about_me.understand_me, "I stack shelves nights, only got GCSEs, and I've rent to pay")
    reply = say(ctx, answers.answer, "speech therapy is what i am after. is it realistic?",
                "ask_pay", [dict(ent("profession", "speech-and-language-therapist"), role="target")],
                profile=told.slots["profile"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "speech-and-language-therapist"
    assert "apprenticeship" in [r["id"] for r in shown["routes"]]


@pytest.mark.parametrize("text, myth_id", [
    # believed, in words none of the myth's phrases hold: the answer that sets it right, and the myth
    ("i'm guessing it all has to happen on a busy hospital ward", "frontline-only"),
    ("so I'd have to arrange it all through the HCPC I presume", "hcpc-finds-placement"),
])
def test_a_myth_believed_in_other_words_is_named_with_the_answer_that_sets_it_right(ctx, kb, text, myth_id):
    reply = say(ctx, routes.return_to_practice, text, "ask_return_to_practice", profile=RETURNER)
    [shown] = reply.payloads("myth")
    assert shown["id"] == myth_id
    [answer] = reply.payloads("answer")
    assert next(a for a in kb.answers() if a.id == answer["id"]).myth == myth_id


def test_a_returning_question_that_believes_nothing_gets_the_answer_without_a_myth(ctx):
    reply = say(ctx, routes.return_to_practice, "where can the updating happen?", "ask_return_to_practice",
                profile=RETURNER)
    assert [a["id"] for a in reply.payloads("answer")] == ["rtp-where"] and not reply.payloads("myth")


def test_interests_with_a_circumstance_that_rules_ways_out_get_the_ways_left_too(ctx):
    """"love being on my feet helping people, but uni just isn't an option for me": the jobs
    that suit them, and the ways in that don't need a degree first."""
    reply = say(ctx, about_me.understand_me, "I love being on my feet and helping people, but uni just "
                "isn't an option for me", "tell_about_me")
    assert reply.payloads("recommendations")
    [shown] = reply.payloads("routes")
    ids = {r["id"] for r in shown["routes"]}
    assert "support-worker" in ids and "degree" not in ids and "postgraduate" not in ids


@pytest.mark.parametrize("text, answer_id", [
    ("so would my trust have to pay for all of it", "apprentices-earn"),
    ("and who would actually sign my hours off at the end", "rtp-supervisor"),
])
def test_an_answer_s_cue_said_in_another_order_still_finds_it(ctx, text, answer_id):
    """ "would my trust have to pay": the cue "will the trust pay", its words in another order."""
    from bot.dialogue import answers as everyday
    intent = "ask_money" if "pay" in text else "ask_return_to_practice"
    found = everyday.best(ctx, Turn(text=text, intent=intent, profession="physiotherapist"),
                          everyday.TOPICS[intent])
    assert found and found[0].id == answer_id


@pytest.mark.parametrize("text, intent", [
    ("When is AHPs Day and where can I find stuff about it? We'd like an assembly on it", "ask_resources"),
    ("what date is ahp day this year, and what do schools usually do for it", "ask_outreach"),
])
def test_a_key_date_asked_with_something_else_is_answered_too(ctx, text, intent):
    from bot.dialogue import resources as links
    reply = say(ctx, links.resources, text, intent)
    [said] = [m["values"] for m in reply.messages if m.get("response") == "utter_key_date_next_on"]
    assert said["name"] == "AHPs Day" and said["day"].startswith("14 October")
    assert reply.payloads("resources")


def test_a_key_date_named_without_asking_when_is_not_added(ctx):
    from bot.dialogue import resources as links
    reply = say(ctx, links.resources, "we did loads for AHPs Day last year, any new resources?", "ask_resources")
    assert "utter_key_date_next_on" not in reply.responses()


def test_a_money_question_about_the_way_in_just_discussed_is_about_that_way_in(ctx):
    from bot.dialogue import answers as everyday
    first = say(ctx, resources.resources, "where can my nephew find radiography apprenticeship vacancies",
                "ask_resources", [ent("route", "apprenticeship")])
    assert first.slots["route"] == "apprenticeship"
    reply = say(ctx, everyday.answer, "and who pays the uni fees on those", "ask_money", route=first.slots["route"],
                profession="diagnostic-radiographer")
    assert [p["id"] for p in reply.payloads("answer")][:1] == ["apprentices-earn"]


@pytest.mark.parametrize("text, intent", [
    ("oh and I have got a degree btw, english and drama", "tell_about_me"),
    ("I do have a degree as it happens, history and art, a long time ago", "find_career"),
])
def test_a_degree_told_later_with_its_subject_gets_the_ways_in_for_a_graduate(ctx, text, intent):
    """The degree's subject ("english and drama", "history and art") is what they studied, not an interest."""
    reply = say(ctx, about_me.understand_me, text, intent, profession="occupational-therapist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "occupational-therapist"
    assert "postgraduate" in {r["id"] for r in shown["routes"]}


def test_an_everyday_question_read_as_a_returners_myth_gets_its_answer(ctx):
    """Nothing said is about coming back: the everyday answer its words ask for, not suggestions."""
    told = say(ctx, about_me.understand_me, "I love drama and I run youth theatre on weekends")
    reply = say(ctx, routes.return_to_practice, "my mate says dramatherapy trainees need to be in therapy "
                "themselves the whole time. is that right?", "ask_rtp_myth", profile=told.slots["profile"],
                profession="dramatherapist")
    assert [p["id"] for p in reply.payloads("answer")][:1] == ["dramatherapy-entry"]
    assert not reply.payloads("recommendations")


def test_a_route_question_just_after_suggestions_that_sound_right_is_about_the_first(ctx):
    first = say(ctx, about_me.understand_me, "I love language and accents and how little kids learn to talk")
    top = first.payloads("recommendations")[0]["professions"][0]["id"]
    reply = say(ctx, routes.routes, "sounds great! how would i get in with my history degree", "ask_routes",
                profile=first.slots["profile"], recommended=first.slots["recommended"])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == top


@pytest.mark.parametrize("text, intent, myth", [
    ("and it's all unpaid I bet, that's what's stopped me till now", "ask_what_are_ahps", "unpaid-for-months"),
    ("honestly I'm scared they'll make me redo the whole degree", "tell_about_me", "short-break-needs-updating"),
])
def test_a_returners_worry_said_in_passing_is_set_right(ctx, text, intent, myth):
    told = say(ctx, routes.return_to_practice, "orthoptist, left the register in 2017, thinking of going back")
    reply = say(ctx, about_me.understand_me, text, intent, profile=told.slots["profile"])
    assert [p["id"] for p in reply.payloads("myth")] == [myth]


def test_a_time_in_someone_elses_career_is_not_the_returners_time_out(ctx):
    told = say(ctx, routes.return_to_practice, "I was a dietitian, left the register about a decade ago")
    assert ctx.profile(told.slots["profile"]).years_out == 10
    reply = say(ctx, routes.return_to_practice, "a mate of mine is a dietitian, she qualified 3 years ago, "
                "could she sign me off", "ask_return_to_practice", profile=told.slots["profile"])
    assert ctx.profile(reply.slots.get("profile") or told.slots["profile"]).years_out == 10


def test_a_returner_asking_how_soon_they_could_be_back_gets_their_updating_not_a_course(ctx):
    told = say(ctx, routes.return_to_practice, "podiatrist, off the register since 2018")
    reply = say(ctx, professions.detail, "ok so how soon could i actually be working again", "ask_entry_requirements",
                profile=told.slots["profile"])
    assert "utter_rtp_updating" in reply.responses() and "utter_profession_entry" not in reply.responses()


def test_a_returner_asking_what_help_there_is_gets_who_pays(ctx):
    told = say(ctx, routes.return_to_practice, "radiographer, out 4 years, worried about the cost of coming back")
    reply = say(ctx, routes.return_to_practice, "so is there any help then", "ask_return_to_practice",
                profile=told.slots["profile"])
    assert "rtp-money" in [p["id"] for p in reply.payloads("answer")]


@pytest.mark.parametrize("text, myth_id", [
    # their age and a doubt beside it: the worry that they are too old to come back
    ("realistically who hires a 61 year old back onto the wards", "experience-wont-count"),
    ("i'm 57, is there still any chance for me", "experience-wont-count"),
    # their age alone is no worry
    ("I'm 57 and left dietetics in 2015, how do I get back on the register", None),
])
def test_a_returner_doubting_because_of_their_age_gets_the_fact(ctx, text, myth_id):
    reply = say(ctx, routes.return_to_practice, text, "ask_return_to_practice")
    assert [p["id"] for p in reply.payloads("myth")] == ([myth_id] if myth_id else [])
    # their age is not their time out
    assert all("57 years" not in str(m) and "61 years" not in str(m) for m in reply.messages)


def test_what_the_job_pays_asked_in_a_need_to_earns_words_is_its_pay(ctx):
    """"get paid" is also how people say they need to earn; a question about them is its pay."""
    reply = say(ctx, answers.answer, "wat do the assistants get paid", "ask_pay", profession="podiatrist")
    assert not reply.payloads("routes")


def test_two_jobs_no_everyday_answer_tells_apart_are_compared_and_the_second_is_pointed_at(ctx):
    """"so what separates a dietitian from a podiatrist?": no everyday answer is about those two,
    so both are compared; "the second one" next is the podiatrist."""
    compared = say(ctx, answers.answer, "so what separates a dietitian from a podiatrist really?",
                   "ask_difference", [ent("profession", "dietitian"), ent("profession", "podiatrist")])
    [table] = compared.payloads("comparison")
    assert [p["id"] for p in table["professions"]] == ["dietitian", "podiatrist"]
    follow = say(ctx, professions.detail, "ok and the second one, where do they work", "ask_profession_settings",
                 recommended=compared.slots["recommended"], profession=compared.slots["profession"])
    assert follow.payloads("profession")[0]["id"] == "podiatrist"


def test_the_answer_about_both_jobs_named_wins_and_the_second_is_pointed_at(ctx):
    """"how is an OT different from a physio": the everyday answer about those two (not the one
    about physios and osteopaths); "the second one" next is the one named second."""
    reply = say(ctx, answers.answer, "how is an OT any different from a physio, honestly",
                "ask_difference", [ent("profession", "occupational-therapist"), ent("profession", "physiotherapist")])
    [shown] = reply.payloads("answer")
    assert shown["id"] == "ot-or-physio"
    assert reply.slots["recommended"] == ["occupational-therapist", "physiotherapist"]
    follow = say(ctx, professions.detail, "ok the second one, what do they earn", "ask_pay",
                 recommended=reply.slots["recommended"], profession=reply.slots.get("profession"))
    assert follow.payloads("profession")[0]["id"] == "physiotherapist"


def test_a_job_and_a_role_with_its_own_answer_get_that_answer(ctx):
    reply = say(ctx, answers.answer, "is an ODP basically the same as a scrub nurse?", "ask_difference",
                [ent("profession", "operating-department-practitioner")],
                profession="operating-department-practitioner")
    assert [p["id"] for p in reply.payloads("answer")] == ["odp-or-theatre-nurse"]
    assert not reply.payloads("comparison")


def test_an_adult_without_a_levels_hears_of_access_courses_and_the_support_worker_way(ctx):
    """"only got 4 gcses, left school at 16" about the OT being discussed: the support-worker way
    up, and a degree after an Access course (their GCSEs are not school now)."""
    reply = say(ctx, routes.routes, "thing is I've only got 4 gcses, no a levels", "ask_routes",
                profession="occupational-therapist")
    [shown] = reply.payloads("routes")
    assert [r["id"] for r in shown["routes"]] == ["support-worker", "degree"]
    assert "Access to Higher Education" in " ".join(shown["routes"][0]["why"])


def test_a_way_in_asked_for_someone_else_read_as_links_gets_the_ways_in(ctx):
    """DIET reads a carer's "how would he go about getting onto it" as a request for links."""
    reply = say(ctx, answers.answer, "My nephew lives with us, he's 16 and set on podiatry. How would he go "
                "about getting onto it?", "ask_resources", [ent("profession", "podiatrist")])
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "podiatrist"


@pytest.mark.parametrize("text", [
    "would it make sense to be an assistant practitioner first, as a stepping stone?",
    "could i start as a support worker and work my way up to it",
])
def test_a_support_role_as_a_step_towards_the_job_discussed(ctx, text):
    """The support-worker way into the job being discussed, not the support role's own ways in,
    and what the support role named asks for."""
    reply = say(ctx, answers.answer, text, "ask_profession_info", profession="dietitian")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "dietitian"
    assert [r["id"] for r in shown["routes"]] == ["support-worker"]
    assert "utter_profession_entry" in reply.responses()
    assert reply.slots["profession"] == "dietitian"


@pytest.mark.parametrize("intent", ["tell_about_me", "ask_return_to_practice"])
def test_trained_abroad_and_wanting_to_work_again_here_gets_the_international_route(ctx, intent):
    """Worked abroad in the job, stopped, now living here and wanting it back: no UK
    registration to return to, so the regulator's international route (not "welcome back")."""
    reply = say(ctx, answers.answer, "Qualified as a radiation therapist in Canada and worked 8 years, took a "
                "break for family. We've moved to Leeds now and I'd love to get back into it", intent)
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "therapeutic-radiographer"
    assert [r["id"] for r in shown["routes"]] == ["international"]
    assert "utter_rtp_intro" not in reply.responses()



def test_a_teaching_degree_by_its_letters_gets_the_masters(ctx):
    """A teaching degree's letters ("BEd", lower-cased to a word) are a degree held."""
    reply = say(ctx, routes.routes, "I've got a BEd from years back, would I need to do a whole new 3 year course?",
                "ask_routes", profession="speech-and-language-therapist")
    [shown] = reply.payloads("routes")
    assert shown["profession"] == "speech-and-language-therapist"
    assert "postgraduate" in {r["id"] for r in shown["routes"]}
