"""A NameError told in the learner's words: whose name is missing decides what to do.

Seen in a learner's trial of module 03: an answer pasted from the lesson used the lesson's
`better`, and the check said "name 'better' is not defined. Set it in your answer cell,
spelled as the question asks" -- blaming the question's spelling -- and the two questions
built on that answer said the same of `required_week`, sending the learner to the wrong cell.
"""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from opsfirst.assignments import notebooks as nbm


def _answer(gid: str, source: str, error: str | None = None):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "solution": True, "grade": False,
                                 "locked": False, "schema_version": 3}
    if error:
        cell.outputs = [new_output("error", ename="NameError", evalue=error, traceback=[])]
    return cell


def _test(gid: str, error: str):
    cell = new_code_cell(f"assert {gid.removesuffix('_tests')} > 0")
    cell.metadata["nbgrader"] = {"grade_id": gid, "solution": False, "grade": True,
                                 "locked": True, "points": 2, "schema_version": 3}
    cell.outputs = [new_output("error", ename="NameError", evalue=error, traceback=[])]
    return cell


RELEASE = new_notebook(cells=[
    new_markdown_cell("# 4. The requirement"),
    _answer("required_week", "required_week = ...\n# YOUR CODE HERE\nraise NotImplementedError()"),
    new_markdown_cell("# 5. Paid hours"),
    _answer("paid_hours", "paid_hours = ...\n# YOUR CODE HERE\nraise NotImplementedError()"),
])


def test_answer_names_reads_each_template():
    assert nbm.answer_names(RELEASE) == {"required_week": "required_week",
                                         "paid_hours": "paid_hours"}
    assert nbm.answer_names(None) == {}


def _verdict(question, source, missing):
    answer = _answer(question, source, f"name '{missing}' is not defined")
    tests = [_test(f"{question}_tests", f"name '{question}' is not defined")]
    return nbm.diagnose(question, answer, tests, stub="x", names=nbm.answer_names(RELEASE))


def test_a_name_from_the_lesson_is_called_one():
    verdict = _verdict("required_week", "required_week = agents(calls=better)", "better")
    assert verdict.status == nbm.NOT_YET
    assert "`better`, which nothing in this notebook sets" in verdict.message
    assert "spelled as the question asks" not in verdict.message


def test_an_earlier_answer_that_failed_is_named_as_the_one_to_fix():
    verdict = _verdict("paid_hours", "paid_hours = cover(required_week).paid_hours",
                       "required_week")
    assert ("`required_week`, the answer to the question `required_week`, which is not set: "
            "fix that question first") in verdict.message


def test_the_question_s_own_name_keeps_the_spelling_advice():
    tests = [_test("paid_hours_tests", "name 'paid_hours' is not defined")]
    answer = _answer("paid_hours", "paid_hour = 3")
    verdict = nbm.diagnose("paid_hours", answer, tests, stub="x",
                           names=nbm.answer_names(RELEASE))
    assert verdict.message == ("name 'paid_hours' is not defined. Set it in your answer cell, "
                               "spelled as the question asks.")


def test_without_names_the_message_is_as_before():
    answer = _answer("required_week", "required_week = better", "name 'better' is not defined")
    tests = [_test("required_week_tests", "name 'required_week' is not defined")]
    verdict = nbm.diagnose("required_week", answer, tests, stub="x")
    assert verdict.message.endswith("name 'better' is not defined. Set it in your answer cell, "
                                    "spelled as the question asks.")
