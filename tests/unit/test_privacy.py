"""Personal data typed by mistake is redacted; careers words are not."""
from __future__ import annotations

import pytest

from bot.privacy import redact


@pytest.mark.parametrize("text, kind, placeholder", [
    ("email me at sam.smith+x@gmail.co.uk please", "email", "[email]"),
    ("my number is 07700 900123", "phone", "[phone number]"),
    ("ring 020 7946 0958 after 5", "phone", "[phone number]"),
    ("my mobile +44 7700 900123", "phone", "[phone number]"),
    ("I live at SW1A 1AA", "postcode", "[postcode]"),
    ("near m1 1ae", "postcode", "[postcode]"),
    ("my nhs number is 943 476 5919", "nhs_number", "[NHS number]"),
    ("NHS no. 9434765919", "nhs_number", "[NHS number]"),
    ("born on 12/03/2010", "date_of_birth", "[date of birth]"),
    ("my birthday is 3rd March 2009", "date_of_birth", "[date of birth]"),
    ("dob: 2 april 2008", "date_of_birth", "[date of birth]"),
    ("My name is Sam Smith and I love art", "name", "My name is [name] and I love art"),
    ("hi im called priya", "name", "[name]"),
    ("call me Jo", "name", "[name]"),
])
def test_each_kind_of_personal_data_is_redacted(text, kind, placeholder):
    result = redact(text)
    assert kind in result.kinds
    assert placeholder in result.text
    for word in ("sam.smith", "07700", "7946", "SW1A", "m1 1ae", "943", "12/03", "March 2009",
                 "Smith", "priya", " Jo"):
        if word in text:
            assert word not in result.text


@pytest.mark.parametrize("text", [
    "I want to study physiotherapy, UCAS code B160",
    "is B920 the podiatry course code?",
    "I'm in year 12 and I'm 16",
    "I left in 2017 and I've been out 6 years",
    "band 5 or band 6 for a paramedic?",
    "the 2024/25 pay rates",
    "I got 120 UCAS points",
    "diagnostic radiographer or therapeutic radiographer",
    "my name is not important, I love sport",
    "I'm called back for an interview on Monday",
    "CT scans, MRI and X-ray",
    "943 476 5910",                     # ten digits that fail the NHS number check
])
def test_no_over_redaction(text):
    result = redact(text)
    assert result.text == text and result.kinds == ()


def test_redaction_names_kinds_never_values():
    values = ("sam@example.com", "07700 900123", "SW1A 1AA", "Sam Smith")
    result = redact("{} or {}, I live at {}, my name is {}".format(*values))
    assert result.kinds == ("email", "phone", "postcode", "name")
    # nothing the result carries, its text or its kinds, holds a value or a part of one
    carried = repr(result)
    assert [part for value in values for part in value.split() if part in carried] == []
