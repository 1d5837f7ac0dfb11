"""Rules on text they have never seen: chrome of every family goes, look-alike content stays.

These articles are written for the tests (not taken from the seeds).
"""

import cleaner

ARTICLE = """\
Home › World › Europe
Europe News

Floods force thousands from homes along the Danube

By Maria Keller and Tomas Novak
Updated: March 3, 2021 14:20 CET

Rescue boats on a flooded street in Passau. Armin Weigel/dpa via Getty Images

Emergency services evacuated more than 4,000 people on Tuesday as the Danube burst its banks in three countries.

READ MORE: Heavy rain warning extended for Bavaria

"We have never seen the water rise this fast," the mayor of Passau told Reuters on Tuesday.

Readers left comments on the city's website asking for sandbags, officials said.

AFP reported that two people were missing in Austria.

Rescue boats on a flooded street in Passau. Armin Weigel/dpa via Getty Images

Agencies contributed to this report.

Related Stories
Danube shipping halted
Leave a Reply
This is outrageous, the government should have acted sooner.
Agree with the comment above!
"""


def test_unseen_article_chrome_removed_content_kept():
    [record] = cleaner.clean_records(ARTICLE, explain=True)
    assert record["title"] == "Floods force thousands from homes along the Danube"
    assert record["byline"] == "Maria Keller and Tomas Novak"
    assert record["published"] == "2021-03-03T14:20:00+01:00"
    assert record["lang"] == "en"
    body = record["text"].split("\n\n")
    assert body == [
        "Emergency services evacuated more than 4,000 people on Tuesday as the Danube "
        "burst its banks in three countries.",
        '"We have never seen the water rise this fast," the mayor of Passau told Reuters '
        "on Tuesday.",
        "Readers left comments on the city's website asking for sandbags, officials said.",
        "AFP reported that two people were missing in Austria.",
        "Agencies contributed to this report.",
    ]
    rules = {r["text"]: r["rule"] for r in record["removed"]}
    assert rules["Home › World › Europe"] == "site.breadcrumb"
    assert rules["Europe News"] == "site.section-label"
    assert rules["READ MORE: Heavy rain warning extended for Bavaria"] == "teasers.read-also"
    assert rules["Related Stories"] == "teasers.heading"
    assert rules["Leave a Reply"] == "comments.header"
    assert rules["Agree with the comment above!"] == "comments.header"


LIVE = """\
Quake hits off the coast of Chile

A magnitude 6.8 earthquake struck off the coast of central Chile on Sunday, the US Geological Survey said.

There were no immediate reports of damage or casualties.

More details shortly.

Reuters
"""


def test_signoff_becomes_credit_and_placeholder_goes():
    [record] = cleaner.clean_records(LIVE, explain=True)
    assert record["credit"] == "Reuters"
    assert record["text"].endswith("There were no immediate reports of damage or casualties.")
    assert [r["rule"] for r in record["removed"]] == ["site.live-placeholder", "metadata.signoff"]


BLOG = """\
Why we moved our servers to the basement

12 Comments

Last spring our hosting bill doubled, so we bought three used machines and put them next to the boiler.

It worked better than we expected, and the noise is bearable.
"""


def test_comment_counter_above_the_story_does_not_swallow_it():
    [record] = cleaner.clean_records(BLOG, explain=True)
    assert record["text"].startswith("Last spring our hosting bill doubled")
    assert record["text"].endswith("the noise is bearable.")
    assert [r["text"] for r in record["removed"]] == ["12 Comments"]


def test_nothing_to_clean_is_returned_unchanged():
    text = "A quiet day\n\nNothing happened in the village today, the mayor said.\n"
    assert cleaner.normalize(text) == text
