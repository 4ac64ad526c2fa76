from django.contrib.auth import views as auth_views
from django.urls import path

from roles.views import auth, groups, imports, invitations, people, trajectories

urlpatterns = [
    # Setting up a school: the coordinator's pages.
    path("school-years/", people.school_year_list, name="school_year_list"),
    path("people/", people.person_list, name="person_list"),
    path("people/invite/", invitations.person_invite, name="person_invite"),
    path("people/import/", imports.people_import, name="people_import"),
    path(
        "people/import/<uuid:public_id>/",
        imports.people_import_preview,
        name="people_import_preview",
    ),
    path("people/<uuid:public_id>/", people.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/roles/new/", people.role_assign, name="role_assign"),
    path(
        "people/<uuid:public_id>/deactivate/",
        people.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "invitations/<uuid:public_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:public_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    # The invited person's own page: public, the token is the key.
    path("welcome/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("trajectories/", trajectories.trajectory_list, name="trajectory_list"),
    path("trajectories/new/", trajectories.trajectory_create, name="trajectory_create"),
    path(
        "trajectories/<uuid:public_id>/",
        trajectories.trajectory_detail,
        name="trajectory_detail",
    ),
    path(
        "trajectories/<uuid:public_id>/focus/",
        trajectories.trajectory_focus_edit,
        name="trajectory_focus_edit",
    ),
    path(
        "trajectories/<uuid:public_id>/end/",
        trajectories.trajectory_end,
        name="trajectory_end",
    ),
    path("groups/", groups.learning_group_list, name="learning_group_list"),
    path("groups/new/", groups.learning_group_create, name="learning_group_create"),
    path("groups/<uuid:public_id>/", groups.learning_group_detail, name="learning_group_detail"),
    path(
        "groups/<uuid:public_id>/members/",
        groups.learning_group_member_add,
        name="learning_group_member_add",
    ),
    path(
        "groups/<uuid:public_id>/members/<uuid:person>/leave/",
        groups.learning_group_member_leave,
        name="learning_group_member_leave",
    ),
    path(
        "groups/<uuid:public_id>/notes/",
        groups.learning_group_note_add,
        name="learning_group_note_add",
    ),
    # Accounts: Django's views with our templates.
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(template_name="roles/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="roles/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="roles/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="roles/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="roles/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
