import pytest

from cleaner.metadata import is_title_like, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0555 GMT January 08, 2020", "2020-01-08T05:55:00+00:00"),
        ("Jan. 8, 2020 5:55 pm ET", "2020-01-08T17:55:00-05:00"),
        ("2020-01-08T05:55:00Z", "2020-01-08T05:55:00+00:00"),
        ("8th January 2020", "2020-01-08"),
        ("08/01/2020 14:30", "2020-01-08T14:30:00"),
        ("March 3, 2021 14:20 CET", "2021-03-03T14:20:00+01:00"),
        ("February 30, 2020", None),
        ("no date", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Iran fires missiles at Iraqi bases housing US, coalition forces", True),
        ("Is this the end of the road?", True),
        ("Iran fired a volley of missiles on Wednesday.", False),
        ("said the minister,", False),
    ],
)
def test_title_shape(text, expected):
    assert is_title_like(text) is expected
