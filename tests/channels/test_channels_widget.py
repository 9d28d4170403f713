"""Check channel_mix_slider: it shows what channel_mix says for the mix the sliders choose."""

from __future__ import annotations

import pytest

from opsfirst import channels, datasets


@pytest.fixture(scope="module")
def data():
    return datasets.load("contacts"), datasets.load("channel_costs")


def test_slider_starts_at_todays_mix_and_follows_the_sliders(data):
    contacts, costs = data
    w = channels.channel_mix_slider(contacts, costs, reason="complaint")
    today = channels.channel_mix(contacts, costs, reason="complaint")
    assert w.today.equals(today)
    assert (w.voice.value, w.chat.value) == (0.7, 0.2)
    w.voice.value, w.chat.value = 0.5, 0.5
    assert w.mix == {"voice": 0.5, "chat": 0.5, "email": 0.0}
    want = channels.channel_mix(contacts, costs, reason="complaint", mix=w.mix)
    assert w.table.equals(want)
    assert f'data-value="{float(want.loc["total", "cost"])!r}"' in w.readout.value
    assert w.plot.value[:4] == b"\x89PNG"
    assert "ChannelMixSlider(reason='complaint'" in repr(w)


def test_voice_and_chat_past_100_percent_cut_chat_back(data):
    w = channels.channel_mix_slider(*data, reason="complaint")
    w.voice.value, w.chat.value = 0.9, 0.4
    assert w.mix == {"voice": 0.9, "chat": 0.1, "email": 0.0}


def test_slider_refuses_unknown_settings(data):
    with pytest.raises(ValueError, match="no setting colour"):
        channels.channel_mix_slider(*data, colour="red")
