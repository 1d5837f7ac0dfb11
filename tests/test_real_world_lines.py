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
