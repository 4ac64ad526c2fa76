"""Video clips of a videoclub session: added by the filmed teacher, shown only to the people
they choose, withdrawn by them (the file is deleted), and served only through this module.

The clips are listed on the session page by reflection/partials/session_clips.html, whose
context `session_clips_context` makes. A refused upload stores nothing: the service checks
everything before it writes (reflection/services.py `video_clip_add`), and the view answers
with the reasons as messages on the session page.

A clip's file is served by `video_clip_file` only, from the private clips storage. A withdrawn
or expired clip, or a clip that is a link, answers 404 to everyone: a link is shown on the page
as an external link and never redirected to from here (no open redirect). Byte ranges are
answered, because Safari plays a <video> only from a server that does.
"""

import datetime
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import access
from mentoring.audit import audit_record
from reflection import clips as clip_files
from reflection import group_phases, services
from reflection.models import GroupSession, VideoClip
from roles.models import LearningGroup, User

# A clip is visible for this long unless its owner chooses otherwise (at most a year).
CLIP_DEFAULT_DAYS = 30
# The part of a clip sent per chunk of a streamed answer.
CHUNK = 64 * 1024
WHOLE_GROUP, CHOSEN = "group", "chosen"


def session_url(session: GroupSession) -> str:
    return reverse("session_detail", kwargs={"public_id": session.public_id}) + "#clips"


def _people_choices(session: GroupSession, owner: User):
    """The group's current members and facilitators but the owner: whom a clip can be shown."""
    group = session.group
    current = group.memberships.filter(left_on__isnull=True).values("user")
    facilitating = LearningGroup.facilitators.through.objects.filter(learninggroup=group)
    return (
        User.objects.filter(Q(pk__in=current) | Q(pk__in=facilitating.values("user")))
        .exclude(pk=owner.pk)
        .order_by("full_name", "pk")
    )


