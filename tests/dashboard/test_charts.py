"""Server-side SVG: escaped, labelled for assistive technology, inserted unescaped."""

import xml.etree.ElementTree as ET

from django.template import Context, Template

from dashboard.charts import Bar, Point, Svg, bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"


def test_linked_bars_are_a_labelled_group_of_links():
    svg = bar_chart(
        [
            Bar(
                "KPU Kabupaten Badung",
                50,
                "50 %",
                href="/koordinator/?office=3&course=1",
            )
        ],
        ident="c1",
        title="Completion by office",
        desc="Share completed",
    )
    root = ET.fromstring(svg)
    # Not "img": an image's content is presentational, links in it go unnamed.
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{NS}title").text == "Completion by office"
    assert root.find(f"{NS}desc").text == "Share completed"
    link = root.find(f"{NS}a")
    assert link.get("href") == "/koordinator/?office=3&course=1"
    assert "&amp;course" in svg


def test_bars_without_links_are_an_image_with_title_and_description():
    root = ET.fromstring(
        bar_chart(
            [Bar("KPU Kota Denpasar", 20, "20 %")], ident="c2", title="t", desc="d"
        )
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c2-title c2-desc"
    assert root.find(f"{NS}a") is None


def test_labels_are_escaped():
    svg = bar_chart(
        [Bar('<script>alert("x")</script>', 10, "10 %")],
        ident="c",
        title="<b>",
        desc="&",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)  # still well-formed


def test_bar_lengths_are_proportional_and_clamped():
    svg = bar_chart(
        [Bar("a", 50, ""), Bar("b", 100, ""), Bar("c", 250, ""), Bar("d", -5, "")],
        ident="c",
        title="t",
        desc="d",
        width=444,
    )
    widths = [float(r.get("width")) for r in ET.fromstring(svg).iter(f"{NS}rect")]
    assert widths[1] == 2 * widths[0]
    assert widths[2] == widths[1]  # clamped at the scale's maximum
    assert widths[3] == 0


def test_an_empty_chart_still_draws():
    assert ET.fromstring(bar_chart([], ident="c", title="t", desc="d")) is not None
    assert ET.fromstring(line_chart([], ident="l", title="t", desc="d")) is not None


def test_the_line_has_a_dot_and_a_tooltip_per_point_and_starts_at_zero():
    points = [
        Point("1/3", 0),
        Point("8/3", 7),
        Point("15/3", 3, text="Week of 15/3: 3"),
    ]
    root = ET.fromstring(line_chart(points, ident="l", title="t", desc="d"))
    dots = list(root.iter(f"{NS}circle"))
    assert len(dots) == 3
    assert dots[2].find(f"{NS}title").text == "Week of 15/3: 3"
    axis = [t.text for t in root.iter(f"{NS}text")]
    assert "0" in axis and "10" in axis  # 7 rounds up to a scale of 10


def test_many_weeks_do_not_crowd_the_axis():
    points = [Point(f"w{i}", i) for i in range(52)]
    root = ET.fromstring(line_chart(points, ident="l", title="t", desc="d"))
    labels = [t.text for t in root.iter(f"{NS}text") if t.text.startswith("w")]
    assert 5 <= len(labels) <= 8


def test_templates_insert_the_svg_unescaped():
    svg = bar_chart([Bar("a&b", 1, "1")], ident="c", title="t", desc="d")
    assert isinstance(svg, Svg)
    html = Template("{{ chart }}").render(Context({"chart": svg}))
    assert html.startswith("<svg") and "a&amp;b" in html
