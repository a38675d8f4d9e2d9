"""Create the course catalogue (/kursus/) under the home page, under moderation.

The URL /kursus/ is a public contract. The catalogue is linked to Wagtail's default
"Moderators approval" workflow so that every course, module and lesson below it goes
draft → review → publish, whatever happens to the workflow on the root page.
"""

from django.db import migrations


def create_catalogue(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("courses.HomePage")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")

    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is None or CourseIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        model="courseindexpage", app_label="courses"
    )
    # Treebeard's materialised path: the next free 4-character step under home.
    last = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    last = last.order_by("-path").values_list("path", flat=True).first()
    step = int(last[-4:], 36) + 1 if last else 1
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    suffix = ""
    for _i in range(4):
        step, rest = divmod(step, 36)
        suffix = alphabet[rest] + suffix
    catalogue = CourseIndexPage.objects.create(
        title="Kursus",
        draft_title="Kursus",
        slug="kursus",
        content_type=content_type,
        path=home.path + suffix,
        depth=home.depth + 1,
        numchild=0,
        locale_id=home.locale_id,
        url_path=f"{home.url_path}kursus/",
        live=True,
        intro=(
            "<p>Kursus Akademi PPID tentang keterbukaan informasi publik di "
            "lingkungan KPU. Pilih kursus untuk melihat materi dan mendaftar.</p>"
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    workflow = Workflow.objects.filter(name="Moderators approval", active=True).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(
            page_id=catalogue.pk, defaults={"workflow": workflow}
        )


def remove_catalogue(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    for catalogue in CourseIndexPage.objects.filter(slug="kursus"):
        parent_path = catalogue.path[:-4]
        catalogue.delete()
        parent = Page.objects.filter(path=parent_path).first()
        if parent is not None:
            Page.objects.filter(pk=parent.pk).update(numchild=max(parent.numchild - 1, 0))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_pages_and_learner_records"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_catalogue, remove_catalogue)]
