"""Which paragraph is a question, an answer, a photo, the headline: the structure detector.

Explicit markers win over guesses, in this order:

1. Page furniture ("Share this article", "Advertisement") and empty paragraphs
   are left out; an "About the author" section becomes the author's bio; a
   "By Name" line near the top is the byline.
2. A "Credit: Agency/Photographer" line, with the caption next to it and an
   embedded picture if there is one, becomes a photo (a slot when there is no
   picture); a picture without a credit line is a photo too.
3. Speakers: "Q:"/"A:" markers, or names (or initials) at the start of
   paragraphs, or a transcript's speakers. The interviewer is the author when
   a speaker is the author, else the speaker who asks most; the others answer.
   Paragraphs without a marker continue what the last marked one was.
4. Otherwise styles: bold, heading-styled or "Question"-styled paragraphs that
   ask are questions (in a document whose questions are bold, a bold statement
   is a question too); other headings stay headings; quotes stay pull quotes.
5. Otherwise the fallback: a paragraph that asks (ends with a question mark,
   perhaps before a closing quote) is a question, the paragraphs after it its
   answer; a long one inside an answer is rhetorical and stays in the answer.

Before the first question: the first short line is the headline, the next
paragraph the standfirst, the rest narrative paragraphs.
"""

import html
import re
import unicodedata

from .document import Document, ImportRefused, Kind, Paragraph, inline_html

NO_QUESTION = (
    "No question was found in this document, so it cannot become an interview. Mark the questions "
    "(for example in bold, or starting with “Q:”), or paste the text and set the kinds by hand."
)
ONE_SPEAKER = (
    "This transcript has only one speaker ({name}), so questions cannot be told from answers. "
    "Export it with the speakers' names (most recording tools call this “speaker labels”)."
)

NO_SPEAKERS = (
    "This transcript does not name its speakers, so questions cannot be told from answers. "
    "Export it with the speakers' names (most recording tools call this “speaker labels”)."
)

FURNITURE = re.compile(
    r"^(share( this( article| story| page| interview)?)?( on \w+)?|follow us( on \w+)?|advertisement|"
    r"(subscribe|sign up)( to| for)?( our)?( newsletter)?|print( this)?( article)?|e-?mail( this)?( article)?|"
    r"tweet|comments?|read more|related( articles| stories)?|back to top|skip to( main)? content)\s*[:.!…]?$",
    re.I,
)
# A published piece's correction or update note ("Correction (12 May): …"): the draft's corrections, not its body.
CORRECTION_NOTE = re.compile(r"^(?:correction|update|clarification)\b[^:.]{0,40}:\s+\S", re.I)
BYLINE = re.compile(r"^(?:by|interview(?:ed)? by|words by|text by)\s+(?P<names>[^\W\d_][^.!?]{1,120})$", re.I)
ABOUT_AUTHOR = re.compile(r"^about the (?:author|interviewer)s?\s*[:.]?\s*(?P<rest>.*)$", re.I | re.S)
CREDIT = re.compile(
    r"^(?:photo(?:graph)?\s+credit|credit|photo|photograph|picture)\s*:\s*(?P<credit>.{2,200})$", re.I
)
QA_MARKER = re.compile(r"^(?P<label>Q|A|Question|Answer)\s*[:.)–—-]\s*", re.S)
NAME_LABEL = re.compile(r"^(?P<label>[^\W\d_][\w.'’-]*(?:\s+[\w.'’-]+){0,3})\s*[:：]\s+(?P<rest>\S.*)$", re.S)
# Words that start "Something: text" paragraphs and are no one's name.
NOT_NAMES = {
    "note", "update", "correction", "source", "caption", "credit", "photo", "photograph", "editor's note",
    "editor’s note", "warning", "disclaimer", "tags", "title", "subtitle", "standfirst", "headline", "read more",
    "see also", "related", "transcript", "interview", "about the author", "about", "location", "date",
}  # fmt: skip
PARTICLES = {
    "de",
    "da",
    "di",
    "del",
    "van",
    "von",
    "der",
    "den",
    "le",
    "la",
    "al",
    "bin",
    "ibn",
    "y",
    "du",
    "ten",
    "ter",
}
CLOSING = " \t\"'”’»)]*_"
LONG_QUESTION_WORDS = 60
HEADLINE_WORDS = 25
CAPTION_WORDS = 60


