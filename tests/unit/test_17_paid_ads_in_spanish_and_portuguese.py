"""Issue 17, paid ads missed in review: Portuguese "anúncio pelo seu perfil" was not read as ads
run from the creator's account, nor Spanish "anuncios desde tu cuenta" or "publicidad pagada" as
paid use, so the facts message said nothing of a right worth more than the posts."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


@pytest.mark.parametrize(("said", "term"), [
    ("Olá Bia! Somos a Pura Pele. Pagamos R$ 2.500 por 2 reels e queremos veicular como anúncio "
     "pelo seu perfil por 3 meses.", "3 meses"),
    ("Oi Rafa! Aqui é a Lume Óculos. Queremos impulsionar seu reels como anúncio pelo seu perfil "
     "por 60 dias e pagamos R$ 1.800 por isso.", "60 dias"),
    ("¡Hola Caro! Somos Nube Café. Te pagamos 900 € por 1 reel y queremos usarlo en anuncios "
     "desde tu cuenta durante 30 días.", "30 días"),
])
def test_ads_from_the_creators_account_are_read(said: str, term: str) -> None:
    shown = facts_shown(said)
    assert f"• Usage: paid ads, {term}" in shown
    assert "• Ads run from your account" in shown


def test_paid_advertising_in_spanish_is_paid_use() -> None:
    shown = facts_shown("Hola Dani, somos Sierra Bikes. Pagamos 1.200 € por 2 reels. Queremos "
                        "usar el contenido en publicidad pagada durante 3 meses.")
    assert "• Usage: paid ads, 3 meses" in shown
    assert "Ads run from your account" not in shown  # the brand's ads, not from the creator's


def test_no_paid_advertising_is_no_paid_use() -> None:
    shown = facts_shown("Pagamos 900 € por 1 reel, sin publicidad pagada.")
    assert "paid ads" not in shown
