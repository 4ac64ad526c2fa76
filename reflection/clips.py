"""Video clips for videoclub sessions: what an upload must be, and where it is kept.

An upload is judged by its content, never by its name or the type the browser claims: the
first bytes must be those of an MP4/QuickTime (an `ftyp` box) or a WebM (EBML) file, so an
HTML page named clip.mp4 is refused. The file is stored under a name the server makes from
the clip's public id, so the uploader's file name (with any `../`) never reaches the disk.
Clips live in their own private storage and are served only through a view that checks the
filmed teacher's choice of viewers (security.md §5: uploads).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# What a clip may be: the extension and type stored, by the first bytes of the file.
MP4 = ("mp4", "video/mp4")
WEBM = ("webm", "video/webm")


def clips_storage():
    # Looked up on each use, so that a test (or a setting) pointing it elsewhere takes effect.
    return storages["clips"]


def clip_max_bytes() -> int:
    return settings.CLIP_MAX_MEGABYTES * 1024 * 1024


def clip_kind(upload: UploadedFile) -> tuple[str, str]:
    """The (extension, content type) of an acceptable clip, or ValidationError saying why not."""
    if upload.size is None or upload.size > clip_max_bytes():
        raise ValidationError(
            _("The clip is larger than %(most)s MB. Shorten it, or share a link instead.")
            % {"most": settings.CLIP_MAX_MEGABYTES},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    raise ValidationError(
        _("This file is not a video we can show (MP4, MOV or WebM), whatever its name says."),
        code="not_a_video",
    )


def clip_file_name(public_id, extension: str) -> str:
    return f"clips/{public_id}.{extension}"