def fold(name):
    """A name compared without case or accents: "Inès  Valtrio" and "ines valtrio" are one person."""
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def initials(name):
    return "".join(word[0] for word in fold(name).split() if word not in PARTICLES)


def asks(text):
    return text.rstrip(CLOSING).endswith(("?", "？", "¿"))


def _words(text):
    return len(text.split())


def _is_name(label):
    words = label.split()
    if fold(label) in NOT_NAMES or len(label) > 40:
        return False
    return all(word[0].isupper() or word.lower() in PARTICLES for word in words)


def _strip_label(paragraph, pattern_text):
    """Remove a leading "Label:" from the paragraph's HTML, even inside leading tags (<strong>Q:</strong>)."""
    for label in {html.escape(pattern_text, quote=False), html.escape(pattern_text)}:
        pattern = r"^((?:\s|<[^/][^>]*>)*)" + re.escape(label) + r"\s*[:：.)–—-]?\s*((?:\s|</[^>]+>)*)"
        stripped, count = re.subn(pattern, r"\1\2", paragraph.html, count=1)
        if count:
            paragraph.html = inline_html(stripped)
            return


def detect(document: Document, *, interviewers=()):
    """Give every paragraph of ``document`` its kind; returns the document, with warnings.

    ``interviewers`` are names known to be the interviewer's (the chosen author).
    Raises ``ImportRefused`` for a document with no question or a one-speaker transcript.
    """
    paragraphs = [p for p in document.paragraphs if p.text or p.style == "image"]
    for paragraph in paragraphs:
        paragraph.kind = paragraph.reason = ""
    _furniture_byline_bio(paragraphs)
    document.paragraphs = paragraphs = _photos(paragraphs, document)
    body = [p for p in paragraphs if not p.kind]
    _headline(body, document)
    speakers = _speakers(body, document, interviewers)
    if not speakers:
        _by_style_or_fallback(body)
    _intro(body)
    if not any(p.kind == Kind.QUESTION for p in paragraphs):
        raise ImportRefused(NO_QUESTION)
    _people_named(document)
    document.warnings = warnings(document)
    return document


# 1. Furniture, byline, bio ----------------------------------------------------------


def _furniture_byline_bio(paragraphs):
    in_bio = False
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if paragraph.style == "image":
            in_bio = False
            continue
        about = ABOUT_AUTHOR.match(text)
        if about:
            in_bio = True
            if about["rest"].strip():
                paragraph.kind, paragraph.reason = Kind.BIO, "after “About the author”"
                _strip_label(paragraph, text[: about.start("rest")].rstrip(" :."))
            else:
                paragraph.kind, paragraph.reason = Kind.DROP, "the “About the author” heading"
            continue
        if in_bio and (paragraph.style.startswith("h") or QA_MARKER.match(text)):
            in_bio = False
        if in_bio:
            paragraph.kind, paragraph.reason = Kind.BIO, "after “About the author”"
        elif FURNITURE.match(text):
            paragraph.kind, paragraph.reason = Kind.DROP, "page furniture"
        elif CORRECTION_NOTE.match(text):
            paragraph.kind, paragraph.reason = (
                Kind.DROP,
                "a correction note: add it to the draft's corrections",
            )
        elif index < 6 and BYLINE.match(text) and _words(text) <= 12:
            paragraph.kind, paragraph.reason = Kind.BYLINE, "“By …” line"


# 2. Photos ---------------------------------------------------------------------------


def _caption_like(paragraph, *, strict=False):
    if paragraph is None or paragraph.kind or paragraph.style == "image":
        return False
    if paragraph.style == "caption" or paragraph.italic:
        return True
    text = paragraph.text
    if strict or QA_MARKER.match(text) or asks(text) or paragraph.bold or paragraph.style.startswith("h"):
        return False
    label = NAME_LABEL.match(text)
    return _words(text) <= CAPTION_WORDS and not (label and _is_name(label["label"]))


