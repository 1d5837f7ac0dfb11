"""Real-world chrome and content lines (written for these tests, not taken from the
eval pages) that the rules and the classifier must get right, in several languages."""

from __future__ import annotations

import pytest

from cleaner.pipeline import clean, clean_records, default_rules

CHROME_LINES = [
    "Sign up for our newsletter",
    "Thanks for signing up!",
    "Abonnez-vous à notre newsletter",
    "Newsletter abonnieren",
    "Suscríbete a nuestro boletín",
    "Assine nossa newsletter",
    "We use cookies to give you the best experience on our website.",
    "Nous utilisons des cookies pour vous offrir la meilleure expérience.",
    "Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten.",
    "Utilizamos cookies para mejorar su experiencia.",
    "Este site usa cookies para melhorar sua experiência.",
    "Share this article",
    "Print Article",
    "Follow us on Twitter",
    "Suivez-nous sur Facebook",
    "© 2021 Example Media Group. All rights reserved.",
    "Tous droits réservés",
    "Alle Rechte vorbehalten",
    "Todos los derechos reservados",
    "Todos os direitos reservados",
    "Advertisement",
    "Anzeige",
    "Publicidade",
    "We may earn a commission when you buy through links on our site.",
    "Skip to main content",
    "Zum Inhalt springen",
    "Back to top",
    "You may also like",
    "Sur le même sujet",
    "Mehr zum Thema",
    "Te puede interesar",
    "Leia também",
    "5 min read",
    "Lesezeit: 4 Minuten",
    "Tempo de leitura: 3 min",
    "Updated at 4:15 p.m.",
    "Mis à jour le 12 mars 2021 à 18h05",
    "Comments are closed.",
]

CONTENT_LINES = [
    "Share prices fell sharply on Monday after the company cut its forecast.",
    "The minister said the cookie factory would reopen in the spring.",
    "Tous les habitants du quartier ont été évacués dans la nuit, selon la préfecture.",
    "Die Regierung will das Gesetz noch vor der Sommerpause verabschieden.",
    "El presidente anunció nuevas medidas para contener la inflación.",
    "O governo anunciou que vai investir mais em escolas públicas no próximo ano.",
    "Follow the money, the investigator told the court on Tuesday.",
]


@pytest.mark.parametrize("line", CHROME_LINES)
def test_chrome_line_is_named_by_a_rule(line):
    assert default_rules().matching(line), line


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_content_line_matches_no_rule(line):
    assert not default_rules().matching(line), line


MENU = ["Home", "Podcasts", "Weather", "Traffic", "Obituaries", "Events", "Jobs", "Real Estate"]
TEASERS = [
    "Ten Cheap Weekend Trips",
    "Celebrity Chef Opens Third Restaurant",
    "Best Budget Phones Of The Year",
    "Five Things To Know Before Markets Open",
]
STORIES = {
    "en": [
        "City officials approved a plan on Tuesday to replace the old bridge over the river, ending years of debate about its future.",
        "The new bridge will have two lanes for cars, a protected bike lane and a wider path for people on foot, the council said.",
        "Construction is expected to start next spring and to take about three years, during which a ferry will carry commuters.",
        "Residents who live near the bridge said they were relieved that a decision had finally been made.",
    ],
    "fr": [
        "Le conseil municipal a approuvé mardi un projet de remplacement du vieux pont sur la rivière, après des années de débat.",
        "Le nouveau pont comptera deux voies pour les voitures, une piste cyclable protégée et un trottoir plus large pour les piétons.",
        "Les travaux doivent commencer au printemps prochain et durer environ trois ans, pendant lesquels un bac assurera la traversée.",
        "Les habitants du quartier se sont dits soulagés qu'une décision ait enfin été prise par la mairie.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag einen Plan gebilligt, die alte Brücke über den Fluss zu ersetzen, nach jahrelanger Debatte.",
        "Die neue Brücke soll zwei Fahrspuren für Autos, einen geschützten Radweg und einen breiteren Gehweg bekommen.",
        "Die Bauarbeiten sollen im nächsten Frühjahr beginnen und etwa drei Jahre dauern, in denen eine Fähre die Pendler bringt.",
        "Anwohner sagten, sie seien erleichtert, dass nun endlich eine Entscheidung gefallen sei.",
    ],
    "es": [
        "El ayuntamiento aprobó el martes un plan para sustituir el viejo puente sobre el río, tras años de debate sobre su futuro.",
        "El nuevo puente tendrá dos carriles para coches, un carril bici protegido y una acera más ancha para los peatones.",
        "Las obras comenzarán la próxima primavera y durarán unos tres años, durante los cuales un ferry llevará a los vecinos.",
        "Los vecinos que viven cerca del puente dijeron que estaban aliviados de que por fin se hubiera tomado una decisión.",
    ],
    "pt": [
        "A câmara municipal aprovou na terça-feira um plano para substituir a velha ponte sobre o rio, depois de anos de debate.",
        "A nova ponte terá duas faixas para carros, uma ciclovia protegida e uma calçada mais larga para os pedestres.",
        "As obras devem começar na próxima primavera e durar cerca de três anos, durante os quais uma balsa levará os moradores.",
        "Os moradores que vivem perto da ponte disseram que ficaram aliviados por uma decisão ter sido finalmente tomada.",
    ],
}


