from django.urls import path

from reflection.views import (
    clips,
    conversations,
    cycles,
    goals,
    merid,
    reports,
    session_reports,
    sessions,
)

urlpatterns = [
    # Reflection cycles (ALACT and core reflection)
    path("reflections/", cycles.cycle_list, name="cycle_list"),
    path("reflections/new/", cycles.cycle_create, name="cycle_create"),
    path("reflections/<uuid:public_id>/", cycles.cycle_detail, name="cycle_detail"),
    path("reflections/<uuid:public_id>/save/", cycles.cycle_save, name="cycle_save"),
    path("reflections/<uuid:public_id>/share/", cycles.cycle_share, name="cycle_share"),
    path("reflections/<uuid:public_id>/withdraw/", cycles.cycle_withdraw, name="cycle_withdraw"),
    path(
        "reflections/<uuid:public_id>/discussed/",
        cycles.cycle_mark_discussed,
        name="cycle_mark_discussed",
    ),
    path("reflections/<uuid:public_id>/next/", cycles.cycle_start_next, name="cycle_start_next"),
    path("reflections/<uuid:public_id>/delete/", cycles.cycle_delete, name="cycle_delete"),
    path(
        "reflections/<uuid:public_id>/comments/",
        cycles.cycle_comment_add,
        name="cycle_comment_add",
    ),
    # Learning goals
    path("goals/", goals.goal_list, name="goal_list"),
    path("trajectories/<uuid:public_id>/goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<uuid:public_id>/", goals.goal_detail, name="goal_detail"),
    path("goals/<uuid:public_id>/evidence/", goals.goal_evidence_add, name="goal_evidence_add"),
    path(
        "evidence/<uuid:public_id>/remove/",
        goals.goal_evidence_remove,
        name="goal_evidence_remove",
    ),
    # Conversations and their agreements
    path("conversations/", conversations.conversation_list, name="conversation_list"),
    path(
        "trajectories/<uuid:public_id>/conversations/new/",
        conversations.conversation_create,
        name="conversation_create",
    ),
    path(
        "conversations/<uuid:public_id>/",
        conversations.conversation_detail,
        name="conversation_detail",
    ),
    path(
        "conversations/<uuid:public_id>/save/",
        conversations.conversation_save,
        name="conversation_save",
    ),
    path(
        "conversations/<uuid:public_id>/edit/",
        conversations.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "conversations/<uuid:public_id>/agreements/",
        conversations.agreement_add,
        name="agreement_add",
    ),
    path("agreements/<uuid:public_id>/done/", conversations.agreement_done, name="agreement_done"),
    path(
        "agreements/<uuid:public_id>/delete/",
        conversations.agreement_delete,
        name="agreement_delete",
    ),
    # Conversation reports (PDF)
    path(
        "conversations/<uuid:public_id>/reports/",
        reports.conversation_reports,
        name="conversation_reports",
    ),
    path("reports/<uuid:public_id>/download/", reports.report_download, name="report_download"),
    path("reports/<uuid:public_id>/confirm/", reports.report_confirm, name="report_confirm"),
    path("reports/<uuid:public_id>/retry/", reports.report_retry, name="report_retry"),
    # MERID profiles of a begeleider's conversations
    path("merid/", merid.merid_list, name="merid_list"),
    path("merid/new/", merid.merid_create, name="merid_create"),
    path(
        "conversations/<uuid:public_id>/merid/",
        merid.merid_from_conversation,
        name="merid_from_conversation",
    ),
    path("merid/<uuid:public_id>/", merid.merid_detail, name="merid_detail"),
    path("merid/<uuid:public_id>/save/", merid.merid_save, name="merid_save"),
    path("merid/<uuid:public_id>/profile/", merid.merid_profile, name="merid_profile"),
    path("merid/<uuid:public_id>/estimate/", merid.merid_estimate, name="merid_estimate"),
    path(
        "merid/<uuid:public_id>/ask/",
        merid.merid_perception_request,
        name="merid_perception_request",
    ),
    path("merid/<uuid:public_id>/perception/", merid.merid_perception, name="merid_perception"),
    path("merid/<uuid:public_id>/shares/", merid.merid_share_add, name="merid_share_add"),
    path(
        "merid-shares/<uuid:public_id>/remove/",
        merid.merid_share_remove,
        name="merid_share_remove",
    ),
    path("merid/<uuid:public_id>/delete/", merid.merid_delete, name="merid_delete"),
    # Learning-group sessions: phases, contributions, principles, clips and reports
    path(
        "groups/<uuid:public_id>/sessions/new/",
        sessions.group_session_plan,
        name="group_session_plan",
    ),
    path("sessions/<uuid:public_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<uuid:public_id>/move/", sessions.session_move, name="session_move"),
    path("sessions/<uuid:public_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    path(
        "sessions/<uuid:public_id>/attendance/",
        sessions.session_attendance,
        name="session_attendance",
    ),
    path(
        "sessions/<uuid:public_id>/entries/", sessions.session_entry_add, name="session_entry_add"
    ),
    path(
        "session-entries/<uuid:public_id>/delete/",
        sessions.session_entry_delete,
        name="session_entry_delete",
    ),
    path(
        "sessions/<uuid:public_id>/principles/",
        sessions.group_principle_add,
        name="group_principle_add",
    ),
    path(
        "principles/<uuid:public_id>/delete/",
        sessions.group_principle_delete,
        name="group_principle_delete",
    ),
    path("sessions/<uuid:public_id>/clips/", clips.video_clip_add, name="video_clip_add"),
    path("clips/<uuid:public_id>/", clips.video_clip_file, name="video_clip_file"),
    path("clips/<uuid:public_id>/withdraw/", clips.video_clip_withdraw, name="video_clip_withdraw"),
    path("clips/<uuid:public_id>/viewers/", clips.video_clip_viewers, name="video_clip_viewers"),
    path(
        "sessions/<uuid:public_id>/reports/",
        session_reports.session_reports,
        name="session_reports",
    ),
    path(
        "session-reports/<uuid:public_id>/download/",
        session_reports.session_report_download,
        name="session_report_download",
    ),
]
