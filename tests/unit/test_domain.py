"""domain.yml agrees with the code, the knowledge base and the contract."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _yaml_files(folder):
    return {p: yaml.safe_load(p.read_text()) for p in sorted((ROOT / folder).rglob("*.yml"))}


def domain():
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def code_files():
    return sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "actions").rglob("*.py"))


def code_text():
    return "\n".join(p.read_text() for p in code_files())


RESPONSE_NAME = re.compile(r"utter_[a-z_]+")
# said by Rasa's own actions: action_restart, action_default_fallback, the rephrase stage
SAID_BY_RASA = {"utter_restart", "utter_default", "utter_ask_rephrase"}


def responses_in_code() -> tuple[set[str], list[str]]:
    """The response names the code says, and the places where it builds one from parts (an
    f-string, a sum or a format starting "utter_"), which no reading of the code can check."""
    names, built = set(), []
    for path in code_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.JoinedStr):      # f"utter_for_{who}"
                head = node.values[0] if node.values else None
            elif isinstance(node, ast.BinOp):        # "utter_" + who, "utter_%s" % who
                head = node.left
            else:                                    # "utter_greet", "utter_{}".format(who)
                head = node
            if not (isinstance(head, ast.Constant) and str(head.value).startswith("utter_")):
                continue
            if head is node and RESPONSE_NAME.fullmatch(node.value):
                names.add(node.value)
            else:
                built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return names, built


def dialogue_steps():
    steps = []
    for data in _yaml_files("data").values():
        for block in (data.get("rules") or []) + (data.get("stories") or []):
            steps += block["steps"]
    return steps


def test_every_response_is_used_and_every_used_response_exists():
    responses = set(domain()["responses"])
    in_code, built = responses_in_code()
    assert built == [], "response names built from parts: write each name out whole"
    in_dialogue = {s["action"] for s in dialogue_steps() if "action" in s}
    assert in_code - responses == set(), "the code names responses domain.yml lacks"
    unused = responses - in_code - in_dialogue - SAID_BY_RASA
    assert unused == set()


def test_every_action_and_intent_in_the_data_is_in_the_domain():
    d = domain()
    for step in dialogue_steps():
        if "intent" in step and step["intent"] != "nlu_fallback":
            assert step["intent"] in d["intents"]
        action = step.get("action", "")
        if action.startswith("action_") and action not in (
                "action_restart", "action_two_stage_fallback", "action_listen"):
            assert action in d["actions"]


def test_action_names_match_the_registered_actions():
    code = code_text()
    registered = set(re.findall(r'action_name = "([a-z_]+)"', code))
    registered |= set(re.findall(r'def name\(self\) -> str:\n\s+return "(action_[a-z_]+)"', code))
    assert registered == set(domain()["actions"])


def test_helpline_numbers_in_replies_are_sourced_in_the_knowledge_base(kb):
    known = {h.phone for h in kb.helplines() if h.phone}
    quoted = 0
    for name, variants in domain()["responses"].items():
        for v in variants:
            # every number we give is introduced as "call N" or "free on N"
            for number in re.findall(r"\b(?:call|on) (\d[\d ]*\d)", v.get("text", "")):
                quoted += 1
                assert number in known, f"{name} quotes {number}, which helplines.yml lacks"
    assert quoted >= 5


RISK_KINDS = ("suicide", "self_harm", "medical_emergency", "abuse", "bullying", "friend",
              "eating_disorder")


def _at(text: str, number: str) -> int | None:
    """Where `number` is quoted in `text` as a whole number ("111" is not in "0800 1111")."""
    found = re.search(r"(?<![\d])" + re.escape(number) + r"(?![\d]| \d)", text)
    return found.start() if found else None


def _kind(variant: dict) -> str | None:
    return next((c["value"] for c in variant.get("condition") or [] if c["name"] == "risk_kind"), None)


def test_each_kind_of_risk_has_its_reply_and_the_default_names_every_urgent_helpline(kb):
    replies = {_kind(v): v["text"] for v in domain()["responses"]["utter_safeguarding"]}
    assert set(replies) == {None, *RISK_KINDS}
    for h in kb.helplines("urgent"):
        assert _at(replies[None], h.phone) is not None, h.name
    # the urgent line comes first: 999 before any other number
    for kind, text in replies.items():
        places = [_at(text, h.phone) for h in kb.helplines("urgent")]
        assert _at(text, "999") == min(p for p in places if p is not None), kind


def test_each_safeguarding_signal_carries_the_numbers_its_reply_names_as_links(kb):
    texts = {_kind(v): v["text"] for v in domain()["responses"]["utter_safeguarding"]}
    known = {h.phone: h for h in kb.helplines("urgent")}
    for variant in domain()["responses"]["utter_safeguarding_signal"]:
        payload, kind = variant["custom"], _kind(variant)
        assert payload["type"] == "safeguarding"
        numbers = [h["number"] for h in payload["helplines"]]
        assert numbers and all(n in known for n in numbers), kind
        assert all(h["tel"] == "tel:" + h["number"].replace(" ", "") for h in payload["helplines"])
        assert {n for n in known if _at(texts[kind], n) is not None} == set(numbers), kind


def test_intent_labels_exist_for_each_offered_intent(kb):
    labels = kb.language("intent_labels")
    assert set(labels) <= set(domain()["intents"])


def test_buttons_send_known_intents():
    intents = set(domain()["intents"])
    for name, variants in domain()["responses"].items():
        for v in variants:
            for b in v.get("buttons") or []:
                if b["payload"].startswith("/"):
                    assert re.match(r"/([a-z_]+)", b["payload"]).group(1) in intents, name


def test_the_assistant_never_asks_for_a_name_or_contact_details():
    asking = re.compile(r"(what'?s|what is|tell me|give me|share|send me|enter)\s+(me\s+)?your\s+"
                        r"(full\s+)?(name|e-?mail|email address|phone|number|address|postcode|"
                        r"date of birth|school)", re.IGNORECASE)
    for name, variants in domain()["responses"].items():
        for v in variants:
            assert not asking.search(v.get("text", "")), name
