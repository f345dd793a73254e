"""The RSS feed of the latest interviews, with excerpts, as Wagtail sites usually make it: Django's syndication Feed."""

from django.contrib.syndication.views import Feed

from .models import InterviewPage

FEED_LENGTH = 20


class LatestInterviewsFeed(Feed):
    title = "Magazine: interviews"
    link = "/"
    description = "The latest interviews."

    def items(self):
        return InterviewPage.objects.live().public().order_by("-first_published_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.full_url

    def item_pubdate(self, item):
        return item.first_published_at
