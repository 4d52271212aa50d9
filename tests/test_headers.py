import pytest

from cleaner.dates import parse_date
from cleaner.headers import parse_header
from cleaner.normalize import split_lines


@pytest.mark.parametrize("text, iso", [
    ("2025-02", "2025-02"),
    ("2024-11-03", "2024-11-03"),
    ("03.11.2024", "2024-11-03"),
    ("3-11-2024", "2024-11-03"),
    ("March 3, 2024", "2024-03-03"),
    ("3 mars 2024", "2024-03-03"),
    ("3 de marzo de 2024", "2024-03-03"),
    ("3 marzo 2024", "2024-03-03"),
    ("3 maart 2024", "2024-03-03"),
    ("3 marca 2024", "2024-03-03"),
    ("3 de março de 2024", "2024-03-03"),
    ("3. März 2024", "2024-03-03"),
    ("März 2024", "2024-03"),
    ("2024", "2024"),
    ("3 augusti 2024", "2024-08-03"),  # Swedish
    ("3. marts 2024", "2024-03-03"),  # Danish
    ("3. desember 2024", "2024-12-03"),  # Norwegian
    ("3. března 2024", "2024-03-03"),  # Czech, the genitive
    ("3. apríla 2024", "2024-04-03"),  # Slovak
    ("3 martie 2024", "2024-03-03"),  # Romanian
    ("3 Mart 2024", "2024-03-03"),  # Turkish
    ("3. maaliskuuta 2024", "2024-03-03"),  # Finnish
    ("3. 11. 2024", "2024-11-03"),  # Czech and Slovak write a space after each dot
])
def test_dates_keep_their_precision(text: str, iso: str) -> None:
    assert parse_date(text) == (iso, len(text))


def test_a_month_name_means_the_same_month_in_every_language() -> None:
    from cleaner.vocab import load_data

    months: dict[str, set[int]] = {}
    for names_by_month in load_data("headers")["months"].values():
        assert len(names_by_month) == 12
        for number, names in enumerate(names_by_month, start=1):
            for name in names:
                months.setdefault(name, set()).add(number)
    assert {name: numbers for name, numbers in months.items() if len(numbers) > 1} == {}


@pytest.mark.parametrize("text", ["31.02.2024", "2024-13", "palm trees", "1850-01-01",
                                  "3.11. 2024", "3. 11.2024"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def header_of(text: str):  # type: ignore[no-untyped-def]
    return parse_header(split_lines(text))


@pytest.mark.parametrize("text, date, fields", [
    ("date 2025-02\nElon Musk kam.", "2025-02", {"date": "2025-02"}),
    ("date 2024\nElon Musk kam.", "2024", {"date": "2024"}),  # a year alone on its line is a header
    (" date 2025-02 Elon Musk kam.", "2025-02", {"date": "2025-02"}),
    ("Date: 2024-11-03\nText.", "2024-11-03", {"date": "2024-11-03"}),
    ("datum 03.11.2024\nText.", "2024-11-03", {"datum": "03.11.2024"}),
    ("published: March 3, 2024\nText.", "2024-03-03", {"published": "March 3, 2024"}),
    ("datum 12. 3. 2024 Vláda schválila návrh.", "2024-03-12", {"datum": "12. 3. 2024"}),
    ("dato 2025-02 Regeringen vil.", "2025-02", {"dato": "2025-02"}),
    ("Publicerad: 12 mars 2024\n\nText.", "2024-03-12", {"publicerad": "12 mars 2024"}),
    ("Författare: Anna Lind\nUppdaterad: 2024-03-12\n\nText.", "2024-03-12",
     {"författare": "Anna Lind", "uppdaterad": "2024-03-12"}),
    ("Title: Hello\nAuthor: Jane Roe\nDate: 2024-11-03\n\nBody.", "2024-11-03",
     {"title": "Hello", "author": "Jane Roe", "date": "2024-11-03"}),
    ("---\ntitle: \"Hello\"\ndate: 2024-03-01\n---\nBody.", "2024-03-01", {"title": "Hello", "date": "2024-03-01"}),
])
def test_headers_are_parsed(text: str, date: str, fields: dict[str, str]) -> None:
    header, _, _ = header_of(text)
    assert header.date == date
    assert header.fields == fields


def test_header_title_fills_title() -> None:
    assert header_of("title: Big news\ndate: 2024-01-02\n\nBody.")[0].title == "Big news"


@pytest.mark.parametrize("text", [
    "Date palms grow in the desert and need little water.",
    "Datum und Uhrzeit der Sitzung stehen noch nicht fest.",
    "Data from the ministry show a rise of 3 percent.",
    "Data: the new oil, as some economists say.",
    "Note: this article was updated.",
    "Data 2023 show a rise of 3 percent in rents.",  # a year glued to words is prose
    "Datum 2024 war ein Rekordjahr für die Bahn.",
])
def test_prose_starting_with_date_words_is_not_a_header(text: str) -> None:
    header, first, cut = header_of(text)
    assert header.date is None and header.fields == {} and (first, cut) == (0, 0)


def test_glued_header_removal_points_at_the_input() -> None:
    text = " date 2025-02 Elon Musk kam."
    header, _, cut = header_of(text)
    removal = header.removals[0]
    assert text[removal.start:removal.end] == removal.text == "date 2025-02"
