"""Counting what entering an interview costs an editor: clicks, keys outside the text, saves.

The interview's own words (title, standfirst, questions, answers) are typed through
``text()`` and not counted; everything else an editor has to do goes through the
other methods, which count it. ``tests/e2e/test_editor_effort.py`` uses it to
measure the desk; docs/issue notes report its numbers.
"""

from dataclasses import dataclass, field

# The interview an editor enters: 10 questions, 15 answer paragraphs, one photo inside answer 8.
QUESTIONS = [f"Question {n}: what happened to the river in year {n}?" for n in range(1, 11)]
TWO_PARAGRAPHS = {1, 2, 3, 4}


def answer_paragraphs(n):
    count = 2 if n in TWO_PARAGRAPHS or n == 8 else 1
    return [f"Answer {n}, paragraph {p}: the water came and the town listened." for p in range(1, count + 1)]


@dataclass
class Effort:
    page: object
    clicks: int = 0
    keys: int = 0
    saves: int = 0
    log: list = field(default_factory=list)

    def click(self, locator, why=""):
        locator.click()
        self.clicks += 1
        self.log.append(f"click {why}")

    def select(self, locator, value, why=""):
        """A native select picked with the mouse: one click to open, one to choose."""
        locator.select_option(value)
        self.clicks += 2
        self.log.append(f"select {value} {why}")

    def press(self, key, why=""):
        self.page.keyboard.press(key)
        self.keys += 1
        self.log.append(f"press {key} {why}")

    def type_other(self, text, why=""):
        """Keys that are not the interview's text (a search term, say)."""
        self.page.keyboard.type(text)
        self.keys += len(text)
        self.log.append(f"type {text!r} {why}")

    def text(self, text):
        """The interview's own words: free."""
        self.page.keyboard.type(text)

    def paragraphs(self, paragraphs):
        """Paragraphs of one block; the Enter between them is part of the text."""
        for index, paragraph in enumerate(paragraphs):
            if index:
                self.page.keyboard.press("Enter")
            self.page.keyboard.type(paragraph)

    def save(self, locator, why=""):
        self.click(locator, why or "save")
        self.saves += 1

    def summary(self):
        return {"clicks": self.clicks, "keys": self.keys, "saves": self.saves}
