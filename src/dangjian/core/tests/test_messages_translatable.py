"""Every message the Python code raises at the user is translatable: a Chinese literal handed to ``ValidationError``,
``Refused``, ``add_error``, ``CellError``, ``PermissionDenied``, ``Http404``, ``BadRequest`` or ``CommandError``
(directly, or as a value of the ``{field: message}`` dict a ``ValidationError`` takes) must sit inside
``_()``/``gettext`` and friends, else the English interface shows it in Chinese. An f-string inside the translation
call does not count: its msgid would change with every value (STYLE: ``_("…%(name)s…") % {"name": value}``).

The walk reads the source (``ast``) rather than importing it, so a message behind a rare branch is seen too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dangjian

SRC = Path(dangjian.__file__).parent
_CJK = re.compile(r"[\u4e00-\u9fff]")
# The calls whose string arguments reach the user as an error message.
MESSAGE_CALLS = {
    "ValidationError",
    "Refused",
    "add_error",
    "CellError",
    "PermissionDenied",
    "Http404",
    "BadRequest",
    "CommandError",
}
TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
SKIPPED_DIRS = {"tests", "migrations", "testing"}


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _chinese(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(_CJK.search(node.value))


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, why) for each Chinese literal inside a message call that no translation call wraps, and for each
    translation call inside one whose argument is an f-string."""
    found: dict[int, tuple[int, str]] = {}
    for call in ast.walk(ast.parse(source)):
        if not (isinstance(call, ast.Call) and _callee(call) in MESSAGE_CALLS):
            continue
        translated: set[int] = set()
        for sub in ast.walk(call):
            if isinstance(sub, ast.Call) and _callee(sub) in TRANSLATE:
                translated.update(id(n) for n in ast.walk(sub))
                if sub.args and isinstance(sub.args[0], ast.JoinedStr):
                    found[id(sub.args[0])] = (sub.lineno, "f-string inside a translation call")
        for sub in ast.walk(call):
            if id(sub) in translated or id(sub) in found:
                continue
            if isinstance(sub, ast.JoinedStr) and any(_chinese(part) for part in sub.values):
                found[id(sub)] = (sub.lineno, "Chinese f-string not translated")
                translated.update(id(n) for n in ast.walk(sub))  # its pieces are this one finding
            elif _chinese(sub):
                found[id(sub)] = (sub.lineno, "Chinese literal not translated")
    return sorted(set(found.values()))


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if not SKIPPED_DIRS & set(p.relative_to(SRC).parts[:-1]))


def test_the_walk_tells_translated_messages_from_bare_ones():
    source = """
from django.utils.translation import gettext as _, gettext_lazy
raise ValidationError("裸字符串")
raise ValidationError({"field": "字典里的裸字符串"})
raise Http404(f"第{n}步不存在")
raise ValidationError(_(f"翻译里的 f-string {n}"))
form.add_error("name", "请填写")
raise ValidationError(_("已翻译"))
raise ValidationError({"field": _("%(name)s已是党员") % {"name": n}})
raise Refused(gettext_lazy("常量"))
raise ValidationError("plain English is the msgid of nothing here")
logger.warning("不是给用户的消息")
"""
    assert untranslated(source) == [
        (3, "Chinese literal not translated"),
        (4, "Chinese literal not translated"),
        (5, "Chinese f-string not translated"),
        (6, "f-string inside a translation call"),
        (7, "Chinese literal not translated"),
    ]


def test_messages_raised_in_python_are_translatable():
    """Names file:line of each message the English interface would show in Chinese."""
    bare = [
        f"{path.relative_to(SRC)}:{line}: {why}"
        for path in _modules()
        for line, why in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not bare, "messages not wrapped in _()/gettext:\n" + "\n".join(bare)


# The pure rule modules cannot call gettext: their messages are ``core.lazytext`` messages, marked with ``N_`` (the
# msgid ``make messages`` extracts) and rendered in the active language where they are shown.
RULE_MODULES = [
    "appraisal/rules.py",
    "development/periods.py",
    "development/rules.py",
    "development/steps.py",
    "dues/months.py",
    "dues/rules.py",
    "meetings/rules.py",
]
RAISED = {"ValueError", "RuleError", "LookupError", "KeyError"}
MARKS = TRANSLATE | {"N_"}


def unmarked_rule_messages(source: str) -> list[tuple[int, str]]:
    """(line, why) for each Chinese literal in a raised error that ``N_`` does not mark, and for each Chinese
    f-string anywhere (a reason built as an f-string has no msgid; inside ``N_`` it would change with every value)."""
    found: set[tuple[int, str]] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(_chinese(part) for part in node.values):
            found.add((node.lineno, 'Chinese f-string: use Message(N_("…%(name)s…"), name=…)'))
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _callee(node.exc) in RAISED):
            continue
        marked: set[int] = set()
        for sub in ast.walk(node.exc):
            if isinstance(sub, ast.Call) and _callee(sub) in MARKS:
                marked.update(id(n) for n in ast.walk(sub))
        for sub in ast.walk(node.exc):
            if isinstance(sub, ast.JoinedStr):
                marked.update(id(n) for n in ast.walk(sub))  # reported as an f-string above
            elif id(sub) not in marked and _chinese(sub):
                found.add((sub.lineno, "Chinese literal raised without N_"))
    return sorted(found)


def test_the_rule_walk_tells_marked_messages_from_bare_ones():
    source = """
raise ValueError("裸字符串")
raise RuleError(N_("人数不能为负数"))
raise RuleError(N_("%(label)s应为列表"), label=label)
raise KeyError(Message(N_("第%(number)s步不存在"), number=n))
reason = f"递交申请时未满{n}周岁"
raise ValueError(f"{label}应为数字")
raise ValueError("plain English")
LABELS = {"employee": "在职"}
"""
    assert unmarked_rule_messages(source) == [
        (2, "Chinese literal raised without N_"),
        (6, 'Chinese f-string: use Message(N_("…%(name)s…"), name=…)'),
        (7, 'Chinese f-string: use Message(N_("…%(name)s…"), name=…)'),
    ]


def test_rule_module_messages_are_marked_for_translation():
    bare = [
        f"{module}:{line}: {why}"
        for module in RULE_MODULES
        for line, why in unmarked_rule_messages((SRC / module).read_text(encoding="utf-8"))
    ]
    assert not bare, "rule messages not marked with N_ (core.lazytext):\n" + "\n".join(bare)