def _page(story: list[str]) -> str:
    parts = MENU + ["City Approves Plan To Replace Old Bridge"] + story + ["Most Read"] + TEASERS
    parts += ["About Us", "Contact", "Privacy Policy", "Terms of Use", "Careers", "Site Map"]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("lang", sorted(STORIES))
def test_classifier_keeps_the_story_and_drops_the_chrome(lang):
    story = STORIES[lang]
    (article,) = clean(_page(story))
    assert article.body == story
    assert article.lang == lang


def test_explain_names_the_classifier_and_its_score():
    (record,) = clean_records(_page(STORIES["en"]), explain=True)
    by_text = {entry["text"]: entry for entry in record["removed"]}
    assert by_text["Weather"]["rule"] == "classifier"
    assert 0.0 <= by_text["Weather"]["score"] < 0.5
    assert by_text["Most Read"]["rule"] == "teasers.heading"
    assert "score" not in by_text["Most Read"]


def test_a_bare_list_without_prose_is_left_alone():
    text = "\n\n".join(MENU) + "\n"
    (article,) = clean(text)
    assert [ln.text for ln in article.lines if ln.rule == "classifier"] == []


# Teaser excerpts of other posts, each under the same share-widget line: prose-shaped,
# so only the repeated widget line shows they are a list.
EXCERPTS = [
    "Patience is the art of hoping while you wait, and of waiting without losing heart.",
    "A family is held together by small kindnesses repeated every single day of the year.",
    "Courage does not mean having no fear, it means walking on although the fear is there.",
    "Gratitude turns what we already have into enough, and a meal into a small feast.",
    "Friends are the family we choose, the ones who stay when the room goes quiet.",
]
WIDGET = "WhatsApp Facebook Pinterest Download"


def test_a_teaser_list_of_excerpts_with_a_widget_per_item_is_dropped():
    story = STORIES["en"]
    teasers = [part for excerpt in EXCERPTS for part in (WIDGET, excerpt)]
    parts = MENU + ["City Approves Plan To Replace Old Bridge", WIDGET] + story
    parts += ["You may also like", *teasers, "About Us", "Contact", "Privacy Policy"]
    (article,) = clean("\n\n".join(parts) + "\n")
    assert not set(EXCERPTS) & set(article.body)
    assert set(story) <= set(article.body)
    dropped = {ln.text: ln.rule for ln in article.lines if not ln.kept}
    assert dropped[EXCERPTS[-1]] == "teasers.heading"


def test_a_story_repeating_a_line_now_and_then_is_not_a_list():
    # The widget-per-item test needs the copies close together, right under the heading.
    story = STORIES["en"]
    parts = ["City Approves Plan To Replace Old Bridge", story[0], "Read more", story[1]]
    parts += ["Chorus line", story[2], story[3], "Chorus line", "Chorus line"]
    (article,) = clean("\n\n".join(parts) + "\n")
    assert set(story) <= set(article.body)


def test_a_long_paragraph_without_a_final_stop_is_still_the_story():
    # One long paragraph whose last phrase lost its full stop (it was a link): still prose,
    # so the menu around it is chrome.
    paragraph = " ".join(STORIES["en"]).rstrip(".") + " and the council will vote on the budget"
    parts = MENU + ["City Approves Plan To Replace Old Bridge", paragraph] + TEASERS
    (article,) = clean("\n\n".join(parts) + "\n")
    assert paragraph in article.body
    assert not set(MENU[1:]) & set(article.body)


PRODUCTS = [
    ("Acme Wireless Earbuds", ["Up to 8 hours of battery life", "Sweat resistant"], "$49.99"),
    ("Acme Smart Speaker", ["Voice control for your home", "Room-filling sound"], "$79.00"),
    ("Acme Fitness Band", ["Heart rate and sleep tracking", "Water resistant to 50m"], "$29.95"),
    ("Acme Tablet 10", ["10-inch display", "64GB storage"], "$199.99"),
]


def test_a_priced_list_under_the_story_is_kept():
    # A deals roundup: the story announces the picks, then name/features/price blocks.
    story = STORIES["en"][:2] + ["Here are the best early deals we found, with prices below."]
    blocks = [line for name, features, price in PRODUCTS for line in (name, *features, price)]
    parts = MENU + ["The Best Early Deals On Gadgets"] + story + blocks
    parts += ["About Us", "Contact", "Privacy Policy", "Terms of Use", "Careers"]
    (article,) = clean("\n\n".join(parts) + "\n")
    assert article.body[: len(story)] == story
    assert set(blocks) <= set(article.body)
    assert "Privacy Policy" not in article.body


def test_prices_far_from_the_story_do_not_keep_a_sidebar():
    story = STORIES["en"]
    sidebar = ["Shop", *MENU, *TEASERS, "Deal of the day", "$49.99", "Gadget", "$19.99"]
    sidebar += ["Another gadget", "$9.99", "Privacy Policy"]
    (article,) = clean("\n\n".join(["City Approves Plan", *story, *sidebar]) + "\n")
    assert article.body == story
