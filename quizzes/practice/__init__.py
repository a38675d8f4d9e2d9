"""Scenario exercises: the Django and Wagtail side of the scenario engine.

The rules live in the pure engine `quizzes.scenarios` (docs/decisions/0003); this app
stores, authors, plays and analyses scenarios around it:

- `ScenarioPage` (models.py): a Wagtail page under a course or module. The case file
  is page fields; the step graph is a StreamField with one StructBlock per step kind
  (blocks.py). `adapters.py` turns page + StreamField into the engine's dict and
  `Scenario`, and back (the demo content and the round-trip tests use the way back).
- Validation, and the choice made for drafts. Shape rules that a single block can
  check (ids well formed and unique, conditions complete) are ordinary field
  validation and hold on every save; Wagtail defers only "required" on drafts.
  The engine's `validate()` (links, reachability, cycles, deadlines computable by
  the legal engine with the stored calendar overrides, scores) runs on every save as
  well, but:
    * saving a **draft** with problems is allowed, so an author can save half a graph
      (and Wagtail's autosave keeps working); the problems are shown at once, at their
      steps, when the edit page reopens, with a warning message, and in the "Check"
      tab with the diagram;
    * **publishing** (and submitting for moderation) refuses: the form shows each
      problem at the step that has it and nothing is published;
    * `ScenarioPage.clean()` refuses a live save of an invalid scenario, so workflow
      approval, scheduled publishing and `revision.publish()` from code are blocked
      too, not only the edit form.
- Playing (services.py, views.py): a `ScenarioPlay` per try, with the engine's
  `PlayState` as JSON and a `ScenarioAnswer` row per accepted answer. A play is
  bound to a `ScenarioSnapshot` (the scenario's dict, deduplicated by digest), so an
  author editing the page never breaks a play in progress; new plays use the new
  version. Bad input is refused by the engine (or the date parser) before anything
  is written.
- Completion: a requirement provider registered with `courses.completion`; a live
  ScenarioPage marked required must have a finished, passed play in the learner's
  current course attempt. The scenario's own pass mark (in points) decides, so the
  status carries no percentage (the course's passing score is not applied to it).
- Preview (Wagtail preview mode "play") keeps the play in the editor's session and
  writes no records; analytics and the diagram are Wagtail admin views.
"""
