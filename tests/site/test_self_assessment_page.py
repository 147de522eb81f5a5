"""The course's self-assessment page prints the sandbox's own questions file, so they cannot disagree."""
from __future__ import annotations

import html
import re
import sys

from sandbox.assessment import QUESTIONS_FILE, load_questions
from tests.site.conftest import HOOKS

sys.path.insert(0, str(HOOKS))

import self_assessment  # noqa: E402

PAGE = HOOKS.parents[1] / "course" / "trainers" / "self-assessment.md"


def sandbox_texts() -> list[str]:
    """Every piece of wording the sandbox's Self-assessment page shows, in its order."""
    questions = load_questions()
    texts = list(questions.scale)
    texts += [statement.text for statement in questions.confidence]
    for question in questions.knowledge:
        texts.append(question.question)
        texts += [option.text for option in question.options]
    return texts


def test_the_hook_reads_the_file_the_sandbox_reads():
    root = HOOKS.parents[1]
    assert (root / self_assessment.QUESTIONS).resolve() == QUESTIONS_FILE


def test_the_page_has_markers_not_a_copy_of_the_questions():
    source = PAGE.read_text(encoding="utf-8")
    assert "{{ self-assessment: questions }}" in source and "{{ self-assessment: answers }}" in source
    for text in sandbox_texts()[4:]:  # the scale's labels are ordinary words
        assert text not in source, f"typed into the page instead of printed from the file: {text!r}"


def test_rendered_sheet_shows_every_question_in_the_sandbox_order():
    data = self_assessment.load(HOOKS.parents[1])
    sheet = self_assessment.questions_markdown(data)
    positions = [sheet.find(text) for text in sandbox_texts()[4:]]
    assert -1 not in positions, [t for t, p in zip(sandbox_texts()[4:], positions) if p == -1]
    assert positions == sorted(positions)
    questions = load_questions()
    for question in questions.knowledge:
        assert f"**{questions.number('knowledge.' + question.id)}. {question.question}**" in sheet


def test_answers_table_names_the_right_answer_and_every_misconception():
    data = self_assessment.load(HOOKS.parents[1])
    table = self_assessment.answers_markdown(data)
    questions = load_questions()
    for question in questions.knowledge:
        row = next(line for line in table.splitlines()
                   if line.startswith(f"| {questions.number('knowledge.' + question.id)} | "))
        assert f"| {question.right} |" in row
        for option in question.options:
            if not option.right:
                assert f"{option.key}: {option.catches}".replace("|", "\\|") in row


def test_built_page_shows_the_sandbox_questions(built_site):
    page = (built_site / "trainers" / "self-assessment.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    text = " ".join(text.split())
    for wording in sandbox_texts():
        wording = " ".join(wording.replace("`", "").split())
        assert wording in text, wording
    assert "{{" not in text


def test_self_assessment_page_is_accessible(served_site, page, assert_accessible):
    page.goto(f"{served_site}/trainers/self-assessment.html", wait_until="load")
    page.get_by_role("heading", name="Part 1: confidence").wait_for()
    assert_accessible(page, "trainers/self-assessment.html")
    page.evaluate("document.body.classList.add('trainer-view')")
    assert_accessible(page, "trainers/self-assessment.html (trainer view)")
    assert page.external_requests == []