class ClipAudienceForm(forms.Form):
    """Who sees the clip: the whole group, or the people the filmed teacher ticks."""

    audience = forms.ChoiceField(
        choices=[(WHOLE_GROUP, WHOLE_GROUP), (CHOSEN, CHOSEN)], initial=WHOLE_GROUP
    )
    viewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), to_field_name="public_id", required=False
    )

    def __init__(self, *args, session: GroupSession, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["viewers"].queryset = _people_choices(session, owner)
        self.fields["viewers"].error_messages["invalid_choice"] = gettext_lazy(
            "Choose members or facilitators of this group."
        )


class ClipAddForm(ClipAudienceForm):
    title = forms.CharField(max_length=200, required=False)
    link = forms.CharField(max_length=500, required=False, strip=True)
    file = forms.FileField(required=False, allow_empty_file=True)
    consent = forms.BooleanField(required=False)
    expires_on = forms.DateField(
        error_messages={
            "required": gettext_lazy("Choose the date until which the clip may be seen."),
            "invalid": gettext_lazy("Choose the date until which the clip may be seen."),
        }
    )


def session_clips_context(user: User, session: GroupSession) -> dict:
    """What reflection/partials/session_clips.html needs, for someone who may read the session:
    the clips they may see (their own with the owner's forms), and whether they may add one."""
    clips = list(
        session.clips.filter(withdrawn_at__isnull=True)
        .select_related("owner")
        .prefetch_related("viewers")
    )
    people = None
    shown = []
    for clip in clips:
        clip.session = session
        if not access.can(user, "view", clip):
            continue
        row = {"clip": clip, "own": clip.owner_id == user.pk}
        if row["own"]:
            if people is None:
                people = list(_people_choices(session, user))
            chosen = {person.pk for person in clip.viewers.all()}
            row["people"] = [(person, person.pk in chosen) for person in people]
        shown.append(row)
    phases = group_phases.phases_of(session.group.format)
    may_add = access.can(user, "contribute", session) and any(
        phase.collects == group_phases.CLIPS for phase in phases
    )
    context = {"clips": shown, "may_add_clip": may_add}
    if may_add:
        context["clip_people"] = (
            people if people is not None else list(_people_choices(session, user))
        )
        context["clip_default_expiry"] = timezone.localdate() + datetime.timedelta(
            days=CLIP_DEFAULT_DAYS
        )
        context["clip_max_megabytes"] = clip_files.clip_max_bytes() // (1024 * 1024)
    return {"clip_panel": context}


def _form_errors(form: forms.Form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def _refused(request: HttpRequest, reasons: list[str]) -> None:
    messages.error(request, " ".join([_("The clip was not added."), *reasons]))


@require_POST
@login_required
def video_clip_add(request: HttpRequest, public_id) -> HttpResponse:
    session = access.get_for_user(
        request.user,
        GroupSession.objects.select_related("group__school"),
        "contribute",
        public_id=public_id,
    )
    form = ClipAddForm(request.POST, request.FILES, session=session, owner=request.user)
    if not form.is_valid():
        _refused(request, _form_errors(form))
        return redirect(session_url(session))
    data = form.cleaned_data
    whole_group = data["audience"] == WHOLE_GROUP
    try:
        services.video_clip_add(
            actor=request.user,
            session=session,
            title=data["title"],
            consent=data["consent"],
            expires_on=data["expires_on"],
            link=data["link"],
            upload=data["file"],
            whole_group=whole_group,
            viewers=[] if whole_group else list(data["viewers"]),
        )
    except ValidationError as error:
        _refused(request, error.messages)
    else:
        messages.success(request, _("The clip has been added."))
    return redirect(session_url(session))


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range (first, last byte) asked for in a Range header; None for the whole file.
    ValueError when it cannot be satisfied."""
    found = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if found is None:
        return None  # several ranges, or another unit: the whole file is a valid answer
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:
        first, last = max(size - int(last), 0), size - 1
    else:
        first, last = int(first), min(int(last), size - 1) if last else size - 1
    if first >= size or first > last:
        raise ValueError
    return first, last


class _FileSlice:
    """`length` bytes of an open file from `first` on, read by FileResponse (which closes it)."""

    def __init__(self, handle, first: int, length: int):
        handle.seek(first)
        self.handle, self.left = handle, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size) if size > 0 else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


@require_GET
@login_required
def video_clip_file(request: HttpRequest, public_id) -> HttpResponse:
    """The clip's file, for the people its owner lets see it. Withdrawn, expired and link clips
    are not found, for anyone."""
    clip = access.get_for_user(
        request.user,
        VideoClip.objects.select_related("session__group__school")
        .filter(withdrawn_at__isnull=True, expires_on__gte=timezone.localdate())
        .exclude(file_name=""),
        "view",
        public_id=public_id,
    )
    storage = clip_files.clips_storage()
    try:
        size = storage.size(clip.file_name)
        wanted = _byte_range(request.headers.get("Range", ""), size)
    except FileNotFoundError:
        raise Http404 from None
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = wanted or (0, size - 1)
    extension = clip.file_name.rsplit(".", 1)[-1]
    response = FileResponse(
        _FileSlice(storage.open(clip.file_name, "rb"), first, last - first + 1),
        status=206 if wanted else 200,
        content_type=clip.content_type,
        filename=f"clip-{clip.public_id}.{extension}",
    )
    response.block_size = CHUNK
    response["Content-Length"] = str(last - first + 1)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A player asks for many ranges while it plays and seeks; a viewing is recorded once, when
    # it reads the start of the file.
    if first == 0:
        audit_record(
            actor=request.user,
            action="video_clip.viewed",
            obj=clip,
            school=clip.session.group.school,
        )
    return response


def _own_clip(request: HttpRequest, public_id) -> VideoClip:
    return access.get_for_user(
        request.user,
        VideoClip.objects.select_related("session__group__school"),
        "own",
        public_id=public_id,
    )


@require_http_methods(["GET", "POST"])
@login_required
def video_clip_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    clip = _own_clip(request, public_id)
    if clip.withdrawn_at is not None:
        messages.info(request, _("This clip has already been withdrawn."))
        return redirect(session_url(clip.session))
    if request.method == "POST":
        services.video_clip_withdraw(actor=request.user, clip=clip)
        messages.success(request, _("The clip has been withdrawn and its file deleted."))
        return redirect(session_url(clip.session))
    return render(request, "reflection/clip_withdraw.html", {"clip": clip, "session": clip.session})


@require_POST
@login_required
def video_clip_viewers(request: HttpRequest, public_id) -> HttpResponse:
    clip = _own_clip(request, public_id)
    if clip.withdrawn_at is not None:
        raise Http404
    form = ClipAudienceForm(request.POST, session=clip.session, owner=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(_form_errors(form)))
        return redirect(session_url(clip.session))
    whole_group = form.cleaned_data["audience"] == WHOLE_GROUP
    try:
        services.video_clip_viewers(
            actor=request.user,
            clip=clip,
            whole_group=whole_group,
            viewers=[] if whole_group else list(form.cleaned_data["viewers"]),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Who may see the clip has been saved."))
    return redirect(session_url(clip.session))
