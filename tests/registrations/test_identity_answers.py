"""Which answers verified e-Signet claims give an informant step
(docs/identity-verification.md, "What is filled and recorded")."""

from apps.registrations.services.identity import answers_from, filled_words

BIRTH_INFORMANT = {"relationship", "full_name", "uin", "date_of_birth", "phone"}
DEATH_INFORMANT = {"full_name", "relationship", "uin", "phone"}


def test_name_birthdate_and_uin_fill_the_birth_informant(settings):
    settings.REGISTRATIONS_PRIMARY_LANGUAGE = "eng"
    claims = {"sub": "1", "name": "Amina Yusuf Haddad", "birthdate": "1990/04/12",
              "individual_id": "3920716381", "gender": "Female"}  # fmt: skip
    assert answers_from(claims, BIRTH_INFORMANT) == {
        "full_name": "Amina Yusuf Haddad",
        "date_of_birth": "1990-04-12",
        "uin": "3920716381",
    }


def test_a_step_without_a_date_of_birth_gets_none(settings):
    claims = {"name": "A", "birthdate": "1990/04/12", "individual_id": "3920716381"}
    assert set(answers_from(claims, DEATH_INFORMANT)) == {"full_name", "uin"}


def test_the_name_in_the_primary_language_when_several_came(settings):
    settings.REGISTRATIONS_PRIMARY_LANGUAGE = "fra"
    claims = {"name#en": "Amina Yusuf Haddad", "name#fr": "Amina Youssouf Haddad"}
    assert answers_from(claims, BIRTH_INFORMANT) == {
        "full_name": "Amina Youssouf Haddad"
    }


def test_a_vid_or_a_uin_with_a_wrong_check_digit_is_not_written_as_uin():
    assert "uin" not in answers_from(
        {"individual_id": "5817263549102837"}, BIRTH_INFORMANT
    )
    assert "uin" not in answers_from({"individual_id": "3920716382"}, BIRTH_INFORMANT)


def test_a_birthdate_not_as_mosip_stores_it_is_left_out():
    assert answers_from({"birthdate": "12-04-1990"}, BIRTH_INFORMANT) == {}


def test_the_answers_are_named_in_the_forms_order():
    filled = {"uin": "x", "date_of_birth": "y", "full_name": "z"}
    assert filled_words(filled) == "name, date of birth, UIN"
