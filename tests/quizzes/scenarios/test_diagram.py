"""The SVG diagram: well-formed, accessible, escaped, with counts and problems."""

import re
import xml.etree.ElementTree as ET

from quizzes.scenarios import load_library, render_svg, validate

from .helpers import build, deadline, decision, ending, scenario_dict

SVG = "{http://www.w3.org/2000/svg}"


def sample(**overrides):
    data = scenario_dict(
        [
            decision("a", ("x", "t", 2), ("y", "z", 0)),
            deadline(
                "t",
                [{"when": {"score_at_least": 4}, "goto": "z"}, {"goto": "z2"}],
                next_if_wrong="ulang",
            ),
            decision("ulang", ("lagi", "t", 0)),
            ending("z"),
            ending("z2"),
        ],
        max_score=5,
    )
    data.update(overrides)
    return build(data)


def test_the_diagram_is_well_formed_accessible_svg():
    svg = render_svg(sample())
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Diagram skenario: Skenario uji"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title.text == "Diagram skenario: Skenario uji"
    assert root.get("aria-describedby") == desc.get("id")
    assert "Keputusan 'Keputusan a' menuju 'Tenggat t'" in desc.text
    assert "<script" not in svg and "javascript:" not in svg


def test_every_step_is_drawn_and_every_link_labelled():
    root = ET.fromstring(render_svg(sample()))
    steps = root.findall(f".//{SVG}g[@class]")
    ids = {g.get("id") for g in steps if g.get("id")}
    assert ids == {f"sc-uji-step-{s}" for s in ("a", "t", "ulang", "z", "z2")}
    labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "link-label"]
    assert "Pilihan x" in labels
    assert "benar · skor ≥ 4" in labels and "benar" in labels and "salah" in labels
    assert len(root.findall(f".//{SVG}path[@class='link']")) == 6


def test_author_text_is_escaped():
    attack = "<script>alert(1)</script>"
    data = scenario_dict([decision("a", ("x", "z", 0), title=attack), ending("z")])
    data["title"] = 'Judul "kutip" & <b>tebal</b>\x00'
    data["steps"][0]["choices"][0]["text"] = "<img src=x onerror=alert(1)>"
    svg = render_svg(build(data))
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&lt;img src=x" in svg
    assert "&quot;kutip&quot; &amp;" in svg
    assert "\x00" not in svg
    ET.fromstring(svg)  # still well-formed


def test_counts_are_drawn_on_the_links_and_thicken_them():
    svg = render_svg(sample(), counts={("a", "t"): 40, ("a", "z"): 4})
    assert "Pilihan x (40)" in svg and "Pilihan y (4)" in svg
    widths = [
        float(w) for w in re.findall(r'class="link"[^>]*stroke-width="([\d.]+)"', svg)
    ]
    assert max(widths) == 5.5 and min(widths) == 1.5


def test_steps_with_problems_get_a_red_border():
    data = scenario_dict(
        [decision("a", ("x", "hilang", 0)), decision("b"), ending("z")]
    )
    scenario = build(data)
    svg = render_svg(scenario, problems=validate(scenario))
    root = ET.fromstring(svg)
    flagged = {
        g.get("id").removeprefix("sc-uji-step-")
        for g in root.iter(SVG + "g")
        if "has-problem" in (g.get("class") or "")
    }
    assert flagged == {"a", "b", "z"}
    assert svg.count('stroke="#c62828"') == 3
    assert "masalah ditemukan" in root.find(SVG + "desc").text


def test_unreachable_steps_are_drawn_in_a_last_column():
    svg = render_svg(
        build(
            scenario_dict([decision("a", ("x", "z", 0)), ending("z"), ending("yatim")])
        )
    )
    xs = dict(
        re.findall(
            r'id="sc-uji-step-([a-z]+)"><title>[^<]*</title><rect x="(\d+)"', svg
        )
    )
    assert int(xs["a"]) < int(xs["z"]) < int(xs["yatim"])


def test_every_library_scenario_draws():
    for scenario in load_library():
        ET.fromstring(render_svg(scenario, id_prefix="x"))


def test_several_choices_to_one_step_are_counted_and_listed_in_the_tooltip():
    data = scenario_dict(
        [decision("a", ("x", "z", 1), ("y", "z", 0), ("w", "z", 0)), ending("z")]
    )
    root = ET.fromstring(render_svg(build(data)))
    labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "link-label"]
    assert labels == ["3 pilihan"]
    tooltip = root.find(f".//{SVG}g[@class='link-group']/{SVG}title").text
    assert tooltip == "a → z: Pilihan x / Pilihan y / Pilihan w"
