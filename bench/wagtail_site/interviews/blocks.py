"""The interview body as a StreamField: the blocks Newsroom's editors use, in Wagtail's terms."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link"]


class AnswerBlock(blocks.StructBlock):
    speaker = blocks.CharBlock(required=False, help_text="When the interview has more than one interviewee.")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        template = "interviews/blocks/answer.html"


class PhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False)
    alt = blocks.CharBlock(help_text="Describes the image for readers who cannot see it.")

    class Meta:
        template = "interviews/blocks/photo.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        template = "interviews/blocks/pull_quote.html"


class InterviewBodyBlock(blocks.StreamBlock):
    question = blocks.RichTextBlock(features=TEXT_FEATURES, template="interviews/blocks/question.html")
    answer = AnswerBlock()
    paragraph = blocks.RichTextBlock(features=TEXT_FEATURES, template="interviews/blocks/paragraph.html")
    photo = PhotoBlock()
    pull_quote = PullQuoteBlock()
    heading = blocks.CharBlock(template="interviews/blocks/heading.html")
