"""Wagtail admin screens for what product teams configure: product areas, status
labels and tags (snippets, with search and Django model permissions)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from community import roles
from community.core.exceptions import DomainError
from ideas.models import Category, StatusLabel
from ideas.services import tags as tag_services


class CategoryForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only staff answer for an area; a member could not be assigned ideas.
        self.fields["default_assignee"].queryset = (
            get_user_model()
            .objects.filter(groups__name__in=roles.STAFF_ROLES, is_active=True)
            .distinct()
            .order_by("display_name", "username")
        )


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Product areas")
    menu_order = 200
    add_to_admin_menu = True
    search_fields = ["name", "description"]
    list_display = ["name", "owner_team", "default_assignee"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("owner_team"),
            FieldPanel("default_assignee"),
            FieldPanel("position"),
        ],
        base_form_class=CategoryForm,
    )


class StatusLabelViewSet(SnippetViewSet):
    model = StatusLabel
    icon = "tag"
    menu_label = gettext_lazy("Status labels")
    menu_order = 210
    add_to_admin_menu = True
    search_fields = ["label", "help_text"]
    list_display = ["status", "label", "help_text"]
    panels = [FieldPanel("status"), FieldPanel("label"), FieldPanel("help_text")]


class TagIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("taggit.delete_tag"):
            merge_url = reverse(TagViewSet().get_url_name("merge"))
            buttons.append(HeaderButton(_("Merge tags"), url=merge_url, icon_name="resubmit"))
        return buttons


class TagEditView(EditView):
    def save_instance(self):
        """A rename goes through the ideas service, so the search index follows."""
        return tag_services.tag_rename(
            actor=self.request.user, tag_id=self.object.pk, name=self.form.cleaned_data["name"]
        )


class TagMergeForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Merge these tags"), queryset=Tag.objects.order_by("name")
    )
    into = forms.ModelChoiceField(
        label=gettext_lazy("into this tag"), queryset=Tag.objects.order_by("name")
    )


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = gettext_lazy("Tags")
    menu_order = 220
    add_to_admin_menu = True
    search_fields = ["name"]
    list_display = ["name", "slug"]
    panels = [FieldPanel("name")]
    index_view_class = TagIndexView
    edit_view_class = TagEditView

    def merge_view(self, request):
        if not (
            request.user.has_perm("taggit.change_tag")
            and request.user.has_perm("taggit.delete_tag")
        ):
            raise PermissionDenied
        form = TagMergeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                moved = tag_services.tag_merge(
                    actor=request.user,
                    tag_ids=[tag.pk for tag in form.cleaned_data["tags"]],
                    into_id=form.cleaned_data["into"].pk,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Merged into “%(tag)s”: %(count)s ideas re-tagged.")
                    % {"tag": form.cleaned_data["into"].name, "count": moved},
                )
                return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request,
            "cms/admin/tag_merge.html",
            {"form": form, "page_title": _("Merge tags"), "header_icon": "tag"},
            status=400 if form.errors else 200,
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("merge/", self.merge_view, name="merge")]
