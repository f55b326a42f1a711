"""Person names: cues, initials, nicknames, lists, chats and transcripts (examples written for these tests)."""

from __future__ import annotations

from ingestion.recognizers_people import PersonRuleRecognizer, label_announces_person, plausible_person
from ingestion.scrub import Detection, propagate_names
from ingestion.scrub_policy import add_listed_names, add_trailing_nicknames
from tests.unit.conftest import found_values


def test_plausible_person_rejects_legal_terms_and_places() -> None:
    assert plausible_person("Blessing Osagie")
    assert plausible_person("Aisha K.")
    for text in ("Palermo Protocol", "Member States", "Article", "Parties", "Benin City", "Court of Cassation"):
        assert not plausible_person(text), text


def test_italian_person_cues_initials_and_nicknames() -> None:
    people = PersonRuleRecognizer()
    assert "Aisha K." in found_values(people, "È presente la minore Aisha K., nata a Benin City.")
    assert "Giovanni Esposito" in found_values(people, "Il sig. Giovanni Esposito, residente a Napoli.")
    assert "il Nero" in found_values(people, "Utenza in uso a Osagie, detto 'il Nero'.")
    assert "A.B." in found_values(people, "The victim A.B., aged 14, was heard.")
    assert found_values(people, "The Court of Cassation and Europol met in Palermo under Article 4.") == []


def test_names_after_form_labels_that_name_a_role() -> None:
    assert label_announces_person("Appointed guardian: ")
    assert label_announces_person("Bed 4, arrival 02-02-2024 – guest: ")
    assert label_announces_person("Referente della struttura: ")
    assert not label_announces_person("Nationality: ")
    people = PersonRuleRecognizer()
    assert found_values(people, "Interpreter on duty: Tomasz Wielgosz-Nowak\nLanguage: Polish") == [
        "Tomasz Wielgosz-Nowak"
    ]
    assert found_values(people, "Nationality: Polish\nArrival: Tuesday") == []


def test_surname_first_lists_and_name_particles() -> None:
    people = PersonRuleRecognizer()
    listing = "2) OKORO-BELLO, Funmilayo Grace – arrested\n3. DRAGOMIR, Viorel (alias)\nROMANIA, Bucharest – route"
    found = found_values(people, listing)
    assert {"DRAGOMIR, Viorel", "OKORO-BELLO, Funmilayo Grace"} <= set(found)
    assert not [value for value in found if "ROMANIA" in value or "Bucharest" in value]
    assert found_values(people, "the flat rented by Joost van den Heuvel last year") == ["Joost van den Heuvel"]
    assert found_values(people, "la giudice dott.ssa Anna Rita La Mantia ha disposto") == ["Anna Rita La Mantia"]
    assert found_values(people, "funds held by Tereza Novakova-Horvath since May") == ["Tereza Novakova-Horvath"]
    assert found_values(people, "Non-Governmental Organisations and the Tribunale di Ragusa") == []


def test_name_prefixes_and_trafficking_roles_are_cues() -> None:
    people = PersonRuleRecognizer()
    assert "Md. Jahangir Alam" in found_values(people, "The shop belongs to Md. Jahangir Alam since 2019.")
    assert "Abdul Wahid Noori" in found_values(people, "He paid Abdul Wahid Noori in cash.")
    assert "Tariqul" in found_values(people, "the smuggler (Tariqul) kept the phones")
    assert "Cristiano Mele" in found_values(people, "bonifico a favore di Cristiano Mele, IBAN non noto")
    assert found_values(people, "la struttura C.A.S. San Michele di Ganzaria") == []


def test_quoted_nicknames_inside_and_after_names() -> None:
    people = PersonRuleRecognizer()
    assert 'Kwame "Bigman" Mensah' in found_values(people, 'the landlord, Kwame "Bigman" Mensah, came back')
    assert found_values(people, 'i clienti lo chiamano "Zio Tano" da anni') == ["Zio Tano"]
    text = 'Kwame Mensah "il Ghanese" drove the van.'
    found = add_trailing_nicknames(text, [Detection(0, 12, "PERSON")])
    assert [text[d.start : d.end] for d in found] == ["Kwame Mensah", "il Ghanese"]


def test_lower_case_names_in_chat_exports() -> None:
    people = PersonRuleRecognizer()
    chat = (
        "[03/11/22, 10:01] tomi: where u dey\n"
        "[03/11/22, 10:02] Ada Nwosu: precious u go come? tell ifeoma say i dey wait. sister nkechi go pay\n"
        "[03/11/22, 10:03] Ada Nwosu: ok the money dey for bag"
    )
    assert found_values(people, chat) == ["Ada Nwosu", "Ada Nwosu", "ifeoma", "nkechi", "precious", "tomi"]
    assert found_values(people, "blessing in disguise, tell me more") == []  # outside a chat export