def _photos(paragraphs, document):
    """Credit lines, their captions and pictures become one photo paragraph each, in place."""
    used = set()
    photos = {}  # index of the paragraph that becomes the photo -> the photo
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind or paragraph.style == "image":
            continue
        credit = CREDIT.match(paragraph.text)
        if not credit:
            continue
        before = paragraphs[index - 1] if index else None
        after = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        caption = None
        if index - 1 not in used and _caption_like(before):
            caption = index - 1
        elif _caption_like(after, strict=True):
            caption = index + 1
        picture = None
        for candidate in (caption - 1 if caption is not None else None, index - 1, index + 1):
            if (
                candidate is not None
                and 0 <= candidate < len(paragraphs)
                and candidate not in used
                and paragraphs[candidate].style == "image"
                and paragraphs[candidate].image is not None
            ):
                picture = candidate
                break
        photo = Paragraph(kind=Kind.PHOTO, credit=credit["credit"].strip(), reason="“Credit:” line")
        if caption is not None:
            photo.caption = paragraphs[caption].text
            used.add(caption)
        if picture is not None:
            photo.image = paragraphs[picture].image
            photo.alt = paragraphs[picture].alt
            used.add(picture)
        used.add(index)
        photos[index] = photo
    result = []
    for index, paragraph in enumerate(paragraphs):
        if index in photos:
            result.append(photos[index])
        elif index in used:
            continue
        elif paragraph.style == "image":
            if paragraph.image is None:
                document.warnings.append("A picture that was only linked, not embedded, was left out.")
                continue
            photo = Paragraph(kind=Kind.PHOTO, image=paragraph.image, alt=paragraph.alt, reason="picture")
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if _caption_like(following, strict=True):
                photo.caption = following.text
                used.add(index + 1)
            result.append(photo)
        else:
            result.append(paragraph)
    for photo in result:
        if photo.kind == Kind.PHOTO:
            photo.html = html.escape(photo.caption)
    return result


# 3. Speakers -------------------------------------------------------------------------


def _headline(body, document):
    if not body or document.is_transcript:
        return
    first = body[0]
    text = first.text
    if first.style in ("title", "h1") or (
        _words(text) <= HEADLINE_WORDS
        and not asks(text)
        and not QA_MARKER.match(text)
        and not text.rstrip(CLOSING).endswith(".")
        and not first.speaker
    ):
        first.kind, first.reason = Kind.TITLE, "first line"


def _speakers(body, document, interviewers):
    """Mark questions and answers by who speaks. Returns the speakers found, or [] when there are none."""
    labels = []  # (paragraph, label or "")
    for paragraph in body:
        if paragraph.kind:
            continue
        label = paragraph.speaker
        if not label:
            text = paragraph.text
            marker = QA_MARKER.match(text)
            named = NAME_LABEL.match(text)
            if marker and (marker["label"] in ("Q", "A") or text[marker.end() - 1 : marker.end()] != "."):
                label = marker["label"]
            elif named and _is_name(named["label"]):
                label = named["label"]
        labels.append((paragraph, label))
    counts = {}
    for _, label in labels:
        if label:
            counts[label] = counts.get(label, 0) + 1
    is_qa = {"Q", "Question"} & set(counts)
    if document.is_transcript:
        names = [label for label in counts if label not in ("Q", "A", "Question", "Answer")]
        if not names and not is_qa:
            raise ImportRefused(NO_SPEAKERS)
        if len(names) < 2 and not is_qa:
            raise ImportRefused(ONE_SPEAKER.format(name=names[0]))
    else:
        # A name is a speaker when it speaks at least twice; "Q"/"A" always count.
        counts = {
            label: n for label, n in counts.items() if n >= 2 or label in ("Q", "A", "Question", "Answer")
        }
        names = [label for label in counts if label not in ("Q", "A", "Question", "Answer")]
        if not is_qa and len(names) < 2:
            return []
    names = _expand_initials(names, document, interviewers)
    asking = _interviewers(labels, counts, is_qa, interviewers)
    current, speaker = "", ""
    for paragraph, label in labels:
        if label and label in counts:
            if not paragraph.speaker:
                _strip_label(paragraph, label)
            if label in ("Q", "Question") or label in asking:
                current, speaker = Kind.QUESTION, ""
                paragraph.reason = f"“{label}:” marker" if label in ("Q", "Question") else f"{label} asks"
            else:
                current = Kind.ANSWER
                speaker = "" if label in ("A", "Answer") else names.get(label, label)
                paragraph.reason = f"“{label}:” marker" if label in ("A", "Answer") else f"{label} answers"
            paragraph.kind, paragraph.speaker = current, speaker
        elif current:
            paragraph.kind, paragraph.speaker = current, speaker
            paragraph.reason = "continues the " + current
    document.interviewers = [names.get(label, label) for label in counts if label in asking]
    document.interviewees = list(
        dict.fromkeys(p.speaker for p, _ in labels if p.kind == Kind.ANSWER and p.speaker)
    )
    return list(counts)


