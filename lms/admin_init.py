"""Wagtail's admin widgets started without inline script (docs/security.md).

Wagtail 8 starts its choosers, date pickers and inline panels with inline
`<script>` calls (wagtail/wagtail#12940), which our script-src refuses. Here and in
templates/wagtailadmin/ each of those calls is written as data instead:

    <lms-admin-init hidden data-initialiser="PageChooser">["id", {…}]</lms-admin-init>

static/js/admin-init.js defines that element: when one is connected to the page
(parsed, or inserted later by an inline panel's "Add", a modal or a StreamField
block) it calls the named initialiser from a fixed table with the JSON arguments.
A custom element rather than a MutationObserver, because its callback runs during
the insertion itself, as the inline script did: a MultipleChooserPanel adds a child
form and uses that child's chooser on the next line.

- `chooser_render` replaces `BaseChooser.render` (installed by
  lms/accounts/wagtail_hooks.py): page, image, document, snippet and task choosers.
- templates/wagtailadmin/widgets/: the date, time and date-time inputs, read thanks
  to `FormRenderer`.
- templates/wagtailadmin/panels/: InlinePanel and MultipleChooserPanel.
"""

from __future__ import annotations

import json
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

_wagtail_chooser_render = BaseChooser.render


def init_element(initialiser: str, *args) -> SafeString:
    """The element on which admin-init.js calls `initialiser(*args)`; the JSON is
    HTML-escaped like any text, and the browser gives it back unescaped."""
    return format_html(
        '<lms-admin-init hidden data-initialiser="{}">{}</lms-admin-init>',
        initialiser,
        json.dumps(args),
    )


def chooser_render(self: BaseChooser, name, value, attrs=None, renderer=None):
    """`BaseChooser.render`, ending in an `<lms-admin-init>` element where Wagtail
    writes `<script>new PageChooser("id", {...});</script>`."""
    js_init = type(self).render_js_init
    if js_init not in (BaseChooser.render_js_init, AdminTaskChooser.render_js_init):
        # A chooser with an inline initialiser of its own, unknown here: Wagtail's
        # inline script, which the policy refuses (the browser test reports it).
        return _wagtail_chooser_render(self, name, value, attrs, renderer)
    # From here on as Wagtail's render, but for the script.
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError(
            "BaseChooser cannot be rendered without an 'id' attribute"
        ) from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if js_init is AdminTaskChooser.render_js_init:  # createTaskChooser("id");
        return widget_html + init_element("createTaskChooser", id_)
    options = self.get_js_init_options(id_, name, value_data)
    return widget_html + init_element(self.js_constructor, id_, options)


class FormRenderer(DjangoTemplates):
    """Django's default form renderer, but reading the project's templates/ first.

    Django's own renders widgets from the apps' templates only, so Wagtail's
    wagtailadmin/widgets/date_input.html would win over ours; Django's
    TemplatesSetting would need "django.forms" in INSTALLED_APPS.
    """

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    *settings.TEMPLATES[0]["DIRS"],
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
