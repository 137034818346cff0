"""Rasa 3 graph components over the KB-built spaCy pipeline (see config.yml).

Both receive the spaCy model that SpacyNLP loads from var/spacy/ahp_en, so the
pipeline is loaded once per Rasa process. The reader also opens the knowledge
database (read only) for the cue lists the matcher reads with.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import RiskDetector

READING = "reading"  # the key of the reading in the parse data (bot.matching.reading)


class _PerModel:
    """Builds a helper once per spaCy model (process() is called with the model)."""

    def __init__(self):
        self._built: dict[int, Any] = {}

    def get(self, model: SpacyModel, build):
        key = id(model.model)
        if key not in self._built:
            self._built[key] = build(model.model)
        return self._built[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
                          is_trainable=False, model_from="SpacyNLP")
class MessageReader(GraphComponent, EntityExtractorMixin):
    """Reads every message once (bot.matching.understanding): professions, profession
    groups and routes as entities with knowledge-base ids (and a role: the profession
    the person wants to become is `target`), and the whole reading (interests,
    circumstances, years out...) in the parse data under `reading`, for the actions."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # "AHPs" names every profession at once: the dialogue treats it as a topic, not a choice;
        # knowledge_db: None reads var/knowledge.db (AHP_VAR_DIR), like the action server
        return {"skip_groups": ["allied-health-professions"], "knowledge_db": None}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config
        self._readers = _PerModel()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MessageReader":
        return cls(config)

    def _reader(self, nlp):
        from bot.knowledge.repository import KnowledgeBase
        from bot.matching.understanding import Understander
        from bot.nlp import Normaliser
        kb = KnowledgeBase(self._config.get("knowledge_db"))
        return Understander(nlp, Normaliser.from_pipeline(nlp, kb), kb)

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        reader = self._readers.get(model, self._reader)
        skip = set(self._config["skip_groups"])
        for message in messages:
            reading = reader.read(message.get(TEXT) or "")
            found = [f.to_rasa() for f in reading.entities
                     if not (f.entity == "profession_group" and f.value in skip)]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found),
                        add_to_output=True)
            message.set(READING, reading.to_dict(), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
                          is_trainable=False, model_from="SpacyNLP")
class SafeguardingClassifier(GraphComponent, IntentClassifier):
    """Sets the intent to `at_risk` when bot/safety.py finds a message at risk,
    and withdraws DIET's `at_risk` from career talk with no risk phrase in it.

    It runs after DIET and before the FallbackClassifier: a child in danger must
    get the urgent-help reply even when the classifier is unsure.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "at_risk"}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config
        self._detectors = _PerModel()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafeguardingClassifier":
        return cls(config)

    @staticmethod
    def _detector(nlp) -> RiskDetector:
        from bot.nlp import Normaliser
        return RiskDetector(nlp.meta["ahp"]["safeguarding"], Normaliser.from_pipeline(nlp))

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        detector = self._detectors.get(model, self._detector)
        name = self._config["intent"]
        for message in messages:
            verdict = detector.assess(message.get(TEXT) or "")
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            if verdict == "risk":
                message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}] + ranking,
                            add_to_output=True)
            elif verdict == "career" and (message.get(INTENT) or {}).get("name") == name and ranking:
                # "I'd like to work with people who self-harm": career talk, not a risk;
                # the next likeliest intent stands (the fallback may still ask)
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
