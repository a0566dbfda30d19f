from wagtail import hooks

from cms.choosers import idea_chooser_viewset


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset
