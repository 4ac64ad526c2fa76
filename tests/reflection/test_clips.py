"""Video clips of a videoclub session, through the pages: a refused upload stores nothing (no
row, no file) and says why; an accepted one is stored under a name the server makes; the file
is served only to the people the filmed teacher lets see it; a withdrawn or expired clip's file
is deleted and its URL answers 404 to everyone, the owner included."""

import datetime
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mentoring.models import AuditEntry
from reflection import services
from reflection.models import VideoClip
from reflection.views.clips import session_clips_context
from roles.models import LearningGroupFormat
from tests.factories import LearningGroupFactory

pytestmark = pytest.mark.django_db

# The first bytes of an MP4 file (an `ftyp` box), then some bytes standing in for the video.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def dutch(message: str, **values) -> str:
    """A message as the (Dutch by default) pages show it."""
    with translation.override("nl"):
        return gettext(message) % values if values else gettext(message)


def files_under(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def videoclub(world):
    """A videoclub at the school: the procesbegeleider facilitates, coach and opleider are
    members. The coach is the filmed teacher in these tests."""
    return LearningGroupFactory(
        school=world.school,
        school_year=world.school_year,
        format=LearningGroupFormat.VIDEOCLUB,
        name="Videoclub onderbouw",
        facilitators=[world.people["procesbegeleider"]],
        members=[world.people["coach"], world.people["opleider"]],
    )


@pytest.fixture
def session(world, videoclub):
    return services.group_session_plan(
        actor=world.people["procesbegeleider"],
        group=videoclub,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        focus="Hoe komen leerlingen tot hun antwoord?",
    )


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def upload(content: bytes = MP4, name: str = "les.mp4", content_type: str = "video/mp4"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_form(**changes) -> dict:
    data = {
        "title": "Instructie 2B",
        "link": "",
        "file": upload(),
        "consent": "on",
        "expires_on": in_days(30),
        "audience": "group",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_clip(client, session, **changes):
    url = reverse("video_clip_add", kwargs={"public_id": session.public_id})
    return client.post(url, add_form(**changes))


def errors_of(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == messages.ERROR
    ]


def file_url(clip) -> str:
    return reverse("video_clip_file", kwargs={"public_id": clip.public_id})


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def add_clip(world, session, *, by="coach", **options) -> VideoClip:
    """A clip added through the service, by default an upload the whole group sees."""
    values = {
        "title": "Instructie 2B",
        "consent": True,
        "expires_on": timezone.localdate() + datetime.timedelta(days=30),
        "upload": upload(),
    }
    values.update(options)
    return services.video_clip_add(actor=world.people[by], session=session, **values)


# --- Adding a clip ---------------------------------------------------------------------------


def test_upload_is_stored_under_a_name_the_server_makes_whatever_the_file_is_called(
    as_persona, session, clips_dir, tmp_path
):
    client = as_persona("coach")
    response = post_clip(client, session, file=upload(name="../../../etc/passwd.mp4"))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.public_id}/#clips")
    assert errors_of(response) == []
    clip = VideoClip.objects.get(session=session)
    assert clip.file_name == f"clips/{clip.public_id}.mp4"
    assert (clip.content_type, clip.size) == ("video/mp4", len(MP4))
    assert files_under(clips_dir) == [f"clips/{clip.public_id}.mp4"]
    assert (clips_dir / clip.file_name).read_bytes() == MP4
    # Nothing was written anywhere else in the test's folder, let alone in /etc.
    assert files_under(tmp_path) == [f"clips/clips/{clip.public_id}.mp4"]
    assert not Path("/etc/passwd.mp4").exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"file": upload(HTML, name="clip.mp4")},
            "This file is not a video we can show (MP4, MOV or WebM), whatever its name says.",
        ),
        (
            {"consent": None},
            "A clip can only be shown with your consent as the filmed teacher, and the pupils' "
            "consent as your school arranges it.",
        ),
        (
            {"link": "https://video.example.org/les-2b"},
            "Give either a link or a file, not both.",
        ),
        (
            {"file": None, "link": "http://video.example.org/les-2b"},
            "Give a link that starts with https://.",
        ),
        ({"file": None}, "Give a link to the clip or upload a file."),
        ({"expires_on": in_days(0)}, "Choose a date after today and within a year."),
        ({"expires_on": "morgen"}, "Choose the date until which the clip may be seen."),
        ({"title": ""}, "Give the clip a title of at most 200 characters."),
    ],
    ids=[
        "html-named-mp4",
        "no-consent",
        "link-and-file",
        "http-link",
        "neither",
        "expires-today",
        "bad-date",
        "no-title",
    ],
)
def test_refused_clip_stores_nothing_and_says_why(as_persona, session, clips_dir, changes, reason):
    client = as_persona("coach")
    response = post_clip(client, session, **changes)

    assert response.status_code == 302
    (error,) = errors_of(response)
    assert error.startswith(dutch("The clip was not added."))
    assert dutch(reason) in error
    assert not VideoClip.objects.exists()
    assert files_under(clips_dir) == []


def test_too_large_a_clip_is_refused_and_nothing_is_stored(
    as_persona, session, clips_dir, settings
):
    settings.CLIP_MAX_MEGABYTES = 1
    client = as_persona("coach")
    body = MP4 + bytes(1024 * 1024 + 1 - len(MP4))
    assert len(body) == 1024 * 1024 + 1

    response = post_clip(client, session, file=upload(body))

    (error,) = errors_of(response)
    assert (
        dutch("The clip is larger than %(most)s MB. Shorten it, or share a link instead.", most=1)
        in error
    )
    assert not VideoClip.objects.exists()
    assert files_under(clips_dir) == []


def test_a_clip_of_exactly_the_largest_size_is_accepted(as_persona, session, settings):
    settings.CLIP_MAX_MEGABYTES = 1
    body = MP4 + bytes(1024 * 1024 - len(MP4))

    post_clip(as_persona("coach"), session, file=upload(body))

    assert VideoClip.objects.get().size == 1024 * 1024


def test_viewers_outside_the_group_are_refused(as_persona, world, session, clips_dir):
    outsider = world.people["coachee"]
    response = post_clip(
        as_persona("coach"), session, audience="chosen", viewers=[str(outsider.public_id)]
    )

    assert dutch("Choose members or facilitators of this group.") in errors_of(response)[0]
    assert not VideoClip.objects.exists()
    assert files_under(clips_dir) == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 403),
        ("school_leader", 403),
        ("coachee", 403),
        ("other_school_coordinator", 404),
    ],
)
def test_people_outside_the_group_cannot_add_a_clip(
    as_persona, session, clips_dir, persona, status
):
    response = post_clip(as_persona(persona), session)

    assert response.status_code == status
    assert not VideoClip.objects.exists()
    assert files_under(clips_dir) == []


# --- Serving the file --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coach", "opleider", "procesbegeleider"])
def test_owner_and_group_see_a_whole_group_clip(as_persona, world, session, persona):
    clip = add_clip(world, session)

    response = as_persona(persona).get(file_url(clip))

    assert response.status_code == 200
    assert content_of(response) == MP4
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(MP4))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert response["Content-Disposition"] == f'inline; filename="clip-{clip.public_id}.mp4"'
    assert response["Accept-Ranges"] == "bytes"
    assert AuditEntry.objects.filter(
        action="video_clip.viewed", object_id=str(clip.public_id), actor=world.people[persona]
    ).exists()


def test_a_range_is_answered_with_partial_content(as_persona, world, session):
    clip = add_clip(world, session)
    client = as_persona("opleider")

    response = client.get(file_url(clip), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert content_of(response) == MP4[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    assert response["Content-Length"] == "100"

    tail = client.get(file_url(clip), HTTP_RANGE="bytes=-10")
    assert content_of(tail) == MP4[-10:]

    outside = client.get(file_url(clip), HTTP_RANGE=f"bytes={len(MP4)}-")
    assert outside.status_code == 416
    assert outside["Content-Range"] == f"bytes */{len(MP4)}"


def test_chosen_viewers_only(as_persona, world, session):
    clip = add_clip(world, session, whole_group=False, viewers=[world.people["procesbegeleider"]])

    assert as_persona("procesbegeleider").get(file_url(clip)).status_code == 200
    assert as_persona("coach").get(file_url(clip)).status_code == 200
    # A member of the group the filmed teacher did not choose.
    assert as_persona("opleider").get(file_url(clip)).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 403),
        ("school_leader", 403),
        ("student_teacher", 403),
        ("other_school_coordinator", 404),
        ("anonymous", 302),
    ],
)
def test_outsiders_never_get_the_file(as_persona, world, session, persona, status):
    clip = add_clip(world, session)

    response = as_persona(persona).get(file_url(clip))

    assert response.status_code == status
    assert not AuditEntry.objects.filter(action="video_clip.viewed").exists()


def test_a_member_who_left_no_longer_gets_the_file(as_persona, world, session):
    clip = add_clip(world, session)
    membership = session.group.memberships.get(user=world.people["opleider"])
    services.group_member_leave(actor=world.people["opleider"], membership=membership)

    assert as_persona("opleider").get(file_url(clip)).status_code == 403


def test_a_link_clip_has_no_file_to_serve_and_is_never_redirected_to(as_persona, world, session):
    clip = add_clip(world, session, upload=None, link="https://video.example.org/les-2b")

    response = as_persona("opleider").get(file_url(clip))

    assert response.status_code == 404


# --- Withdrawing and expiry ------------------------------------------------------------------


def test_withdrawn_clip_is_deleted_from_storage_and_its_url_answers_404(
    as_persona, world, session, clips_dir
):
    clip = add_clip(world, session)
    withdraw_url = reverse("video_clip_withdraw", kwargs={"public_id": clip.public_id})
    assert as_persona("opleider").post(withdraw_url).status_code == 403
    client = as_persona("coach")

    confirm = client.get(withdraw_url)
    assert confirm.status_code == 200
    assert dutch("Withdraw this clip?") in confirm.content.decode()
    assert VideoClip.objects.get().withdrawn_at is None  # the GET changed nothing

    response = client.post(withdraw_url)
    assert response.status_code == 302
    assert files_under(clips_dir) == []
    assert VideoClip.objects.get().withdrawn_at is not None
    for persona in ("coach", "opleider", "procesbegeleider"):
        assert as_persona(persona).get(file_url(clip)).status_code == 404
    # Withdrawing twice says so instead of failing.
    again = as_persona("coach").post(withdraw_url)
    assert again.status_code == 302


def test_expired_clip_answers_404_and_the_purge_deletes_its_file(
    as_persona, world, session, clips_dir
):
    clip = add_clip(world, session)
    VideoClip.objects.filter(pk=clip.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    for persona in ("coach", "opleider"):
        assert as_persona(persona).get(file_url(clip)).status_code == 404
    assert files_under(clips_dir) == [clip.file_name]

    assert services.video_clips_purge_expired() == 1
    assert files_under(clips_dir) == []
    clip.refresh_from_db()
    assert (clip.file_name, clip.withdrawn_at is not None) == ("", True)


def test_owner_chooses_who_may_see_the_clip(as_persona, world, session):
    clip = add_clip(world, session)
    viewers_url = reverse("video_clip_viewers", kwargs={"public_id": clip.public_id})
    facilitator = world.people["procesbegeleider"]
    choice = {"audience": "chosen", "viewers": [str(facilitator.public_id)]}

    assert as_persona("opleider").post(viewers_url, choice).status_code == 403
    response = as_persona("coach").post(viewers_url, choice)

    assert response.status_code == 302
    clip.refresh_from_db()
    assert not clip.whole_group
    assert list(clip.viewers.all()) == [facilitator]
    assert as_persona("opleider").get(file_url(clip)).status_code == 403
    assert as_persona("procesbegeleider").get(file_url(clip)).status_code == 200


def test_a_bad_choice_of_viewers_changes_nothing(as_persona, world, session):
    clip = add_clip(world, session)
    viewers_url = reverse("video_clip_viewers", kwargs={"public_id": clip.public_id})

    response = as_persona("coach").post(viewers_url, {"audience": "chosen", "viewers": ["nope"]})

    assert errors_of(response)
    clip.refresh_from_db()
    assert clip.whole_group


# --- The list on the session page -------------------------------------------------------------


def render_clips(world, session, persona: str) -> str:
    request = RequestFactory().get("/")
    request.user = world.people[persona]
    context = {"session": session, **session_clips_context(world.people[persona], session)}
    with translation.override("nl"):
        return render_to_string("reflection/partials/session_clips.html", context, request=request)


def test_the_list_shows_each_person_the_clips_they_may_see(world, session):
    upload_clip = add_clip(world, session, title="Uitleg breuken")
    link_clip = add_clip(
        world,
        session,
        title="Groepswerk 3A",
        upload=None,
        link="https://video.example.org/groepswerk",
        whole_group=False,
        viewers=[world.people["procesbegeleider"]],
    )

    owner = render_clips(world, session, "coach")
    assert f'src="{file_url(upload_clip)}"' in owner
    assert (
        'href="https://video.example.org/groepswerk" target="_blank" rel="noopener noreferrer"'
    ) in owner
    assert owner.count('name="audience"') == 2 * 2 + 2  # two own clips, and the add form
    assert reverse("video_clip_withdraw", kwargs={"public_id": link_clip.public_id}) in owner
    assert 'enctype="multipart/form-data"' in owner

    member = render_clips(world, session, "opleider")
    assert "Uitleg breuken" in member
    assert "Groepswerk 3A" not in member
    assert "/withdraw/" not in member
    assert reverse("video_clip_viewers", kwargs={"public_id": upload_clip.public_id}) not in member

    facilitator = render_clips(world, session, "procesbegeleider")
    assert "Uitleg breuken" in facilitator
    assert "Groepswerk 3A" in facilitator


def test_the_list_has_an_empty_state(world, session):
    html = render_clips(world, session, "opleider")
    assert dutch("There is no clip you can see in this session yet.") in html


def test_the_session_page_plays_the_clip_and_offers_the_owner_its_controls(
    as_persona, world, session
):
    clip = add_clip(world, session, title="Uitleg breuken")
    page = reverse("session_detail", kwargs={"public_id": session.public_id})

    owner = as_persona("coach").get(page).content.decode()
    member = as_persona("opleider").get(page).content.decode()

    for html in (owner, member):
        assert (
            f'<video class="w-100 mb-2" controls preload="metadata" src="{file_url(clip)}"' in html
        )
    withdraw = reverse("video_clip_withdraw", kwargs={"public_id": clip.public_id})
    assert withdraw in owner
    assert withdraw not in member
    assert reverse("video_clip_add", kwargs={"public_id": session.public_id}) in member