def byline_names(text):
    found = BYLINE.match(text)
    return (
        [name.strip() for name in re.split(r"\s+and\s+|,\s*|\s*&\s*", found["names"]) if name.strip()]
        if found
        else []
    )


def title_name(text):
    """The interviewee's name in a "Name: theme" headline, if it has one."""
    name = text.split(":", 1)[0].strip() if ":" in text else ""
    return name if name and _is_name(name) and len(name.split()) <= 4 else ""


def _people_named(document):
    """Interviewers and interviewees the document names, when its speakers did not already."""
    for paragraph in document.paragraphs:
        if paragraph.kind == Kind.BYLINE and not document.interviewers:
            document.interviewers = byline_names(paragraph.text)
        if paragraph.kind == Kind.TITLE and not document.interviewees and title_name(paragraph.text):
            document.interviewees = [title_name(paragraph.text)]


def _expand_initials(names, document, interviewers):
    """Initials used as labels ("IV:") -> the full name they stand for, when the document gives it."""
    full_names = [name for name in names if " " in name] + list(interviewers)
    for paragraph in document.paragraphs:
        if paragraph.kind == Kind.TITLE and title_name(paragraph.text):
            full_names.append(title_name(paragraph.text))
        if paragraph.kind == Kind.BYLINE:
            full_names += byline_names(paragraph.text)
    expanded = {}
    for name in names:
        if name.isupper() and len(name) <= 4:
            matches = {full for full in full_names if initials(full) == name.casefold()}
            if len(matches) == 1:
                expanded[name] = matches.pop()
    return expanded


def _interviewers(labels, counts, is_qa, interviewers):
    known = {fold(name) for name in interviewers} | {initials(name) for name in interviewers}
    named = [label for label in counts if label not in ("Q", "A", "Question", "Answer")]
    chosen = {label for label in named if fold(label) in known}
    if chosen or is_qa:
        return chosen
    # The speaker who asks most is the interviewer; the one who spoke first breaks a tie.
    ratio = {}
    for paragraph, label in labels:
        if label in named:
            turns, questions = ratio.get(label, (0, 0))
            ratio[label] = (turns + 1, questions + asks(paragraph.text))
    order = {
        label: position
        for position, label in enumerate(dict.fromkeys(name for _, name in labels if name in named))
    }
    ranked = sorted(named, key=lambda label: (-ratio[label][1] / ratio[label][0], order[label]))
    return {ranked[0]}


# 4 and 5. Styles, then the fallback -----------------------------------------------------