def test_known_names_propagate_to_lower_case_chat_mentions_and_quotes_only() -> None:
    text = 'Speaker "joy" is JOY Adeyemi.\n[03/11/22, 10:04] Ada: joy don go\nThe joy of adeyemi\'s son.'
    start = text.index("JOY Adeyemi")
    found = propagate_names([text], [[Detection(start, start + len("JOY Adeyemi"), "PERSON")]])[0]
    redacted = [(d.start, text[d.start : d.end]) for d in found]
    assert (text.index('"joy"') + 1, "joy") in redacted
    assert (text.index("joy don"), "joy") in redacted
    assert all(start != text.index("joy of") for start, _ in redacted)  # a first name is also a word
    assert (text.index("adeyemi's"), "adeyemi") in redacted  # a surname is a name in lower case too


def test_form_words_titles_and_place_prefixes_are_not_names() -> None:
    for text in ("Gentile Presidente", "Persona offesa", "Lago Patria", "Borgo Sabotino", "Al Questore", "Firma"):
        assert not plausible_person(text), text


def test_initials_defined_for_a_person_and_their_later_uses() -> None:
    people = PersonRuleRecognizer()
    assert "P.V.L." in found_values(people, "the defendant Ms Petra Volkova-Lind (hereinafter 'P.V.L.') denied it")
    assert found_values(people, "the witness, whom I shall refer to as R.T., was 15") == ["R.T."]
    text = "Mr Oren Kalbfleisch (hereafter O.K.) paid. Later O.K. left; O.K.-style deals."
    found = propagate_names([text], [[Detection(text.index("O.K."), text.index("O.K.") + 4, "PERSON")]])[0]
    assert [text[d.start : d.end] for d in found].count("O.K.") == 3


def test_nicknames_after_cues_weekday_names_and_hyphenated_first_names() -> None:
    people = PersonRuleRecognizer()
    assert "Big Mummy" in found_values(people, 'a woman known to the girls as "Big Mummy" ran it')
    assert "Zia Carmela" in found_values(people, 'dovevano andare presso tale "Zia Carmela" a Latina')
    assert "Oga Monday" in found_values(people, "il capo che tutti chiamavano Oga Monday")
    assert "OSAZE Sunday" in found_values(people, "in concorso con OSAZE Sunday e altri")
    assert found_values(people, "payments from Jean-Luc Moreau-Petit arrived") == ["Jean-Luc Moreau-Petit"]
    assert found_values(people, "The hearing is on Friday in the Anti-Slavery Unit") == []


def test_apposition_sign_off_and_record_author_cues() -> None:
    people = PersonRuleRecognizer()
    assert "Orla Kinsella" in found_values(people, "Her social worker, Orla Kinsella, will attend.")
    assert found_values(people, "with an interpreter. My statement follows") == []
    assert "Tadhg" in found_values(people, "See you Monday.\nCheers, Tadhg")
    assert "Bríd Ó Súilleabháin" in found_values(people, "Assessment interview by Bríd Ó Súilleabháin on 3 May")
    assert "Kovacs" in found_values(people, "Mrs Erzsébet Lang (née Kovacs) owned it")


def test_first_names_in_intercept_transcripts() -> None:
    people = PersonRuleRecognizer()
    transcript = (
        "UOMO: Allora, hai visto Milos?\n"
        "DONNA: Sì, è andato da Branko in Bagnoli con la Golf.\n"
        "UOMO: Va bene.\n"
        "DONNA: Ciao."
    )
    assert found_values(people, transcript) == ["Branko", "Milos"]
    assert found_values(people, "DOB: 01/01/2001 (claimed)   Gender: M   Nationality: Eritrean") == []


def test_a_list_with_one_person_is_a_list_of_people_and_a_title_joins_the_name() -> None:
    text = (
        "Our founders: Kónya, Becker and Vasquez. Marrero and Murphy sang. Milan, Rome and Lagos. Dr. Ann Holst came."
    )
    found = [Detection(text.index("Becker"), text.index("Becker") + 6, "PERSON")]
    found.append(Detection(text.index("Murphy"), text.index("Murphy") + 6, "PERSON"))
    found.append(Detection(text.index("Ann"), text.index("Ann") + 9, "PERSON"))
    found.append(Detection(text.index("Rome"), text.index("Rome") + 4, "PERSON"))  # a place, wrongly found
    values = [text[d.start : d.end] for d in add_listed_names(text, found)]
    assert values == ["Kónya", "Becker", "Vasquez", "Marrero", "Murphy", "Rome", "Dr. Ann Holst"]


def test_cues_are_whole_words_and_a_heading_cues_no_name_on_the_next_line() -> None:
    people = PersonRuleRecognizer()
    assert found_values(people, 'The "loverboy" (or "Romeo pimp") method recruits') == []
    assert found_values(people, "## Come parlare con il minore\nPresentatevi con nome e ruolo.") == []
    assert found_values(people, "Guardian:\nMaria Rossi") == ["Maria Rossi"]