def _by_style_or_fallback(body):
    free = [p for p in body if not p.kind]
    styled = [p for p in free if p.style == "question" or p.bold or p.style in ("h2", "h3", "h4", "h5", "h6")]
    styled_questions = [p for p in styled if asks(p.text) or p.style == "question"]
    bold_questions = [p for p in styled_questions if p.bold]
    by_style = bool(styled_questions)
    current = ""
    for index, paragraph in enumerate(body):
        if paragraph.kind:
            continue
        text = paragraph.text
        heading = paragraph.style in ("h2", "h3", "h4", "h5", "h6")
        if paragraph.style == "quote":
            paragraph.kind, paragraph.reason = Kind.QUOTE, "quote style"
            continue
        if paragraph.style == "answer":
            current = paragraph.kind = Kind.ANSWER
            paragraph.reason = "“Answer” style"
            continue
        if by_style:
            if paragraph.style == "question" or ((paragraph.bold or heading) and asks(text)):
                current = paragraph.kind = Kind.QUESTION
                paragraph.reason = (
                    "“Question” style"
                    if paragraph.style == "question"
                    else ("heading that asks" if heading else "bold")
                )
                continue
            if paragraph.bold and not heading and len(bold_questions) >= 2 and current:
                current = paragraph.kind = Kind.QUESTION
                paragraph.reason = "bold, like the other questions"
                continue
        elif asks(text) and not heading:
            rhetorical = current == Kind.ANSWER and _words(text) > LONG_QUESTION_WORDS
            if not rhetorical:
                current = paragraph.kind = Kind.QUESTION
                paragraph.reason = "asks"
                continue
        if heading:
            paragraph.kind, paragraph.reason = Kind.HEADING, "heading style"
            continue
        if current:
            paragraph.kind = current = Kind.ANSWER
            paragraph.reason = (
                "follows the question" if body[index - 1].kind == Kind.QUESTION else "continues the answer"
            )


def _intro(body):
    """Before the first question: the standfirst, then narrative paragraphs."""
    standfirst_found = any(p.kind == Kind.STANDFIRST for p in body)
    for paragraph in body:
        if paragraph.kind in (Kind.QUESTION, Kind.ANSWER):
            break
        if paragraph.kind:
            continue
        if not standfirst_found and (paragraph.style in ("subtitle", "") or paragraph.italic):
            paragraph.kind, paragraph.reason = Kind.STANDFIRST, "first paragraph after the headline"
            standfirst_found = True
        elif paragraph.style.startswith("h"):
            paragraph.kind, paragraph.reason = Kind.HEADING, "heading style"
        else:
            paragraph.kind, paragraph.reason = Kind.PARAGRAPH, "before the first question"
    for paragraph in body:
        if not paragraph.kind:
            paragraph.kind, paragraph.reason = Kind.PARAGRAPH, "narrative"


# Review ------------------------------------------------------------------------------


def warnings(document):
    """What the editor should look at before creating the draft."""
    found = list(dict.fromkeys(document.warnings))
    kinds = [p.kind for p in document.paragraphs if p.kind != Kind.DROP]
    if Kind.TITLE not in kinds:
        found.append("No headline was found: write one before creating the draft.")
    if Kind.STANDFIRST not in kinds:
        found.append("No standfirst was found: the draft will need one before it is published.")
    number = 0
    waiting = False
    for kind in [*kinds, None]:
        if kind == Kind.QUESTION and not waiting:
            number += 1
            waiting = True
        elif kind == Kind.ANSWER:
            waiting = False
        elif waiting and kind != Kind.QUESTION and kind not in (Kind.PHOTO,):
            found.append(f"Question {number} has no answer.")
            waiting = False
    photos = [p for p in document.paragraphs if p.kind == Kind.PHOTO]
    for position, photo in enumerate(photos, start=1):
        if photo.image is None:
            found.append(
                f"Photo {position} is a slot: the document has no picture for it. Choose or upload "
                "the photo in the draft; it cannot be published before."
            )
        elif not photo.alt:
            found.append(f"Photo {position} has no alt text: its caption stands in until you write one.")
    return found


def counts(document):
    """How many questions, answer paragraphs and photos, as the review shows them."""
    kinds = [p.kind for p in document.paragraphs]
    questions = sum(
        1
        for index, kind in enumerate(kinds)
        if kind == Kind.QUESTION and (index == 0 or kinds[index - 1] != Kind.QUESTION)
    )
    return {
        "questions": questions,
        "answer_paragraphs": kinds.count(Kind.ANSWER),
        "photos": kinds.count(Kind.PHOTO),
    }
